package dev.jbox.layers;

import dev.jbox.FileTrees;
import dev.jbox.JboxException;
import dev.jbox.image.Digest;
import dev.jbox.image.MediaTypes;
import dev.jbox.kernel.Kernel;
import dev.jbox.kernel.KernelException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorInputStream;

/**
 * Unpacks one layer tar (plain, gzip or zstd) into a directory of its own, the way overlayfs
 * reads a lower layer: OCI whiteouts become overlay whiteouts. A layer is content from strangers,
 * so every entry is checked before it touches the disk, and a refused layer leaves nothing behind:
 * it is unpacked into a private temporary directory that is renamed into place only when all of
 * it has been read.
 *
 * <p>Paths are resolved one component at a time without following symbolic links: a symlink,
 * whether this layer made it a moment ago or a lower layer holds it, is never written through.
 * The temporary directory is mode 0700 and only this thread writes in it, so the walk and the
 * write that follows see the same tree.
 */
public final class LayerUnpacker {
    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

    /** What was unpacked: the diff id (sha256 of the uncompressed tar), its size, the number of entries. */
    public record Unpacked(Digest diffId, long tarSize, int entries) {
    }

    private final Whiteouts.Disk disk;

    public LayerUnpacker() {
        this(Whiteouts.LINUX);
    }

    LayerUnpacker(Whiteouts.Disk disk) {
        this.disk = disk;
    }

    /**
     * Unpacks {@code blob} into {@code target}, which must not exist yet. {@code lowersBaseFirst}
     * are the layers below this one (image order, base first): an entry that would be written
     * through a symbolic link among them is refused. {@code layerName} names the layer in errors.
     */
    public Unpacked unpack(InputStream blob, Path target, String layerName, List<Path> lowersBaseFirst) {
        if (Files.exists(target, NOFOLLOW)) {
            throw new JboxException("cannot unpack layer " + layerName + " into " + target + ": it exists already");
        }
        Path tmp;
        try {
            Files.createDirectories(target.toAbsolutePath().getParent());
            tmp = Files.createTempDirectory(target.toAbsolutePath().getParent(), "." + target.getFileName() + ".unpack-");
        } catch (IOException e) {
            throw new JboxException("cannot unpack layer " + layerName + " into " + target + ": " + e);
        }
        try {
            Digest.Hashing tar = Digest.hashing("sha256", decompress(blob));
            Run run = new Run(tmp, layerName, new UnionView(lowersBaseFirst, disk));
            TarXattrs.Reading xattrs = new TarXattrs.Reading(tar.in());
            int entries = run.unpackAll(new TarArchiveInputStream(xattrs), xattrs);
            tar.in().transferTo(OutputStream.nullOutputStream()); // the diff id covers the tar's padding too
            run.finish();
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            return new Unpacked(tar.digest(), tar.size(), entries);
        } catch (FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException e) {
            FileTrees.delete(tmp);
            throw new JboxException("cannot unpack layer " + layerName + " into " + target + ": it exists already");
        } catch (IOException e) {
            FileTrees.delete(tmp);
            throw new JboxException("cannot read layer " + layerName + ": " + e.getMessage()
                    + " (is the blob corrupt or truncated?)");
        } catch (RuntimeException e) {
            FileTrees.delete(tmp);
            throw e;
        }
    }

    // tag::decompress[]
    /** The tar inside a layer blob, told apart by the first bytes: gzip (1f 8b), zstd (28 b5 2f fd) or none. */
    public static InputStream decompress(InputStream blob) throws IOException {
        BufferedInputStream in = new BufferedInputStream(blob, 1 << 16);
        in.mark(4);
        byte[] magic = in.readNBytes(4);
        in.reset();
        return switch (compression(magic)) {
            case GZIP -> new GZIPInputStream(in, 1 << 16);
            case ZSTD -> new ZstdCompressorInputStream(in);
            case NONE -> in;
        };
    }

    /** How a blob that starts with {@code magic} (its first four bytes) is compressed. */
    public static MediaTypes.Compression compression(byte[] magic) {
        if (magic.length >= 2 && magic[0] == (byte) 0x1f && magic[1] == (byte) 0x8b) {
            return MediaTypes.Compression.GZIP;
        }
        if (magic.length == 4 && magic[0] == 0x28 && magic[1] == (byte) 0xb5 && magic[2] == 0x2f
                && magic[3] == (byte) 0xfd) {
            return MediaTypes.Compression.ZSTD;
        }
        return MediaTypes.Compression.NONE;
    }
    // end::decompress[]

