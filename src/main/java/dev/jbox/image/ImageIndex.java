package dev.jbox.image;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * A list of manifests: the {@code index.json} at the top of an OCI image layout (one entry per
 * tag, named by the {@code org.opencontainers.image.ref.name} annotation), or a multi-platform
 * image (Docker calls it a manifest list).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ImageIndex(int schemaVersion, String mediaType, List<Descriptor> manifests,
        Map<String, String> annotations) {
    public ImageIndex {
        manifests = manifests == null ? List.of() : List.copyOf(manifests);
    }

    public static ImageIndex of(List<Descriptor> manifests) {
        return new ImageIndex(2, MediaTypes.OCI_INDEX, manifests, null);
    }

    public ImageIndex withManifests(List<Descriptor> m) {
        return new ImageIndex(schemaVersion, mediaType, m, annotations);
    }
}
