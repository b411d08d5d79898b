package dev.jbox.image;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * A pointer to a blob, as the OCI image spec defines it: what kind of content it is, its digest
 * and its size. Whoever follows a descriptor checks the bytes against both.
 *
 * @param annotations e.g. {@code org.opencontainers.image.ref.name} in {@code index.json}; may be null
 * @param platform    in an index, which platform the manifest is for; may be null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Descriptor(String mediaType, Digest digest, long size, Map<String, String> annotations,
        Platform platform) {
    public static final String REF_NAME = "org.opencontainers.image.ref.name";

    public Descriptor {
        annotations = annotations == null || annotations.isEmpty() ? null : Map.copyOf(annotations);
    }

    public Descriptor(String mediaType, Digest digest, long size) {
        this(mediaType, digest, size, null, null);
    }

    /** The value of {@link #REF_NAME}, or null. */
    public String refName() {
        return annotations == null ? null : annotations.get(REF_NAME);
    }

    public Descriptor withAnnotations(Map<String, String> a) {
        return new Descriptor(mediaType, digest, size, a, platform);
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Platform(String architecture, String os, String variant) {
    }
}
