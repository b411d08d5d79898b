package dev.jbox.image.archive;

import dev.jbox.image.Descriptor;
import dev.jbox.image.Reference;
import java.util.Map;

/**
 * How an image's name travels in an OCI layout, as containerd and Docker 25+ write it: the full
 * reference in {@code io.containerd.image.name}, the tag alone in
 * {@code org.opencontainers.image.ref.name} (the layout spec's convention, which umoci and skopeo use
 * to pick an image, e.g. {@code oci:dir:latest}).
 */
final class ArchiveNames {
    static final String CONTAINERD_NAME = "io.containerd.image.name";

    private ArchiveNames() {
    }

    static Map<String, String> annotations(Reference tag) {
        return Map.of(CONTAINERD_NAME, tag.toString(), Descriptor.REF_NAME, tag.tag());
    }

    /**
     * The name an index entry gives its image, or null. A bare {@code ref.name} ("latest", "v1") is a
     * tag with no repository: the image loads untagged, as {@code docker load} leaves it.
     */
    static Reference of(Descriptor entry) {
        Map<String, String> a = entry.annotations();
        if (a == null) {
            return null;
        }
        String name = a.get(CONTAINERD_NAME);
        if (name == null) {
            String ref = a.get(Descriptor.REF_NAME);
            name = ref != null && (ref.contains("/") || ref.contains(":")) ? ref : null;
        }
        if (name == null) {
            return null;
        }
        Reference r = Reference.parse(name);
        return r.digest() != null ? null : r.withDefaultTag(); // a digest names content, it is no tag

    }
}
