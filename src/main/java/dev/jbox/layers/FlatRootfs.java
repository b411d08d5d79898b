package dev.jbox.layers;

import dev.jbox.DataRoot;
import dev.jbox.FileTrees;
import dev.jbox.JboxException;
import dev.jbox.LockFile;
import dev.jbox.image.ImageStore;
import dev.jbox.image.StoredImage;
import dev.jbox.kernel.Kernel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The plain directory chapters 1-3 run an image on ({@code images/ID/rootfs}): the image's
 * layers, as chapter 4's snapshots hold them, copied one over the other, base first, the way
 * overlayfs would show them - a whiteout deletes, an opaque directory hides what lies below.
 * The layers are read only by {@link LayerUnpacker} (through {@link Snapshots}), so every layer
 * that can run on overlay can run here, and the same hostile tars are refused.
 *
 * <p>One directory per image, shared by its containers (what one writes the next sees: the
 * problem chapter 4 solves), made once under a lock, in a temporary directory renamed into place
 * whole, so a directory that exists is complete.
 */
public final class FlatRootfs {
    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

    private FlatRootfs() {
    }

    /** The image's plain root directory, made from its snapshots on first use. */
    public static Path ensure(DataRoot root, ImageStore images, StoredImage image) {
        Path dir = root.images().resolve(image.id().hex());
        if (Files.isDirectory(dir.resolve("rootfs"))) {
            return dir.resolve("rootfs");
        }
        List<Path> layers = ContainerLayers.lowers(root, images, image);
        try (LockFile lock = LockFile.acquire(root.images().resolve(".locks").resolve(image.id().hex()))) {
            if (Files.isDirectory(dir.resolve("rootfs"))) {
                return dir.resolve("rootfs"); // another jbox made it while we waited
            }
            Path tmp = root.images().resolve("." + image.id().hex() + ".tmp-" + java.util.UUID.randomUUID());
            try {
                Files.createDirectories(tmp);
                flatten(layers, tmp.resolve("rootfs"), Whiteouts.LINUX);
                Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                throw new JboxException("cannot make the plain directory of image " + image.id().shortHex() + " in "
                        + dir + ": " + e + "; check the space and permissions of " + root.images());
            } finally {
                FileTrees.delete(tmp);
            }
        }
        return dir.resolve("rootfs");
    }

    /** Copies layer directories (overlay's form, base first) one over the other into {@code target}, which must not exist. */
    static void flatten(List<Path> layersBaseFirst, Path target, Whiteouts.Disk disk) throws IOException {
        Files.createDirectory(target);
        for (Path layer : layersBaseFirst) {
            new Copy(layer, disk).directory(layer, target);
        }
    }

    /** One layer copied over the directory: hard links inside the layer stay hard links. */
    private static final class Copy {
        private final Path layer;
        private final Whiteouts.Disk disk;
        private final Map<Object, Path> copiedInodes = new HashMap<>();

        Copy(Path layer, Whiteouts.Disk disk) {
            this.layer = layer;
            this.disk = disk;
        }

        /** {@code dst} is a directory already; what {@code src} holds is copied into it, then its owner, mode and times. */
        void directory(Path src, Path dst) throws IOException {
            List<Path> children;
            try (Stream<Path> s = Files.list(src)) {
                children = s.sorted().toList();
            }
            for (Path child : children) {
                entry(child, dst.resolve(child.getFileName().toString()));
            }
            own(src, dst, false);
        }

        private void entry(Path src, Path dst) throws IOException {
            if (disk.isWhiteout(src)) {
                FileTrees.delete(dst); // whatever is there: file, symbolic link (never what it points to), directory
            } else if (Files.isDirectory(src, NOFOLLOW)) {
                if (disk.isOpaque(src) || !Files.isDirectory(dst, NOFOLLOW)) {
                    FileTrees.delete(dst); // an opaque directory starts empty: nothing of the layers below shows
                    Files.createDirectory(dst);
                }
                directory(src, dst);
            } else if (Files.isSymbolicLink(src)) {
                FileTrees.delete(dst);
                Files.createSymbolicLink(dst, Files.readSymbolicLink(src));
                own(src, dst, true);
            } else if (Files.isRegularFile(src, NOFOLLOW)) {
                FileTrees.delete(dst);
                Map<String, Object> inode = Files.readAttributes(src, "unix:ino,nlink", NOFOLLOW);
                Path first = (Integer) inode.get("nlink") > 1 ? copiedInodes.get(inode.get("ino")) : null;
                if (first != null) {
                    Files.createLink(dst, first);
                    return;
                }
                Files.copy(src, dst, NOFOLLOW); // fails on an existing name: never writes through a link
                own(src, dst, false);
                copiedInodes.put(inode.get("ino"), dst);
            } else {
                throw new JboxException("snapshot " + layer + " holds '" + layer.relativize(src)
                        + "', neither file, directory, symbolic link nor whiteout; remove the snapshot and run again");
            }
        }

        /** Owner, mode, extended attributes (not overlay's own) and times, in that order: chown clears setuid. */
        private void own(Path src, Path dst, boolean symlink) throws IOException {
            Map<String, Object> a = Files.readAttributes(src, "unix:uid,gid,mode,lastModifiedTime", NOFOLLOW);
            String p = dst.toString();
            Kernel.lchown(p, (Integer) a.get("uid"), (Integer) a.get("gid"));
            if (!symlink) {
                Kernel.chmod(p, (Integer) a.get("mode") & 07777);
                for (String name : Kernel.llistxattr(src.toString())) {
                    if (!name.startsWith("trusted.")) {
                        Kernel.lsetxattr(p, name, Kernel.lgetxattr(src.toString(), name));
                    }
                }
            }
            FileTime mtime = (FileTime) a.get("lastModifiedTime");
            Files.getFileAttributeView(dst, BasicFileAttributeView.class, NOFOLLOW).setTimes(mtime, mtime, null);
        }
    }
}
