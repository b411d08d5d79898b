package dev.jbox.registry;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.UUID;

/**
 * The registry's metadata (links, tags) are tiny files written whole: to a unique temporary name
 * beside the target, then renamed over it, so two requests writing one tag at once leave one
 * complete value and a reader never sees half a digest.
 */
final class SmallFiles {
    private SmallFiles() {
    }

    static void write(Path file, byte[] content) throws IOException {
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling("." + file.getFileName() + "." + UUID.randomUUID() + ".tmp");
        try {
            Files.write(tmp, content);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    static void write(Path file, String content) throws IOException {
        write(file, content.getBytes(StandardCharsets.UTF_8));
    }

    static Optional<String> read(Path file) throws IOException {
        try {
            return Optional.of(Files.readString(file, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    /** Removes the file and then every directory above it, up to {@code top}, that it left empty. */
    static boolean deletePruning(Path file, Path top) throws IOException {
        boolean deleted = Files.deleteIfExists(file);
        for (Path dir = file.getParent(); dir != null && dir.startsWith(top) && !dir.equals(top); dir = dir.getParent()) {
            try {
                Files.delete(dir);
            } catch (IOException notEmptyOrGone) {
                break;
            }
        }
        return deleted;
    }
}
