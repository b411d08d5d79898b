package dev.jbox.layers;

import dev.jbox.JboxException;
import dev.jbox.image.Digest;
import dev.jbox.kernel.Kernel;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * A container's upper directory, read back as what it is: the difference between the container
 * and its image. {@link #write} turns it into an OCI layer tar (for {@code commit} and
 * {@code build}); {@link #changes} lists it as {@code docker diff} prints it.
 *
 * <p>The tar is reproducible: entries in sorted order, times in whole seconds and clamped to
 * SOURCE_DATE_EPOCH when one is given, no user or group names, nothing from the clock or the
 * host. The same directory gives the same digest every time.
 */
public final class LayerDiff {
    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;
    private static final int S_IFMT = 0170000, S_IFSOCK = 0140000, S_IFCHR = 0020000, S_IFBLK = 0060000,
            S_IFIFO = 0010000;

    /** A written layer: the digest and size of the blob as written, and its diff id (the uncompressed tar's digest). */
    public record Layer(Digest digest, Digest diffId, long size) {
    }

    public enum Compression { NONE, GZIP }

    /** One line of {@code jbox diff}: A (added), C (changed) or D (deleted), and the path in the container. */
    public record Change(char kind, String path) {
        @Override
        public String toString() {
            return kind + " " + path;
        }
    }

    private final Whiteouts.Disk disk;

    public LayerDiff() {
        this(Whiteouts.LINUX);
    }

    LayerDiff(Whiteouts.Disk disk) {
        this.disk = disk;
    }

    /** SOURCE_DATE_EPOCH from the environment, as seconds, or null if it is not set. */
    public static Long sourceDateEpoch() {
        String value = System.getenv("SOURCE_DATE_EPOCH");
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            throw new JboxException("SOURCE_DATE_EPOCH='" + value + "' is not a number of seconds: unset it or give e.g. 0");
        }
    }

    // tag::write[]
    /**
     * Writes {@code upper} to {@code out} as an OCI layer: overlay whiteouts become {@code .wh.}
     * files, opaque directories get {@code .wh..wh..opq}. Times later than {@code clampTo}
     * (seconds, or null for none) are set to it.
     */
    public Layer write(Path upper, OutputStream out, Compression compression, Long clampTo) {
        MessageDigest blobHash = sha256(), tarHash = sha256();
        CountingStream counted = new CountingStream(new DigestOutputStream(out, blobHash));
        try {
            OutputStream compressed = compression == Compression.GZIP ? new GZIPOutputStream(counted, 1 << 16) : counted;
            TarXattrs.Writing xattrs = new TarXattrs.Writing(new DigestOutputStream(compressed, tarHash));
            TarArchiveOutputStream tar = new TarArchiveOutputStream(xattrs);
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            tar.setAddPaxHeadersForNonAsciiNames(true);
            new Writer(upper, tar, xattrs, clampTo).directory(upper, "");
            tar.finish();
            tar.flush();
            if (compressed instanceof GZIPOutputStream gzip) {
                gzip.finish();
            }
            counted.flush();
        } catch (IOException e) {
            throw new JboxException("cannot write a layer of " + upper + ": " + e.getMessage());
        }
        return new Layer(digest(blobHash), digest(tarHash), counted.count);
    }
    // end::write[]

    /** The entries of one layer, written in sorted order with hardlinks found by inode. */
    private final class Writer {
        private final Path upper;
        private final TarArchiveOutputStream tar;
        private final TarXattrs.Writing xattrs;
        private final Long clampTo;
        private final Map<String, String> firstNameOfInode = new HashMap<>();

        Writer(Path upper, TarArchiveOutputStream tar, TarXattrs.Writing xattrs, Long clampTo) {
            this.upper = upper;
            this.tar = tar;
            this.xattrs = xattrs;
            this.clampTo = clampTo;
        }

        void directory(Path dir, String rel) throws IOException {
            for (Path child : sortedChildren(dir)) {
                String name = (rel.isEmpty() ? "" : rel + "/") + child.getFileName();
                entry(child, name);
            }
        }

        private void entry(Path p, String name) throws IOException {
            Map<String, Object> a = Files.readAttributes(p, "unix:mode,uid,gid,ino,dev,nlink,size,lastModifiedTime", NOFOLLOW);
            int mode = (Integer) a.get("mode");
            int type = mode & S_IFMT;
            TarArchiveEntry e;
            if (Files.isDirectory(p, NOFOLLOW)) {
                e = header(new TarArchiveEntry(name + "/", TarConstants.LF_DIR), a);
                xattrs(p, e);
                tar.putArchiveEntry(e);
                tar.closeArchiveEntry();
                if (disk.isOpaque(p)) {
                    marker(name + "/" + Whiteouts.OPAQUE_MARKER, a);
                }
                directory(p, name);
            } else if (Files.isSymbolicLink(p)) {
                e = header(new TarArchiveEntry(name, TarConstants.LF_SYMLINK), a);
                e.setLinkName(Files.readSymbolicLink(p).toString());
                tar.putArchiveEntry(e);
                tar.closeArchiveEntry();
            } else if (type == S_IFCHR && disk.isWhiteout(p)) {
                String parent = name.contains("/") ? name.substring(0, name.lastIndexOf('/') + 1) : "";
                marker(parent + Whiteouts.toOci(p, disk), a);
            } else if (type == S_IFSOCK) {
                return; // a socket is a running program's, not content (Docker leaves them out too)
            } else if (type == S_IFCHR || type == S_IFBLK || type == S_IFIFO) {
                throw new JboxException("cannot make a layer of " + upper + ": '" + name
                        + "' is a device node or FIFO, which jbox layers never hold; remove it first");
            } else {
                String inode = a.get("dev") + ":" + a.get("ino");
                String first = (Integer) a.get("nlink") > 1 ? firstNameOfInode.putIfAbsent(inode, name) : null;
                if (first != null) {
                    e = header(new TarArchiveEntry(name, TarConstants.LF_LINK), a);
                    e.setLinkName(first);
                    tar.putArchiveEntry(e);
                    tar.closeArchiveEntry();
                    return;
                }
                e = header(new TarArchiveEntry(name, TarConstants.LF_NORMAL), a);
                e.setSize((Long) a.get("size"));
                xattrs(p, e);
                tar.putArchiveEntry(e);
                Files.copy(p, tar);
                tar.closeArchiveEntry();
            }
        }

        /** An empty file that only says something by its name (a whiteout). */
        private void marker(String name, Map<String, Object> a) throws IOException {
            TarArchiveEntry e = header(new TarArchiveEntry(name, TarConstants.LF_NORMAL), a);
            e.setMode(0600);
            tar.putArchiveEntry(e);
            tar.closeArchiveEntry();
        }

        private TarArchiveEntry header(TarArchiveEntry e, Map<String, Object> a) {
            e.setMode((Integer) a.get("mode") & 07777);
            e.setUserId(((Integer) a.get("uid")).longValue());
            e.setGroupId(((Integer) a.get("gid")).longValue());
            long seconds = ((FileTime) a.get("lastModifiedTime")).to(TimeUnit.SECONDS);
            if (clampTo != null && seconds > clampTo) {
                seconds = clampTo;
            }
            e.setModTime(FileTime.from(seconds, TimeUnit.SECONDS));
            return e;
        }

        /**
         * The extended attributes a layer may carry (see {@link LayerUnpacker#wanted}), in sorted
         * order, as their exact bytes: the library gets a placeholder, which {@link TarXattrs.Writing} replaces.
         */
        private void xattrs(Path p, TarArchiveEntry e) {
            for (String xattr : Kernel.llistxattr(p.toString()).stream().sorted().toList()) {
                byte[] value = Kernel.lgetxattr(p.toString(), xattr);
                if (value != null && LayerUnpacker.wanted(xattr)) {
                    e.addPaxHeader(TarXattrs.PREFIX + xattr, xattrs.placeholder(value));
                }
            }
        }
    }

    // tag::changes[]
    /**
     * What the container changed, as {@code docker diff} prints it: every path of the upper
     * directory is A (not in the image) or C (in the image), every whiteout is D, and the
     * directory holding an added or deleted path is C. {@code lowersBaseFirst}: the image's layers.
     */
    public List<Change> changes(Path upper, List<Path> lowersBaseFirst) {
        UnionView image = new UnionView(lowersBaseFirst, disk);
        TreeMap<String, Character> found = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(upper)) {
            for (Path p : walk.skip(1).toList()) {
                String rel = upper.relativize(p).toString();
                Path below = image.find(rel);
                char kind;
                if (!Files.isDirectory(p, NOFOLLOW) && !Files.isSymbolicLink(p) && disk.isWhiteout(p)) {
                    kind = 'D';
                } else if (below == null) {
                    kind = 'A';
                } else if (Files.isDirectory(p, NOFOLLOW) && !disk.isOpaque(p) && sameDirectory(p, below)) {
                    continue; // copied up only to hold a change below it, as Docker judges it: its children tell
                } else {
                    kind = 'C';
                }
                found.put(rel, kind);
                int slash = rel.lastIndexOf('/');
                if (kind != 'C' && slash > 0) {
                    found.putIfAbsent(rel.substring(0, slash), 'C');
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Change> changes = new ArrayList<>();
        found.forEach((rel, kind) -> changes.add(new Change(kind, "/" + rel)));
        return changes;
    }
    // end::changes[]

    /** Whether an upper directory has the mode and modification time of its image's directory. */
    private static boolean sameDirectory(Path upper, Path image) throws IOException {
        if (!Files.isDirectory(image, NOFOLLOW)) {
            return false;
        }
        Map<String, Object> u = Files.readAttributes(upper, "unix:mode,lastModifiedTime", NOFOLLOW);
        Map<String, Object> i = Files.readAttributes(image, "unix:mode,lastModifiedTime", NOFOLLOW);
        return u.get("mode").equals(i.get("mode")) && u.get("lastModifiedTime").equals(i.get("lastModifiedTime"));
    }

    private static List<Path> sortedChildren(Path dir) throws IOException {
        try (Stream<Path> list = Files.list(dir)) {
            return list.sorted((x, y) -> x.getFileName().toString().compareTo(y.getFileName().toString())).toList();
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static Digest digest(MessageDigest md) {
        return new Digest("sha256", HexFormat.of().formatHex(md.digest()));
    }

    private static final class CountingStream extends java.io.FilterOutputStream {
        long count;

        CountingStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }
}
