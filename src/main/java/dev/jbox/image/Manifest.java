package dev.jbox.image;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.jbox.JboxException;
import java.util.List;
import java.util.Map;

/**
 * An image manifest: the config blob and the layers, bottom first. The same shape serves the
 * OCI manifest and Docker's schema 2 manifest; only the media types differ.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Manifest(int schemaVersion, String mediaType, Descriptor config, List<Descriptor> layers,
        Map<String, String> annotations) {
    public Manifest {
        layers = layers == null ? List.of() : List.copyOf(layers);
    }

    /** A new OCI manifest for a config and its layers. */
    public static Manifest oci(Descriptor config, List<Descriptor> layers) {
        return new Manifest(2, MediaTypes.OCI_MANIFEST, config, layers, null);
    }

    /** Reads the exact bytes of a manifest blob and checks it is one jbox can run. */
    public static Manifest parse(byte[] bytes, Digest digest) {
        Manifest m = OciJson.read(bytes, Manifest.class, "manifest " + digest);
        // An OCI manifest may leave out its mediaType; Docker's always has it.
        String type = m.mediaType() == null ? MediaTypes.OCI_MANIFEST : m.mediaType();
        if (m.schemaVersion() != 2 || !MediaTypes.isManifest(type)) {
            throw new JboxException("manifest " + digest + " is not an image manifest (schemaVersion "
                    + m.schemaVersion() + ", mediaType " + type + "); jbox reads OCI and Docker schema 2 manifests");
        }
        if (m.config() == null || !MediaTypes.isConfig(m.config().mediaType())) {
            throw new JboxException("manifest " + digest + " has no image config (config.mediaType "
                    + (m.config() == null ? "missing" : m.config().mediaType()) + "); it is not a runnable image");
        }
        for (Descriptor layer : m.layers()) {
            if (!MediaTypes.isLayer(layer.mediaType())) {
                throw new JboxException("manifest " + digest + " has a layer of unknown media type "
                        + layer.mediaType() + "; jbox reads tar layers, plain, gzip or zstd");
            }
        }
        return new Manifest(m.schemaVersion(), type, m.config(), m.layers(), m.annotations());
    }
}
