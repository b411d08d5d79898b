package dev.jbox.image;

import dev.jbox.FileTrees;
import dev.jbox.JboxException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;
import java.util.UUID;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * STOPGAP until chapter 4's snapshots: one plain directory per image ({@code images/ID/rootfs}),
 * the image's layers unpacked into it, for the runtimes of chapters 1-3 that run on a directory.
 * The snapshots of {@code dev.jbox.layers} (one directory per layer chain, overlay mounts,
 * whiteouts, hostile tars) replace it. It reads only what jbox's own layers hold - directories,
 * regular files, symbolic links - and refuses anything else, and any path that leaves the root.
 */
final class FlatRootfs {
    private FlatRootfs() {
    }

    /** The image's directory, unpacked on first use; a crash never leaves half of one in place. */
    static Path ensure(Path imagesDir, StoredImage image, ContentStore content) {
        Path dir = imagesDir.resolve(image.id().hex());
        if (Files.isDirectory(dir.resolve("rootfs"))) {
            return dir.resolve("rootfs");
        }
        Path tmp = imagesDir.resolve("." + image.id().hex() + ".tmp-" + UUID.randomUUID());
        try {
            Files.createDirectories(tmp.resolve("rootfs"));
            for (Descriptor layer : image.layers()) {
                unpack(content.path(layer.digest()), layer.mediaType(), tmp.resolve("rootfs"));
            }
            try {
                Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | DirectoryNotEmptyException | AtomicMoveNotSupportedException e) {
                // Another jbox unpacked it first; theirs is the same.
            }
        } catch (IOException e) {
            throw new JboxException("cannot unpack image " + image.id().shortHex() + " into " + dir + ": " + e
                    + "; check the space and permissions of " + imagesDir);
        } finally {
            FileTrees.delete(tmp);
        }
        return dir.resolve("rootfs");
    }

    static void unpack(Path layer, String mediaType, Path root) throws IOException {
        MediaTypes.Compression c = MediaTypes.compression(mediaType);
        if (c == MediaTypes.Compression.ZSTD) {
            throw new JboxException("layer " + layer.getFileName() + " is zstd-compressed; this plain-directory"
                    + " stopgap reads plain and gzip layers only (chapter 4's snapshots read zstd)");
        }
        try (InputStream file = new BufferedInputStream(Files.newInputStream(layer));
             InputStream raw = c == MediaTypes.Compression.GZIP ? new GzipCompressorInputStream(file) : file;
             TarArchiveInputStream tar = new TarArchiveInputStream(raw)) {
            for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
                Path target = inside(root, e.getName());
                if (e.isDirectory()) {
                    Files.createDirectories(target);
                } else if (e.isSymbolicLink()) {
                    Files.deleteIfExists(target);
                    Files.createSymbolicLink(target, Path.of(e.getLinkName()));
                    continue; // a link has no mode or time of its own to set
                } else if (e.isLink()) { // before isFile(), which is true for a hard link too
                    Files.deleteIfExists(target);
                    Files.createLink(target, inside(root, e.getLinkName())); // link(2) never follows a symlink
                    continue;
                } else if (e.isFile() && !e.getName().contains("/.wh.") && !e.getName().startsWith(".wh.")) {
                    Files.deleteIfExists(target);
                    Files.copy(tar, target);
                } else {
                    throw new JboxException("layer " + layer.getFileName() + " has entry '" + e.getName()
                            + "' of a kind the plain-directory stopgap does not unpack (only directories, files"
                            + " and symbolic links; chapter 4's snapshots handle the rest)");
                }
                Files.setPosixFilePermissions(target, permissions(e.getMode()));
                Files.setLastModifiedTime(target, FileTime.from(e.getModTime().toInstant()));
            }
        }
    }

    /** The entry's path below {@code root}, refusing one that climbs out or passes through a symbolic link. */
    private static Path inside(Path root, String name) {
        Path rel = Path.of(name.startsWith("./") ? name.substring(2) : name).normalize();
        if (rel.isAbsolute() || rel.startsWith("..") || name.contains("/../") || name.startsWith("../")) {
            throw new JboxException("layer entry '" + name + "' leaves the root file system; the layer is refused");
        }
        Path p = root;
        for (int i = 0; i < rel.getNameCount() - 1; i++) {
            p = p.resolve(rel.getName(i));
            if (Files.isSymbolicLink(p)) {
                throw new JboxException("layer entry '" + name + "' passes through the symbolic link " + root.relativize(p)
                        + "; the layer is refused");
            }
        }
        return root.resolve(rel);
    }

    private static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] order = {PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE,
                PosixFilePermission.OTHERS_READ, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE,
                PosixFilePermission.GROUP_READ, PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE,
                PosixFilePermission.OWNER_READ};
        for (int bit = 0; bit < order.length; bit++) {
            if ((mode & (1 << bit)) != 0) {
                set.add(order[bit]);
            }
        }
        return set;
    }

    /** The bytes of the regular files below {@code dir}. */
    static long size(Path dir) {
        try (var files = Files.walk(dir)) {
            return files.filter(f -> Files.isRegularFile(f, java.nio.file.LinkOption.NOFOLLOW_LINKS)).mapToLong(f -> {
                try {
                    return Files.size(f);
                } catch (IOException e) {
                    return 0;
                }
            }).sum();
        } catch (IOException e) {
            return 0;
        }
    }
}
