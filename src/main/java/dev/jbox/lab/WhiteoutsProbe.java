package dev.jbox.lab;

import static dev.jbox.lab.LabProbe.expect;

import dev.jbox.JboxException;
import dev.jbox.kernel.Kernel;
import dev.jbox.layers.LayerDiff;
import dev.jbox.layers.LayerUnpacker;
import dev.jbox.layers.OverlayMount;
import dev.jbox.layers.Whiteouts;
import dev.jbox.layers.Whiteouts.Kind;
import dev.jbox.layers.Whiteouts.Whiteout;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Chapter 4's checks: the student's whiteout translation, both ways, on names and contents random
 * per run. Exercise 1: what {@code parse} makes of names, good and bad; what the makers leave on
 * disk; then layers unpacked by the engine's {@link LayerUnpacker} (which calls the student's
 * methods) and mounted with {@link OverlayMount}: a whited-out file must be gone in the merged
 * view, an opaque directory must hide the layers below, and a file made again in a higher layer
 * must show. Exercise 2: what the tests say of whiteouts and opaque directories the kernel made;
 * then a container's changes (a file deleted, a directory replaced) on a real overlay, written
 * back by {@link LayerDiff} as OCI entries. Each exercise calls only its own methods, so either
 * can be done first. Every mount is removed on every path.
 */
final class WhiteoutsProbe {
    private static final int S_IFMT = 0170000, S_IFCHR = 0020000, S_IFREG = 0100000, S_IFDIR = 0040000;
    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

    private final Path work;
    private final Random random = new SecureRandom();

    WhiteoutsProbe(Path work) {
        this.work = work;
    }

    // Exercise 1: OCI to overlay.
    void toOverlay() throws IOException {
        parseCases();
        makersOnDisk();
        layersMerged();
        badWhiteoutRefusesTheLayer();
    }

    // Exercise 2: overlay to OCI.
    void toOci() throws IOException {
        testsOnDisk();
        containerChangesAsALayer();
    }

    private void parseCases() {
        String a = word(), b = word();
        for (String ordinary : List.of(a, a + Whiteouts.PREFIX + b, ".wh", ".wh" + a, "wh." + a)) {
            expectParse(ordinary, null, "it does not start with .wh.: an ordinary name");
        }
        expectParse(Whiteouts.PREFIX + a, new Whiteout(Kind.DELETE, a), "");
        expectParse(Whiteouts.PREFIX + "." + a, new Whiteout(Kind.DELETE, "." + a), "");
        expectParse(Whiteouts.PREFIX + a + Whiteouts.PREFIX + b, new Whiteout(Kind.DELETE, a + Whiteouts.PREFIX + b),
                "the name deleted is what follows the prefix, once");
        expectParse(Whiteouts.OPAQUE_MARKER, new Whiteout(Kind.OPAQUE, null),
                "it is the opaque marker: the directory hides the layers below, no file of that name is deleted");
        expectBad(Whiteouts.PREFIX, "it names no file");
        expectBad(Whiteouts.PREFIX + ".", "it would delete '.', the directory that holds it");
        expectBad(Whiteouts.PREFIX + "..", "it would delete '..', the directory above (the unpacker would remove the layer's parent)");
        expectBad(Whiteouts.PREFIX + Whiteouts.PREFIX + a, "it is a .wh..wh. marker OCI does not define (only .wh..wh..opq)");
    }

    private static void expectParse(String name, Whiteout expected, String why) {
        Whiteout got = parse(name);
        expect(java.util.Objects.equals(got, expected), "Whiteouts.parse(\"" + name + "\") is " + got + ", expected " + expected
                + (why.isEmpty() ? "" : "\n" + why));
    }

    private static void expectBad(String name, String why) {
        Whiteout got;
        try {
            got = Whiteouts.parse(name);
        } catch (IllegalArgumentException e) {
            return;
        } catch (RuntimeException e) {
            throw new LabProbe.Failed("Whiteouts.parse(\"" + name + "\") threw " + e
                    + "\na bad whiteout throws an IllegalArgumentException, which the unpacker turns into refusing the layer");
        }
        throw new LabProbe.Failed("Whiteouts.parse(\"" + name + "\") is " + got + ", expected an IllegalArgumentException:\n"
                + why + "; a layer holding it is refused");
    }

    private static Whiteout parse(String name) {
        try {
            return Whiteouts.parse(name);
        } catch (RuntimeException e) {
            throw new LabProbe.Failed("Whiteouts.parse(\"" + name + "\") threw " + e);
        }
    }

