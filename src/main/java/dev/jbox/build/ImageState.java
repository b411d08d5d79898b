package dev.jbox.build;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.jbox.image.ConfigFile;
import dev.jbox.image.Descriptor;
import dev.jbox.image.Digest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * What a build has made so far: an image config and its layers, as Docker's classic builder
 * commits one image per step. Its id (the digest of the config's bytes) is the parent in the next
 * step's cache key. The bytes are written here once, compactly and with sorted maps, and are the
 * exact bytes stored, so the id printed is the id in the store.
 */
public record ImageState(ConfigFile config, List<Descriptor> layers, byte[] configBytes) {
    static final ObjectMapper MAPPER = new ObjectMapper()
            .disable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public ImageState {
        layers = List.copyOf(layers);
    }

    public static ImageState of(ConfigFile config, List<Descriptor> layers) {
        try {
            return new ImageState(config, layers, MAPPER.writeValueAsBytes(config));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Digest id() {
        return Digest.sha256(configBytes);
    }

    public ConfigFile.Config run() {
        return config.config() == null ? new ConfigFile.Config(null, null, null, null, null, null, null, null, null)
                : config.config();
    }

    /** The next state: a new run config, and a layer (null for an instruction that only changes the config). */
    public ImageState next(ConfigFile.Config run, Descriptor layer, Digest diffId, String created, String createdBy) {
        List<Descriptor> newLayers = new ArrayList<>(layers);
        List<Digest> diffIds = new ArrayList<>(config.diffIds());
        if (layer != null) {
            newLayers.add(layer);
            diffIds.add(diffId);
        }
        List<ConfigFile.History> history = new ArrayList<>(config.history());
        history.add(new ConfigFile.History(created, createdBy, null, null, layer == null));
        return of(new ConfigFile(created, config.author(), config.architecture(), config.os(), run,
                ConfigFile.RootFs.layers(diffIds), history), newLayers);
    }

    public ImageState withAuthor(String author) {
        ConfigFile c = config;
        return of(new ConfigFile(c.created(), author, c.architecture(), c.os(), c.config(), c.rootfs(), c.history()), layers);
    }
}
