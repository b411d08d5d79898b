package dev.jbox.image;

/** A blob the content store holds: its name and its size, from the bytes as written. */
public record StoredBlob(Digest digest, long size) {
    /** A descriptor for this blob as content of {@code mediaType}. */
    public Descriptor describe(String mediaType) {
        return new Descriptor(mediaType, digest, size);
    }
}
