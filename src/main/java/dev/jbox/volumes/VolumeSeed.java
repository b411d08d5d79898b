package dev.jbox.volumes;

import dev.jbox.JboxException;
import dev.jbox.kernel.InRoot;
import dev.jbox.kernel.Kernel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

/**
 * Docker's "copy-up" of a volume: an empty volume mounted where the image has files starts with
 * a copy of them (owners, modes and times kept), so that {@code -v data:/var/lib/app} does not
 * hide what the image put there. A volume that holds anything is never touched again.
 */
final class VolumeSeed {
    private VolumeSeed() {
    }

    // tag::seed[]
    /** Copies the image's directory at {@code target} (resolved inside {@code rootfs}) into the empty {@code volume}. */
    static void fromImage(Path rootfs, String target, Path volume) {
        try (InRoot root = InRoot.open(rootfs); Stream<Path> inVolume = Files.list(volume)) {
            if (inVolume.findAny().isPresent()) {
                return;
            }
            int fd = root.find(target);
            if (fd < 0) {
                return;
            }
            try {
                // "/." makes the walk start inside the directory the kernel resolved, not at the magic link
                copy(Path.of(InRoot.path(fd), "."), volume);
            } finally {
                Kernel.closeQuietly(fd);
            }
        } catch (IOException e) {
            throw new JboxException("cannot copy the image's " + target + " into the volume " + volume + ": " + e);
        }
    }
    // end::seed[]

    private static void copy(Path from, Path volume) throws IOException {
        if (!Files.isDirectory(from)) {
            return; // a file at the target: the mount will say so
        }
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path to = volume.resolve(from.relativize(p).toString());
                if (p.equals(from)) {
                    Files.setPosixFilePermissions(volume, Files.getPosixFilePermissions(p));
                    Files.setAttribute(volume, "unix:uid", Files.getAttribute(p, "unix:uid"));
                    Files.setAttribute(volume, "unix:gid", Files.getAttribute(p, "unix:gid"));
                } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) || Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)
                        || Files.isSymbolicLink(p)) {
                    // Links are copied as links and never followed: they mean something inside the container only.
                    Files.copy(p, to, StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
                }
            }
        }
    }
}