    /**
     * The components of an entry's name, with "." and empty ones dropped: "./a//b" is [a, b].
     * Refuses absolute names and "..", which no layer needs and every escape uses.
     */
    static List<String> components(String name) {
        if (name.startsWith("/")) {
            throw new IllegalArgumentException("is an absolute path");
        }
        List<String> parts = new ArrayList<>();
        for (String part : name.split("/")) {
            if (part.equals("..")) {
                throw new IllegalArgumentException("climbs out of the layer with '..'");
            }
            if (!part.isEmpty() && !part.equals(".")) {
                parts.add(part);
            }
        }
        return parts;
    }

    /** Whether a symbolic link at depth {@code depth} (0: in the root) pointing to {@code target} stays inside the root. */
    static boolean staysInside(int depth, String target) {
        if (target.startsWith("/")) {
            return true; // absolute targets are resolved against the container's root, as the kernel does after pivot_root
        }
        int level = depth;
        for (String part : target.split("/")) {
            if (part.equals("..")) {
                if (--level < 0) {
                    return false;
                }
            } else if (!part.isEmpty() && !part.equals(".")) {
                level++;
            }
        }
        return true;
    }

    /** A directory entry, whose times are set once nothing more is written inside it. */
    private record Directory(Path path, TarArchiveEntry entry, Map<String, byte[]> xattrs) {
    }

    /** One unpacking: the temporary root, what this layer made, the directories whose times are set last. */
    private final class Run {
        private final Path root;
        private final String layerName;
        private final UnionView lowers;
        private final Set<String> explicitDirs = new HashSet<>();
        private final Set<String> checkedPrefixes = new HashSet<>();
        private final List<Directory> directories = new ArrayList<>();
        private final boolean asRoot = Kernel.geteuid() == 0; // as GNU tar: only root keeps the owners
        private String entryName;

        Run(Path root, String layerName, UnionView lowers) {
            this.root = root;
            this.layerName = layerName;
            this.lowers = lowers;
        }

        int unpackAll(TarArchiveInputStream tar, TarXattrs.Reading xattrs) throws IOException {
            int count = 0;
            for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
                entryName = e.getName();
                try {
                    unpack(e, xattrs.of(e), tar);
                } catch (IllegalArgumentException bad) {
                    throw refuse(bad.getMessage());
                } catch (KernelException k) {
                    throw refuse("could not be written: " + k.getMessage());
                } catch (IOException io) {
                    if (io instanceof java.nio.file.FileSystemException) {
                        throw refuse("could not be written: " + io);
                    }
                    throw io;
                }
                count++;
            }
            return count;
        }

        private JboxException refuse(String why) {
            return new JboxException("refused layer " + layerName + ": entry '" + entryName + "' " + why
                    + "; nothing of the layer was kept");
        }

        private void unpack(TarArchiveEntry e, Map<String, byte[]> xattrs, InputStream data) throws IOException {
            List<String> parts = components(e.getName());
            if (parts.isEmpty()) {
                if (!e.isDirectory()) {
                    throw new IllegalArgumentException("replaces the layer's root with a non-directory");
                }
                directories.add(new Directory(root, e, xattrs));
                return;
            }
            String base = parts.get(parts.size() - 1);
            List<String> parentParts = parts.subList(0, parts.size() - 1);
            Whiteouts.Whiteout whiteout = Whiteouts.parse(base);
            if (whiteout != null) {
                if (!e.isFile() || e.isLink() || e.isSymbolicLink()) {
                    throw new IllegalArgumentException("is a whiteout but not a plain file");
                }
                Path dir = parentDirectory(parentParts);
                if (whiteout.kind() == Whiteouts.Kind.DELETE) {
                    clear(dir.resolve(whiteout.name()));
                }
                Whiteouts.toOverlay(dir, whiteout, disk);
                return;
            }
            Path dir = parentDirectory(parentParts);
            Path path = dir.resolve(base);
            String rel = String.join("/", parts);
            if (e.isDirectory()) {
                if (!Files.isDirectory(path, NOFOLLOW)) {
                    clear(path);
                    Files.createDirectory(path);
                }
                explicitDirs.add(rel);
                directories.add(new Directory(path, e, xattrs));
            } else if (e.isSymbolicLink()) {
                if (!staysInside(parentParts.size(), e.getLinkName())) {
                    throw new IllegalArgumentException("is a symbolic link to '" + e.getLinkName()
                            + "', which leads outside the layer's root");
                }
                clear(path);
                Files.createSymbolicLink(path, Path.of(e.getLinkName()));
                own(path, e, xattrs, true);
            } else if (e.isLink()) {
                Path existing = hardlinkTarget(e.getLinkName());
                clear(path);
                Files.createLink(path, existing);
            } else if (e.isCharacterDevice() || e.isBlockDevice() || e.isFIFO()) {
                throw new IllegalArgumentException("is a device node or FIFO: a layer is user content and may hold none");
            } else if (e.isFile()) {
                clear(path);
                Files.copy(data, path); // O_EXCL: never opens what a symbolic link points to
                own(path, e, xattrs, false);
            } else {
                throw new IllegalArgumentException("has a tar entry type jbox does not unpack");
            }
        }

