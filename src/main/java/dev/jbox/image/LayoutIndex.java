package dev.jbox.image;

import dev.jbox.JboxException;
import dev.jbox.Json;
import dev.jbox.LockFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

/**
 * The {@code index.json} and {@code oci-layout} of the store. Readers take the file as it is
 * (it is only ever replaced by a rename, so it is whole); writers change it under a lock, so two
 * jbox commands that tag at once both get their tag.
 */
final class LayoutIndex {
    private final Path layout;
    private final Path lock;

    LayoutIndex(Path layout, Path lock) {
        this.layout = layout;
        this.lock = lock;
    }

    ImageIndex read() {
        Path file = layout.resolve("index.json");
        if (!Files.exists(file)) {
            return ImageIndex.of(java.util.List.of());
        }
        try {
            return OciJson.read(Files.readAllBytes(file), ImageIndex.class, file.toString());
        } catch (IOException e) {
            throw new JboxException("cannot read " + file + ": " + e.getMessage());
        }
    }

    /** Applies {@code change} to the index under the store's lock, and writes the result atomically. */
    ImageIndex update(UnaryOperator<ImageIndex> change) {
        try (LockFile ignored = LockFile.acquire(lock)) {
            ImageIndex before = read();
            ImageIndex after = change.apply(before);
            if (!after.equals(before) || !Files.exists(layout.resolve("index.json"))) {
                init();
                Json.writeAtomically(layout.resolve("index.json"), after);
            }
            return after;
        }
    }

    /** Runs {@code action} holding the store's lock (e.g. a garbage collection that must not race a tag). */
    <T> T locked(java.util.function.Supplier<T> action) {
        try (LockFile ignored = LockFile.acquire(lock)) {
            return action.get();
        }
    }

    private void init() {
        Path marker = layout.resolve("oci-layout");
        if (!Files.exists(marker)) {
            try {
                Files.createDirectories(layout.resolve("blobs"));
            } catch (IOException e) {
                throw new JboxException("cannot create " + layout + ": " + e.getMessage());
            }
            Json.writeAtomically(marker, java.util.Map.of("imageLayoutVersion", MediaTypes.OCI_LAYOUT_VERSION));
        }
    }
}
