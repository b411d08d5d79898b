package dev.jbox.image;

import java.util.Set;

/**
 * The media types of the OCI image spec, and Docker's "schema 2" types that mean the same thing:
 * a descriptor's media type says how to read the blob it points to.
 */
public final class MediaTypes {
    public static final String OCI_LAYOUT_VERSION = "1.0.0";

    public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    public static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
    public static final String OCI_LAYER = "application/vnd.oci.image.layer.v1.tar";
    public static final String OCI_LAYER_GZIP = "application/vnd.oci.image.layer.v1.tar+gzip";
    public static final String OCI_LAYER_ZSTD = "application/vnd.oci.image.layer.v1.tar+zstd";

    public static final String DOCKER_MANIFEST_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
    public static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    public static final String DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json";
    public static final String DOCKER_LAYER_GZIP = "application/vnd.docker.image.rootfs.diff.tar.gzip";
    public static final String DOCKER_FOREIGN_LAYER_GZIP = "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip";

    private static final Set<String> MANIFESTS = Set.of(OCI_MANIFEST, DOCKER_MANIFEST);
    private static final Set<String> INDEXES = Set.of(OCI_INDEX, DOCKER_MANIFEST_LIST);
    private static final Set<String> CONFIGS = Set.of(OCI_CONFIG, DOCKER_CONFIG);
    private static final Set<String> LAYERS = Set.of(OCI_LAYER, OCI_LAYER_GZIP, OCI_LAYER_ZSTD,
            DOCKER_LAYER_GZIP, DOCKER_FOREIGN_LAYER_GZIP,
            "application/vnd.oci.image.layer.nondistributable.v1.tar",
            "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip");

    /** How a layer's bytes are compressed. */
    public enum Compression { NONE, GZIP, ZSTD }

    private MediaTypes() {
    }

    public static boolean isManifest(String mediaType) {
        return MANIFESTS.contains(mediaType);
    }

    public static boolean isIndex(String mediaType) {
        return INDEXES.contains(mediaType);
    }

    public static boolean isConfig(String mediaType) {
        return CONFIGS.contains(mediaType);
    }

    public static boolean isLayer(String mediaType) {
        return LAYERS.contains(mediaType);
    }

    /** The compression a layer media type names (Docker's layer type is always gzip). */
    public static Compression compression(String layerMediaType) {
        if (layerMediaType.endsWith("+zstd")) {
            return Compression.ZSTD;
        }
        if (layerMediaType.endsWith("+gzip") || layerMediaType.endsWith(".tar.gzip")) {
            return Compression.GZIP;
        }
        return Compression.NONE;
    }
}
