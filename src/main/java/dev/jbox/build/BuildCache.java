package dev.jbox.build;

import dev.jbox.Json;
import dev.jbox.image.ConfigFile;
import dev.jbox.image.Descriptor;
import dev.jbox.image.Digest;
import dev.jbox.image.ImageStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The build cache, keyed as Docker's classic builder keys it: the parent image (the id of the
 * state before the step), the instruction after substitution, and for COPY and ADD the digest of
 * the files copied. An entry is the state the step made: the config's exact bytes and the layers.
 * An entry whose layers have been pruned from the store is a miss.
 */
public final class BuildCache {
    /** What an entry holds on disk. */
    record Entry(String config, List<Descriptor> layers) {
    }

    private final Path dir;
    private final ImageStore store;

    public BuildCache(Path dir, ImageStore store) {
        this.dir = dir;
        this.store = store;
    }

    // tag::cache-key[]
    /** The key of a step: parent image id, the instruction as it runs, and what it copies (or ""). */
    public static Digest key(Digest parent, String instruction, String content) {
        String text = parent + "\n" + instruction + "\n" + (content == null ? "" : content);
        return Digest.sha256(text.getBytes(StandardCharsets.UTF_8));
    }
    // end::cache-key[]

    /** The state a step made before, or null. */
    public ImageState find(Digest key) {
        Path file = dir.resolve(key.hex() + ".json");
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            Entry e = Json.mapper().readValue(file.toFile(), Entry.class);
            byte[] bytes = e.config().getBytes(StandardCharsets.UTF_8);
            for (Descriptor d : e.layers()) {
                if (!store.hasBlob(d.digest())) {
                    return null;
                }
            }
            ConfigFile config = ImageState.MAPPER.readValue(bytes, ConfigFile.class);
            return new ImageState(config, e.layers(), bytes);
        } catch (IOException | RuntimeException e) {
            return null; // a damaged entry is a miss; the step runs again and rewrites it
        }
    }

    public void put(Digest key, ImageState state) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new dev.jbox.JboxException("cannot create the build cache " + dir + ": " + e.getMessage());
        }
        Json.writeAtomically(dir.resolve(key.hex() + ".json"),
                new Entry(new String(state.configBytes(), StandardCharsets.UTF_8), state.layers()));
    }
}