        /** The directory that will hold an entry: each component walked without following symlinks, made if missing. */
        private Path parentDirectory(List<String> parentParts) throws IOException {
            Path dir = root;
            StringBuilder rel = new StringBuilder();
            for (String part : parentParts) {
                rel.append(rel.length() == 0 ? "" : "/").append(part);
                dir = dir.resolve(part);
                if (Files.isSymbolicLink(dir)) {
                    throw new IllegalArgumentException("would be written through the symbolic link '" + rel
                            + "' (-> " + Files.readSymbolicLink(dir) + ")");
                }
                checkLowerLayers(rel.toString());
                if (!Files.exists(dir, NOFOLLOW)) {
                    Files.createDirectory(dir);
                } else if (!Files.isDirectory(dir, NOFOLLOW)) {
                    throw new IllegalArgumentException("is inside '" + rel + "', which is not a directory");
                }
            }
            return dir;
        }

        /** Refuses to go through a prefix that the layers below hold as a symbolic link (unless this layer made it a directory). */
        private void checkLowerLayers(String rel) throws IOException {
            if (explicitDirs.contains(rel) || !checkedPrefixes.add(rel)) {
                return;
            }
            Path below = lowers.find(rel);
            if (below != null && Files.isSymbolicLink(below)) {
                throw new IllegalArgumentException("would be written through '" + rel
                        + "', a symbolic link in a lower layer (-> " + Files.readSymbolicLink(below) + ")");
            }
        }

        /** A hardlink's target: a file this layer holds, reached without symbolic links. */
        private Path hardlinkTarget(String linkName) throws IOException {
            List<String> parts;
            try {
                parts = components(linkName);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("is a hardlink to '" + linkName + "', which leads outside the layer's root");
            }
            Path p = root;
            for (int i = 0; i < parts.size(); i++) {
                p = p.resolve(parts.get(i));
                boolean last = i == parts.size() - 1;
                if (!Files.exists(p, NOFOLLOW) || (last && Files.isDirectory(p, NOFOLLOW))) {
                    throw new IllegalArgumentException("is a hardlink to '" + linkName + "', which is no file of this layer");
                }
                if (!last && !Files.isDirectory(p, NOFOLLOW)) {
                    throw new IllegalArgumentException("is a hardlink to '" + linkName + "' through '"
                            + String.join("/", parts.subList(0, i + 1)) + "', which is not a directory");
                }
            }
            if (parts.isEmpty()) {
                throw new IllegalArgumentException("is a hardlink to the layer's root");
            }
            return p;
        }

        /** Makes room for a new entry: a later entry of the same name wins, as tar has it. */
        private void clear(Path path) {
            if (Files.isDirectory(path, NOFOLLOW)) {
                FileTrees.delete(path);
            } else {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    throw new IllegalArgumentException("could not replace " + path + ": " + e);
                }
            }
        }

        /** Owner, mode, extended attributes and modification time, in that order (chown clears setuid). */
        private void own(Path path, TarArchiveEntry e, Map<String, byte[]> xattrs, boolean symlink) throws IOException {
            String p = path.toString();
            if (asRoot) {
                Kernel.lchown(p, Math.toIntExact(e.getLongUserId()), Math.toIntExact(e.getLongGroupId()));
            }
            if (!symlink) {
                Kernel.chmod(p, e.getMode() & 07777);
                for (Map.Entry<String, byte[]> x : xattrs.entrySet()) {
                    if (wanted(x.getKey())) {
                        Kernel.lsetxattr(p, x.getKey(), x.getValue()); // the exact bytes (see TarXattrs)
                    }
                }
            }
            FileTime mtime = e.getLastModifiedTime();
            Files.getFileAttributeView(path, BasicFileAttributeView.class, NOFOLLOW).setTimes(mtime, mtime, null);
        }

        void finish() throws IOException {
            boolean rootListed = false;
            for (int i = directories.size() - 1; i >= 0; i--) {
                Directory d = directories.get(i);
                rootListed |= d.path().equals(root);
                own(d.path(), d.entry(), d.xattrs(), false);
            }
            if (!rootListed) {
                Kernel.chmod(root.toString(), 0755); // the temporary directory was private while we wrote
            }
        }
    }

    /**
     * Which extended attributes of a layer are kept. {@code trusted.*} never: overlayfs keeps its
     * own bookkeeping there, and a layer must not forge a whiteout or a redirect.
     */
    static boolean wanted(String name) {
        return name.startsWith("user.") || name.equals("security.capability");
    }
}