    /** What makeWhiteout and makeOpaque leave on disk, read with stat and getxattr here. */
    private void makersOnDisk() throws IOException {
        Path dir = Files.createDirectory(work.resolve("made-" + word()));
        String name = word();
        call(() -> Whiteouts.LINUX.makeWhiteout(dir.resolve(name)), "Whiteouts.LINUX.makeWhiteout(" + shown(dir.resolve(name)) + ")");
        String made = describe(dir.resolve(name));
        expect(made.equals("a character device 0/0"), "Whiteouts.LINUX.makeWhiteout(" + shown(dir.resolve(name)) + ") made " + made
                + "\noverlayfs reads only a character device 0/0 as a whiteout: anything else is an ordinary entry the container sees");
        call(() -> Whiteouts.LINUX.makeOpaque(dir), "Whiteouts.LINUX.makeOpaque(" + shown(dir) + ")");
        byte[] value = Kernel.lgetxattr(dir.toString(), Whiteouts.OPAQUE_XATTR);
        expect(value != null && new String(value, StandardCharsets.UTF_8).equals("y"), "Whiteouts.LINUX.makeOpaque(" + shown(dir)
                + ") left " + xattrs(dir) + "\noverlayfs, mounted as root without userxattr, reads " + Whiteouts.OPAQUE_XATTR
                + "=y (trusted.*: only root writes it, no user forges one)");
    }

    /** Three layers with random names through the engine's unpacker, mounted: what the container sees. */
    private void layersMerged() throws IOException {
        String dirA = word(), gone = word(), kept = word(), dirB = word(), old1 = word(), old2 = word(), fresh = word(),
                loose = word(), back = word(), hidden = "." + word(), odd = word() + Whiteouts.PREFIX + word(),
                dotted = word() + Whiteouts.PREFIX + word();
        String keptText = word(), freshText = word(), backAgain = word();
        byte[] base = new Tar().dir(dirA).file(dirA + "/" + gone, word()).file(dirA + "/" + kept, keptText)
                .dir(dirB).file(dirB + "/" + old1, word()).file(dirB + "/" + old2, word())
                .file(loose, word()).file(back, word()).file(hidden, word()).file(odd, word()).file(dotted, word()).bytes();
        byte[] second = new Tar().dir(dirA).file(dirA + "/" + Whiteouts.PREFIX + gone, "")
                .dir(dirB).file(dirB + "/" + Whiteouts.OPAQUE_MARKER, "").file(dirB + "/" + fresh, freshText)
                .file(Whiteouts.PREFIX + loose, "").file(Whiteouts.PREFIX + back, "").file(Whiteouts.PREFIX + hidden, "")
                .file(Whiteouts.PREFIX + dotted, "").bytes();
        byte[] third = new Tar().file(back, backAgain).bytes();
        String layers = "\nlayer 1: /" + dirA + "/{" + gone + "," + kept + "}, /" + dirB + "/{" + old1 + "," + old2 + "}, /"
                + loose + ", /" + back + ", /" + hidden + ", /" + odd + ", /" + dotted + "\nlayer 2: /" + dirA + "/.wh." + gone
                + ", /" + dirB + "/.wh..wh..opq, /" + dirB + "/" + fresh + ", /.wh." + loose + ", /.wh." + back + ", /.wh." + hidden
                + ", /.wh." + dotted + "\nlayer 3: /" + back;
        Path snapshots = Files.createDirectory(work.resolve("snapshots-" + word()));
        List<Path> lowers = new ArrayList<>();
        int n = 0;
        for (byte[] tar : List.of(base, second, third)) {
            n++;
            Path dir = snapshots.resolve(n + "-" + word());
            String name = n + "/3";
            // No lower layers given: their lookups would call isWhiteout and isOpaque, exercise 2's methods.
            try {
                new LayerUnpacker().unpack(new ByteArrayInputStream(tar), dir, name, List.of());
            } catch (JboxException e) {
                throw new LabProbe.Failed("the engine could not unpack layer " + name + ": " + e.getMessage() + layers);
            }
            lowers.add(dir);
        }
        Path container = Files.createDirectory(work.resolve("container-" + word()));
        Path merged = Files.createDirectory(container.resolve("merged"));
        OverlayMount.mount(lowers, Files.createDirectory(container.resolve("upper")), Files.createDirectory(container.resolve("work")),
                merged);
        try {
            String seen = layers;
            for (String whitedOut : List.of(dirA + "/" + gone, loose, hidden, dotted)) {
                Path p = merged.resolve(whitedOut);
                expect(!Files.exists(p, NOFOLLOW), "the container sees /" + whitedOut + " (" + describe(p)
                        + "), which a whiteout of layer 2 deletes" + seen);
            }
            expectContent(merged.resolve(dirA + "/" + kept), keptText, "a file beside a whiteout" + seen);
            expect(Files.exists(merged.resolve(odd), NOFOLLOW), "the container does not see /" + odd
                    + ", an ordinary file whose name only holds .wh." + seen);
            List<String> inB = list(merged.resolve(dirB));
            expect(inB.equals(List.of(fresh)), "the container sees " + inB + " in /" + dirB + ", expected only [" + fresh
                    + "]: an opaque directory hides the layers below" + seen);
            expectContent(merged.resolve(dirB + "/" + fresh), freshText, "the opaque directory's own file" + seen);
            expectContent(merged.resolve(back), backAgain, "a file made again in a higher layer after a whiteout" + seen);
            try (Stream<Path> all = Files.walk(merged)) {
                for (Path p : all.toList()) {
                    expect(!p.getFileName().toString().startsWith(Whiteouts.PREFIX), "the container sees /"
                            + merged.relativize(p) + ": OCI's whiteout names must become overlay's whiteouts, never files" + seen);
                }
            }
        } finally {
            OverlayMount.unmount(merged);
        }
    }

