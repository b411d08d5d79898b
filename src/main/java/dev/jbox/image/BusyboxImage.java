package dev.jbox.image;

import dev.jbox.FileTrees;
import dev.jbox.JboxException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.UUID;

/**
 * The built-in image: a root file system made from the machine's own statically linked
 * busybox, so the first run needs no network. One binary, and a symbolic link per applet.
 */
final class BusyboxImage {
    private static final List<String> CANDIDATES = List.of("/bin/busybox", "/usr/bin/busybox");
    private static final List<String> DIRS = List.of("bin", "sbin", "usr/bin", "usr/sbin", "etc", "dev",
            "proc", "sys", "root", "home", "var", "run", "tmp");

    private BusyboxImage() {
    }

    /** Builds the image beside {@code dir}, then renames it into place, so a crash never leaves half an image. */
    static void create(Path dir) {
        Path busybox = findStaticBusybox();
        Path tmp = dir.resolveSibling("." + dir.getFileName() + ".tmp-" + UUID.randomUUID());
        try {
            Files.createDirectories(tmp.resolve("rootfs"));
            populate(tmp.resolve("rootfs"), busybox);
            ImageStore.writeConfig(tmp.resolve("config.json"),
                    new ImageConfig(List.of("sh"), List.of(ImageConfig.DEFAULT_PATH), "/"));
            try {
                Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | DirectoryNotEmptyException | AtomicMoveNotSupportedException e) {
                // Another jbox made it first; theirs is as good as ours.
            }
        } catch (IOException e) {
            throw new JboxException("cannot create the busybox image in " + dir + ": " + e
                    + "; check that " + dir.getParent() + " is writable");
        } finally {
            FileTrees.delete(tmp);
        }
    }

    private static void populate(Path rootfs, Path busybox) throws IOException {
        for (String d : DIRS) {
            Files.createDirectories(rootfs.resolve(d));
        }
        Files.setPosixFilePermissions(rootfs.resolve("tmp"), PosixFilePermissions.fromString("rwxrwxrwx"));
        Files.setPosixFilePermissions(rootfs.resolve("root"), PosixFilePermissions.fromString("rwx------"));
        Files.copy(busybox, rootfs.resolve("bin/busybox"), StandardCopyOption.COPY_ATTRIBUTES);
        for (String applet : applets(busybox)) {
            Path link = rootfs.resolve(applet);
            if (!Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectories(link.getParent());
                Files.createSymbolicLink(link, Path.of("/bin/busybox"));
            }
        }
        Files.writeString(rootfs.resolve("etc/passwd"),
                "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n");
        Files.writeString(rootfs.resolve("etc/group"), "root:x:0:\nnogroup:x:65534:\n");
        // Empty, as in Docker's images: each container gets its own, bind-mounted over these.
        for (String f : List.of("etc/hosts", "etc/hostname", "etc/resolv.conf")) {
            Files.createFile(rootfs.resolve(f));
        }
    }

    /** {@code busybox --list-full} names every applet with its directory, e.g. "bin/sh" and "usr/bin/env". */
    private static List<String> applets(Path busybox) throws IOException {
        Process p = new ProcessBuilder(busybox.toString(), "--list-full").redirectErrorStream(true).start();
        String out;
        try (InputStream in = p.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        try {
            if (p.waitFor() != 0) {
                throw new JboxException(busybox + " --list-full failed: " + out.strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JboxException("interrupted while listing busybox applets");
        }
        return out.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.contains("..")).toList();
    }

    static Path findStaticBusybox() {
        String override = System.getenv("JBOX_BUSYBOX");
        List<String> candidates = override != null ? List.of(override) : CANDIDATES;
        for (String c : candidates) {
            Path p = Path.of(c);
            if (Files.isRegularFile(p)) {
                if (!isStatic(p)) {
                    throw new JboxException(p + " is dynamically linked, so it cannot run inside a container;"
                            + " install the static one: apt-get install busybox-static");
                }
                return p;
            }
        }
        throw new JboxException("busybox not found (looked at " + String.join(", ", candidates)
                + "); install it: apt-get install busybox-static");
    }

    /** A dynamically linked ELF file names its loader in a PT_INTERP program header; a static one has none. */
    static boolean isStatic(Path elf) {
        try (var ch = Files.newByteChannel(elf)) {
            ByteBuffer header = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
            ch.read(header);
            if (header.getInt(0) != 0x464c457f || header.get(4) != 2) {
                return false; // not a 64-bit ELF file
            }
            long phoff = header.getLong(0x20);
            int phentsize = Short.toUnsignedInt(header.getShort(0x36));
            int phnum = Short.toUnsignedInt(header.getShort(0x38));
            ByteBuffer ph = ByteBuffer.allocate(phentsize * phnum).order(ByteOrder.LITTLE_ENDIAN);
            ch.position(phoff);
            ch.read(ph);
            for (int i = 0; i < phnum; i++) {
                if (ph.getInt(i * phentsize) == 3) { // PT_INTERP
                    return false;
                }
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
