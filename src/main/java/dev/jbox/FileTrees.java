package dev.jbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Removing a directory with everything in it, which the JDK has no single call for. */
public final class FileTrees {
    private FileTrees() {
    }

    /** Deletes {@code dir} and everything below it (symbolic links themselves, never what they point to); gone already is fine. */
    public static void delete(Path dir) {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new JboxException("cannot remove " + dir + ": " + e.getMessage());
        }
    }
}