    /** A layer with a bad whiteout is refused by the engine and leaves nothing. */
    private void badWhiteoutRefusesTheLayer() throws IOException {
        Path parent = Files.createDirectory(work.resolve("refused-" + word()));
        Path target = parent.resolve("layer");
        String dir = word();
        byte[] tar = new Tar().dir(dir).file(dir + "/" + word(), word()).file(dir + "/" + Whiteouts.PREFIX, "").bytes();
        try {
            new LayerUnpacker().unpack(new ByteArrayInputStream(tar), target, "bad", List.of());
            throw new LabProbe.Failed("the engine unpacked a layer holding " + dir + "/.wh. (a whiteout of no file); it must refuse it");
        } catch (JboxException e) {
            expect(e.getMessage().contains("refused layer"), "unpacking a layer holding " + dir + "/.wh. failed with '"
                    + e.getMessage() + "', not by refusing the layer");
        }
        expect(list(parent).isEmpty(), "a refused layer left " + list(parent) + " behind");
    }

    /** What isWhiteout, isOpaque and toOci say of entries the kernel made (mknod, setxattr here). */
    private void testsOnDisk() throws IOException {
        Path dir = Files.createDirectory(work.resolve("upper-" + word()));
        String whiteout = word(), device = word(), empty = word(), link = word(), plain = word();
        Kernel.mknodChar(dir.resolve(whiteout).toString(), 0, 0, 0);
        Kernel.mknodChar(dir.resolve(device).toString(), 0666, 1, 3);
        Files.createFile(dir.resolve(empty));
        Files.createSymbolicLink(dir.resolve(link), Path.of(whiteout));
        Files.createDirectory(dir.resolve(plain));
        Map<String, Boolean> whiteouts = Map.of(whiteout, true, device, false, empty, false, link, false, plain, false);
        for (var e : new java.util.TreeMap<>(whiteouts).entrySet()) {
            Path p = dir.resolve(e.getKey());
            boolean got = test(() -> Whiteouts.LINUX.isWhiteout(p), "Whiteouts.LINUX.isWhiteout(" + shown(p) + ")");
            expect(got == e.getValue(), "Whiteouts.LINUX.isWhiteout(" + shown(p) + ") is " + got + " for " + describe(p)
                    + (e.getValue() ? ": that is overlay's whiteout" : ": overlay's whiteout is a character device 0/0 and nothing else"));
        }
        for (String name : List.of(whiteout, device, empty)) {
            Path p = dir.resolve(name);
            String expected = name.equals(whiteout) ? Whiteouts.PREFIX + name : null;
            String got;
            try {
                got = Whiteouts.toOci(p, Whiteouts.LINUX);
            } catch (RuntimeException e) {
                throw new LabProbe.Failed("Whiteouts.toOci(" + shown(p) + ", LINUX) threw " + e);
            }
            expect(java.util.Objects.equals(got, expected), "Whiteouts.toOci(" + shown(p) + ", LINUX) is " + quote(got) + " for "
                    + describe(p) + ", expected " + quote(expected));
        }
        String opaque = word(), userOpaque = word(), ordinary = word();
        Kernel.lsetxattr(Files.createDirectory(dir.resolve(opaque)).toString(), Whiteouts.OPAQUE_XATTR, new byte[] {'y'});
        Kernel.lsetxattr(Files.createDirectory(dir.resolve(userOpaque)).toString(), "user.overlay.opaque", new byte[] {'y'});
        Files.createDirectory(dir.resolve(ordinary));
        for (String name : List.of(opaque, userOpaque, ordinary)) {
            Path p = dir.resolve(name);
            boolean got = test(() -> Whiteouts.LINUX.isOpaque(p), "Whiteouts.LINUX.isOpaque(" + shown(p) + ")");
            expect(got == name.equals(opaque), "Whiteouts.LINUX.isOpaque(" + shown(p) + ") is " + got + " for a directory with "
                    + xattrs(p) + "\noverlayfs, mounted as root without userxattr, reads only " + Whiteouts.OPAQUE_XATTR + "=y");
        }
    }

