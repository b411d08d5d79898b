package dev.jbox.runtime;

import dev.jbox.JboxException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Checks a root file system before any runtime touches the kernel with it. */
public final class RootfsCheck {
    private RootfsCheck() {
    }

    public static Path check(Path rootfs) {
        Path dir = rootfs.toAbsolutePath().normalize();
        if (!Files.exists(dir)) {
            throw new JboxException("rootfs " + dir + " does not exist; give a directory that holds a root"
                    + " file system, or run an image instead: jbox run busybox");
        }
        if (!Files.isDirectory(dir)) {
            throw new JboxException("rootfs " + dir + " is not a directory; give a directory that holds a root file system");
        }
        try (Stream<Path> entries = Files.list(dir)) {
            if (entries.findAny().isEmpty()) {
                throw new JboxException("rootfs " + dir + " is empty; put a root file system in it"
                        + " (e.g. copy the busybox image's: cp -a /var/lib/jbox/images/busybox/rootfs/. " + dir + ")");
            }
        } catch (IOException e) {
            throw new JboxException("cannot read rootfs " + dir + ": " + e.getMessage());
        }
        return dir;
    }
}
