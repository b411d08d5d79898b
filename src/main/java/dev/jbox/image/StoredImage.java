package dev.jbox.image;

import java.util.List;

/**
 * An image in the store, as its blobs describe it: the manifest (by digest), the config (whose
 * digest is the image id) and the layers, bottom first, with their diff ids (the digests of the
 * uncompressed tars, which name the snapshots).
 *
 * @param reference the tag the image was found by, or null for an untagged ("dangling") image
 */
public record StoredImage(Reference reference, Digest manifestDigest, Manifest manifest, Digest configDigest,
        ConfigFile config, List<Descriptor> layers, List<Digest> diffIds) {

    /** The image id, as Docker shows it: the digest of the config. */
    public Digest id() {
        return configDigest;
    }

    /** The bytes the image takes in the store: config and layers (layers shared with other images included). */
    public long size() {
        long size = manifest.config().size();
        for (Descriptor d : layers) {
            size += d.size();
        }
        return size;
    }
}