    /** On a real overlay: a file deleted, a file deleted in a directory, a directory replaced; the upper written as a layer. */
    private void containerChangesAsALayer() throws IOException {
        Path container = Files.createDirectory(work.resolve("container-" + word()));
        Path lower = Files.createDirectory(container.resolve("lower"));
        Path upper = Files.createDirectory(container.resolve("upper"));
        Path merged = Files.createDirectory(container.resolve("merged"));
        String gone = word(), dirK = word(), k1 = word(), k2 = word(), dirS = word(), s1 = word(), added = word(), kept = word();
        Files.writeString(lower.resolve(gone), word());
        Files.writeString(lower.resolve(kept), word());
        Files.createDirectory(lower.resolve(dirK));
        Files.writeString(lower.resolve(dirK).resolve(k1), word());
        Files.writeString(lower.resolve(dirK).resolve(k2), word());
        Files.createDirectory(lower.resolve(dirS));
        Files.writeString(lower.resolve(dirS).resolve(s1), word());
        // The image is a plain directory (no whiteouts to unpack): exercise 1's methods are not called.
        OverlayMount.mount(List.of(lower), upper, Files.createDirectory(container.resolve("work")), merged);
        try {
            Files.delete(merged.resolve(gone));
            Files.delete(merged.resolve(dirK).resolve(k1));
            Files.delete(merged.resolve(dirS).resolve(s1));
            Files.delete(merged.resolve(dirS));
            Files.createDirectory(merged.resolve(dirS));
            Files.writeString(merged.resolve(dirS).resolve(added), word());
        } finally {
            OverlayMount.unmount(merged);
        }
        String did = "a container ran rm /" + gone + " /" + dirK + "/" + k1 + "; rm -r /" + dirS + "; mkdir /" + dirS + "; echo > /"
                + dirS + "/" + added + "\non an image of /" + gone + ", /" + kept + ", /" + dirK + "/{" + k1 + "," + k2 + "}, /" + dirS
                + "/" + s1 + "\n";
        ByteArrayOutputStream blob = new ByteArrayOutputStream();
        try {
            new LayerDiff().write(upper, blob, LayerDiff.Compression.NONE, null);
        } catch (JboxException e) {
            throw new LabProbe.Failed(did + "writing its upper directory as a layer failed: " + e.getMessage());
        }
        Set<String> expected = new TreeSet<>(List.of(Whiteouts.PREFIX + gone, dirK + "/", dirK + "/" + Whiteouts.PREFIX + k1,
                dirS + "/", dirS + "/" + Whiteouts.OPAQUE_MARKER, dirS + "/" + added));
        Set<String> got = entries(blob.toByteArray());
        Set<String> missing = new TreeSet<>(expected), extra = new TreeSet<>(got);
        missing.removeAll(got);
        extra.removeAll(expected);
        expect(got.equals(expected), did + "its layer " + (missing.isEmpty() ? "" : "lacks " + missing + (extra.isEmpty() ? "" : "\nand "))
                + (extra.isEmpty() ? "" : "holds " + extra + ", which it should not"));
        List<String> changes = new LayerDiff().changes(upper, List.of(lower)).stream().map(Object::toString).toList();
        for (String change : List.of("D /" + gone, "D /" + dirK + "/" + k1, "C /" + dirS, "A /" + dirS + "/" + added)) {
            expect(changes.contains(change), did + "jbox diff lists " + changes + ", without " + change);
        }
        aDeviceIsNoWhiteout(upper, did);
    }

    /** A device node a container made (mknod on its overlay lands in the upper directory) is no whiteout. */
    private void aDeviceIsNoWhiteout(Path upper, String did) {
        String node = word();
        Kernel.mknodChar(upper.resolve(node).toString(), 0666, 1, 3);
        ByteArrayOutputStream blob = new ByteArrayOutputStream();
        try {
            new LayerDiff().write(upper, blob, LayerDiff.Compression.NONE, null);
        } catch (JboxException e) {
            return; // refused, as it should be: jbox layers hold no device nodes
        }
        throw new LabProbe.Failed(did + "then mknod /" + node + " c 1 3; writing its changes as a layer must refuse the device,"
                + "\nbut it was written (as .wh." + node + "?): only a character device 0/0 is a whiteout");
    }

    private static void call(Runnable maker, String what) {
        try {
            maker.run();
        } catch (RuntimeException e) {
            throw new LabProbe.Failed(what + " threw " + e);
        }
    }

    private static boolean test(Supplier<Boolean> test, String what) {
        try {
            return test.get();
        } catch (RuntimeException e) {
            throw new LabProbe.Failed(what + " threw " + e);
        }
    }

    private static void expectContent(Path p, String expected, String what) throws IOException {
        expect(Files.isRegularFile(p, NOFOLLOW), "the container does not see /" + p.getFileName() + " (" + what + "): it finds "
                + describe(p));
        String got = Files.readString(p);
        expect(got.equals(expected), "the container reads '" + got + "' in " + p.getFileName() + ", expected '" + expected + "' ("
                + what + ")");
    }

    /** What is at {@code p}, as stat sees it: "nothing", "a character device 1/3", "a regular file of 0 bytes"... */
    private static String describe(Path p) {
        try {
            if (!Files.exists(p, NOFOLLOW)) {
                return "nothing";
            }
            Map<String, Object> a = Files.readAttributes(p, "unix:mode,rdev,size", NOFOLLOW);
            int type = (Integer) a.get("mode") & S_IFMT;
            long rdev = (Long) a.get("rdev");
            if (type == S_IFCHR) {
                return "a character device " + ((rdev >> 8) & 0xfff | (rdev >> 32) & ~0xfffL) + "/" + (rdev & 0xff | (rdev >> 12) & ~0xffL);
            }
            return type == S_IFREG ? "a regular file of " + a.get("size") + " bytes"
                    : type == S_IFDIR ? "a directory" : Files.isSymbolicLink(p) ? "a symbolic link" : "a special file";
        } catch (IOException e) {
            return "something stat cannot read (" + e.getMessage() + ")";
        }
    }

    private static String xattrs(Path p) {
        List<String> set = new ArrayList<>();
        for (String name : Kernel.llistxattr(p.toString())) {
            if (name.contains("overlay")) {
                byte[] v = Kernel.lgetxattr(p.toString(), name);
                set.add(name + "=" + (v == null ? "" : new String(v, StandardCharsets.UTF_8)));
            }
        }
        return set.isEmpty() ? "no overlay attribute" : String.join(", ", set);
    }

    private String shown(Path p) {
        return work.relativize(p).toString();
    }

    private static String quote(String s) {
        return s == null ? "null" : "\"" + s + "\"";
    }

    private static List<String> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static Set<String> entries(byte[] tar) throws IOException {
        Set<String> names = new TreeSet<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar))) {
            for (TarArchiveEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                names.add(e.getName());
            }
        }
        return names;
    }

    /** A random name of lower-case letters, so that no two runs use the same. */
    private String word() {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            s.append((char) ('a' + random.nextInt(26)));
        }
        return s.toString();
    }

    /** A layer tar written here, names exactly as given. */
    private static final class Tar {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes);

        Tar dir(String name) throws IOException {
            return put(new TarArchiveEntry(name + "/", TarConstants.LF_DIR), null);
        }

        Tar file(String name, String content) throws IOException {
            return put(new TarArchiveEntry(name, TarConstants.LF_NORMAL), content.getBytes(StandardCharsets.UTF_8));
        }

        private Tar put(TarArchiveEntry e, byte[] content) throws IOException {
            e.setMode(e.isDirectory() ? 0755 : 0644);
            if (content != null) {
                e.setSize(content.length);
            }
            tar.putArchiveEntry(e);
            if (content != null) {
                tar.write(content);
            }
            tar.closeArchiveEntry();
            return this;
        }

        byte[] bytes() throws IOException {
            tar.finish();
            tar.close();
            return bytes.toByteArray();
        }
    }
}
