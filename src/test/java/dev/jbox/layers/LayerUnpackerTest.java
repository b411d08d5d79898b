package dev.jbox.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jbox.JboxException;
import dev.jbox.image.Digest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Layer extraction: what a good layer becomes, and every hostile layer refused with nothing left behind. */
class LayerUnpackerTest {
    @TempDir
    Path tmp;

    private final FakeDisk disk = new FakeDisk();
    private final LayerUnpacker unpacker = new LayerUnpacker(disk);

    @Test
    void unpacksAGoodLayerAndNamesItByTheDigestOfItsTar() throws IOException {
        byte[] tar = new TestTar().dir("etc/").file("etc/motd", "hello\n", 0640, 1_600_000_000L)
                .symlink("etc/link", "motd").hardlink("etc/again", "etc/motd").file("bin/x", "#!", 04755, 1L).bytes();
        Path target = tmp.resolve("out/layer");

        LayerUnpacker.Unpacked u = unpacker.unpack(new ByteArrayInputStream(tar), target, "test", List.of());

        assertThat(u.diffId()).isEqualTo(Digest.sha256(tar));
        assertThat(u.tarSize()).isEqualTo(tar.length);
        assertThat(u.entries()).isEqualTo(5);
        assertThat(Files.readString(target.resolve("etc/motd"))).isEqualTo("hello\n");
        assertThat(Files.getPosixFilePermissions(target.resolve("etc/motd"))).isEqualTo(PosixFilePermissions.fromString("rw-r-----"));
        assertThat(Files.getLastModifiedTime(target.resolve("etc/motd")).toMillis()).isEqualTo(1_600_000_000_000L);
        assertThat(Files.readSymbolicLink(target.resolve("etc/link"))).isEqualTo(Path.of("motd"));
        assertThat(Files.isSameFile(target.resolve("etc/again"), target.resolve("etc/motd"))).isTrue();
        assertThat((Integer) Files.getAttribute(target.resolve("bin/x"), "unix:mode") & 07777).isEqualTo(04755);
        assertThat(Files.getLastModifiedTime(target.resolve("etc")).toMillis()).isEqualTo(1_700_000_000_000L);
        assertThat(Files.getPosixFilePermissions(target)).isEqualTo(PosixFilePermissions.fromString("rwxr-xr-x"));
        assertThat(leftovers(target.getParent())).containsExactly("layer");
    }

    @Test
    void gzipAndZstdLayersHaveTheDiffIdOfTheirTar() throws IOException {
        byte[] tar = new TestTar().file("a", "a").bytes();
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(tar);
        }
        ByteArrayOutputStream zst = new ByteArrayOutputStream();
        try (ZstdCompressorOutputStream out = new ZstdCompressorOutputStream(zst)) {
            out.write(tar);
        }
        for (byte[] blob : List.of(gz.toByteArray(), zst.toByteArray())) {
            Path target = tmp.resolve("l" + blob.length);
            assertThat(unpacker.unpack(new ByteArrayInputStream(blob), target, "c", List.of()).diffId())
                    .isEqualTo(Digest.sha256(tar));
            assertThat(Files.readString(target.resolve("a"))).isEqualTo("a");
        }
    }

    @Test
    void aLaterEntryOfTheSameNameWins() throws IOException {
        byte[] tar = new TestTar().file("a", "first").file("a", "second").bytes();
        Path target = tmp.resolve("l");
        unpacker.unpack(new ByteArrayInputStream(tar), target, "t", List.of());
        assertThat(Files.readString(target.resolve("a"))).isEqualTo("second");
    }

    @Test
    void whiteoutsAreTranslatedForOverlayThroughTheDisk() {
        byte[] tar = new TestTar().file(".wh.gone", "").dir("d/").file("d/.wh..wh..opq", "").file("d/kept", "k").bytes();
        unpacker.unpack(new ByteArrayInputStream(tar), tmp.resolve("l"), "t", List.of());
        assertThat(disk.calls).containsExactly("whiteout gone", "opaque d");
        assertThat(Files.exists(tmp.resolve("l/.wh.gone"))).isFalse();
        assertThat(Files.exists(tmp.resolve("l/d/.wh..wh..opq"))).isFalse();
    }

    static Stream<Arguments> hostileLayers() {
        return Stream.of(
                Arguments.of("dot-dot", new TestTar().file("a/../../evil", "x"), "'a/../../evil' climbs out of the layer with '..'"),
                Arguments.of("absolute", new TestTar().file("/etc/evil", "x"), "'/etc/evil' is an absolute path"),
                Arguments.of("symlink out", new TestTar().symlink("d/up", "../../etc"), "leads outside the layer's root"),
                Arguments.of("hardlink out", new TestTar().hardlink("h", "../etc/passwd"), "hardlink to '../etc/passwd', which leads outside"),
                Arguments.of("hardlink absolute", new TestTar().hardlink("h", "/etc/passwd"), "hardlink to '/etc/passwd', which leads outside"),
                Arguments.of("hardlink to nothing", new TestTar().hardlink("h", "nothing"), "which is no file of this layer"),
                Arguments.of("hardlink through symlink", new TestTar().dir("d/").file("d/f", "x").symlink("s", "d")
                        .hardlink("h", "s/f"), "through 's', which is not a directory"),
                Arguments.of("write through symlink", new TestTar().symlink("etc", "/etc").file("etc/passwd", "root::0:0::/:/bin/sh"),
                        "'etc/passwd' would be written through the symbolic link 'etc' (-> /etc)"),
                Arguments.of("write deep through symlink", new TestTar().dir("a/").symlink("a/b", "/").file("a/b/c/d", "x"),
                        "written through the symbolic link 'a/b'"),
                Arguments.of("char device", new TestTar().node("dev/mem", TarConstants.LF_CHR), "'dev/mem' is a device node"),
                Arguments.of("block device", new TestTar().node("sda", TarConstants.LF_BLK), "'sda' is a device node"),
                Arguments.of("fifo", new TestTar().node("p", TarConstants.LF_FIFO), "'p' is a device node or FIFO"),
                Arguments.of("empty whiteout", new TestTar().file("d/.wh.", ""), "whiteout '.wh.' names no file"),
                Arguments.of("whiteout of ..", new TestTar().file(".wh...", ""), "would delete '..'"),
                Arguments.of("whiteout of .", new TestTar().file("d/.wh..", ""), "would delete '.'"),
                Arguments.of("unknown marker", new TestTar().file(".wh..wh..plnk", ""), "unknown whiteout marker"),
                Arguments.of("opaque on a file", new TestTar().file("f", "x").file("f/.wh..wh..opq", ""), "inside 'f', which is not a directory"),
                Arguments.of("whiteout as a dir", new TestTar().dir(".wh.x/"), "is a whiteout but not a plain file"),
                Arguments.of("root replaced", new TestTar().symlink(".", "/"), "replaces the layer's root"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileLayers")
    void aHostileLayerIsRefusedWithNothingLeft(String name, TestTar layer, String reason) {
        // Good entries first, so a refusal has something to clean up.
        Path target = tmp.resolve("out/layer");
        byte[] bytes = layer.bytes();
        byte[] withGoodStart = concatGoodFirst(bytes);
        assertThatThrownBy(() -> unpacker.unpack(new ByteArrayInputStream(withGoodStart), target, "sha256:feed", List.of()))
                .isInstanceOf(JboxException.class)
                .hasMessageStartingWith("refused layer sha256:feed: entry '")
                .hasMessageContaining(reason)
                .hasMessageEndingWith("; nothing of the layer was kept");
        assertThat(leftovers(target.getParent())).isEmpty();
    }

    @Test
    void aSymlinkOfALowerLayerIsNotWrittenThrough() throws IOException {
        Path lower = Files.createDirectories(tmp.resolve("lower"));
        Files.createSymbolicLink(lower.resolve("etc"), Path.of("/etc"));
        byte[] tar = new TestTar().file("etc/passwd", "evil").bytes();
        Path target = tmp.resolve("out/layer");
        assertThatThrownBy(() -> unpacker.unpack(new ByteArrayInputStream(tar), target, "2/2", List.of(lower)))
                .hasMessage("refused layer 2/2: entry 'etc/passwd' would be written through 'etc', a symbolic link in a "
                        + "lower layer (-> /etc); nothing of the layer was kept");
        assertThat(leftovers(target.getParent())).isEmpty();

        // A layer that makes etc a directory of its own replaces the symlink: that is allowed.
        byte[] replacing = new TestTar().dir("etc/").file("etc/passwd", "fine").bytes();
        unpacker.unpack(new ByteArrayInputStream(replacing), target, "2/2", List.of(lower));
        assertThat(Files.readString(target.resolve("etc/passwd"))).isEqualTo("fine");
    }

    @Test
    void aLowerSymlinkDeletedByAHigherLowerLayerIsNoLongerThere() throws IOException {
        Path bottom = Files.createDirectories(tmp.resolve("bottom"));
        Files.createSymbolicLink(bottom.resolve("etc"), Path.of("/etc"));
        Path middle = Files.createDirectories(tmp.resolve("middle"));
        Files.createFile(middle.resolve("etc"));
        disk.whiteouts.add(middle.resolve("etc")); // layer 2 deleted the symlink
        byte[] tar = new TestTar().file("etc/passwd", "mine").bytes();
        unpacker.unpack(new ByteArrayInputStream(tar), tmp.resolve("top"), "3/3", List.of(bottom, middle));
        assertThat(tmp.resolve("top/etc/passwd")).hasContent("mine");
    }

    @Test
    void userXattrsAreKeptAndOverlaysOwnAreNeverTakenFromALayer() throws IOException {
        var e = TestTar.entry("f", TarConstants.LF_NORMAL, 0644);
        e.addPaxHeader("SCHILY.xattr.user.note", "hello");
        e.addPaxHeader("SCHILY.xattr.trusted.overlay.opaque", "y");
        var d = TestTar.entry("d/", TarConstants.LF_DIR, 0755);
        d.addPaxHeader("SCHILY.xattr.trusted.overlay.opaque", "y");
        byte[] tar = new TestTar().entry(e, new byte[0]).entry(d, null).bytes();
        Path target = tmp.resolve("l");
        unpacker.unpack(new ByteArrayInputStream(tar), target, "t", List.of());
        assertThat(dev.jbox.kernel.Kernel.lgetxattr(target.resolve("f").toString(), "user.note")).isEqualTo("hello".getBytes());
        assertThat(dev.jbox.kernel.Kernel.llistxattr(target.resolve("f").toString())).doesNotContain("trusted.overlay.opaque");
        assertThat(dev.jbox.kernel.Kernel.llistxattr(target.resolve("d").toString())).doesNotContain("trusted.overlay.opaque");

        // ...and a diff of the directory carries the user attribute on.
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        new LayerDiff(disk).write(target, out, LayerDiff.Compression.NONE, null);
        try (var in = new org.apache.commons.compress.archivers.tar.TarArchiveInputStream(new ByteArrayInputStream(out.toByteArray()))) {
            var first = in.getNextEntry();
            while (!first.getName().equals("f")) {
                first = in.getNextEntry();
            }
            assertThat(first.getExtraPaxHeaders()).containsEntry("SCHILY.xattr.user.note", "hello")
                    .doesNotContainKey("SCHILY.xattr.trusted.overlay.opaque");
        }
    }

    /** What {@code setcap cap_setuid,cap_net_raw+ep} writes (getfattr -e hex: 0x0100000280200000...): not UTF-8. */
    static final byte[] CAPABILITY = {1, 0, 0, 2, (byte) 0x80, 0x20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    static final byte[] BINARY = {(byte) 0xff, (byte) 0xfe, 0, 'a', (byte) 0xc3};

    /** A PAX header entry ('x') whose records are written byte for byte, as Go's archive/tar writes them. */
    static PaxEntry pax(java.util.Map<String, byte[]> records) {
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        records.forEach((k, v) -> {
            byte[] key = k.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            int body = key.length + v.length + 3;
            int len = body + String.valueOf(body).length();
            len = body + String.valueOf(len).length();
            data.writeBytes((len + " " + k + "=").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            data.writeBytes(v);
            data.write('\n');
        });
        return new PaxEntry(TestTar.entry("PaxHeaders/f", TarConstants.LF_PAX_EXTENDED_HEADER_LC, 0644),
                data.toByteArray());
    }

    record PaxEntry(org.apache.commons.compress.archivers.tar.TarArchiveEntry entry, byte[] data) {
    }

    @Test
    void binaryXattrValuesKeepTheirExactBytes() throws IOException {
        boolean root = "root".equals(System.getProperty("user.name")); // security.* needs CAP_SETFCAP
        var fileRecords = new java.util.LinkedHashMap<String, byte[]>();
        fileRecords.put("SCHILY.xattr.user.bin", BINARY);
        if (root) {
            fileRecords.put("SCHILY.xattr.security.capability", CAPABILITY);
        }
        var f = pax(fileRecords);
        var d = pax(java.util.Map.of("SCHILY.xattr.user.dir", new byte[] {(byte) 0x80}));
        byte[] tar = new TestTar().entry(f.entry(), f.data()).file("f", "x")
                .file("plain", "no attributes")
                .entry(d.entry(), d.data()).dir("d/")
                .bytes();
        Path target = tmp.resolve("l");
        unpacker.unpack(new ByteArrayInputStream(tar), target, "t", List.of());
        assertThat(dev.jbox.kernel.Kernel.lgetxattr(target.resolve("f").toString(), "user.bin")).isEqualTo(BINARY);
        if (root) {
            assertThat(dev.jbox.kernel.Kernel.lgetxattr(target.resolve("f").toString(), "security.capability")).isEqualTo(CAPABILITY);
        }
        assertThat(dev.jbox.kernel.Kernel.llistxattr(target.resolve("plain").toString())).isEmpty();
        assertThat(dev.jbox.kernel.Kernel.lgetxattr(target.resolve("d").toString(), "user.dir")).isEqualTo(new byte[] {(byte) 0x80});
    }

    @Test
    void binaryXattrsFollowGnuLongNamesAndGlobalHeaders() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        var tar = new org.apache.commons.compress.archivers.tar.TarArchiveOutputStream(bytes);
        tar.setLongFileMode(org.apache.commons.compress.archivers.tar.TarArchiveOutputStream.LONGFILE_GNU);
        var g = TestTar.entry("pax_global_header", TarConstants.LF_PAX_GLOBAL_EXTENDED_HEADER, 0644);
        g.addPaxHeader("comment", "a global header"); // the library writes a global header's records itself
        tar.putArchiveEntry(g); // (and closes it)
        var x = pax(java.util.Map.of("SCHILY.xattr.user.bin", BINARY));
        String longName = "n".repeat(150);
        for (var entry : List.of(x,
                new PaxEntry(TestTar.entry(longName, TarConstants.LF_NORMAL, 0644), "data".getBytes()),
                new PaxEntry(TestTar.entry("after", TarConstants.LF_NORMAL, 0644), "more".getBytes()))) {
            entry.entry().setSize(entry.data().length);
            tar.putArchiveEntry(entry.entry());
            tar.write(entry.data());
            tar.closeArchiveEntry();
        }
        tar.finish();
        Path target = tmp.resolve("l");
        unpacker.unpack(new ByteArrayInputStream(bytes.toByteArray()), target, "t", List.of());
        assertThat(dev.jbox.kernel.Kernel.lgetxattr(target.resolve(longName).toString(), "user.bin")).isEqualTo(BINARY);
        assertThat(target.resolve(longName)).hasContent("data");
        assertThat(dev.jbox.kernel.Kernel.llistxattr(target.resolve("after").toString())).isEmpty();
    }

    @Test
    void aLayerGnuTarWroteWithACapabilityKeepsIt() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "setcap needs root");
        Path src = Files.createDirectories(tmp.resolve("src"));
        Files.writeString(src.resolve("ping"), "#!/bin/sh\n");
        Files.writeString(src.resolve("other"), "plain\n");
        run("setcap", "cap_setuid,cap_net_raw+ep", src.resolve("ping").toString());
        Path tar = tmp.resolve("gnu.tar");
        run("tar", "--format=posix", "--xattrs", "--xattrs-include=*", "-cf", tar.toString(), "-C", src.toString(), ".");
        Path target = tmp.resolve("l");
        unpacker.unpack(Files.newInputStream(tar), target, "gnu", List.of());
        assertThat(dev.jbox.kernel.Kernel.lgetxattr(target.resolve("ping").toString(), "security.capability")).isEqualTo(CAPABILITY);
        assertThat(dev.jbox.kernel.Kernel.llistxattr(target.resolve("other").toString())).isEmpty();
    }

    static void run(String... argv) throws Exception {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(String.join(" ", argv) + ": " + out).isZero();
    }

    @Test
    void kernelCallsOfLayersNameThemselves() {
        assertThatThrownBy(() -> dev.jbox.kernel.Kernel.lsetxattr("/no/such/file", "user.x", new byte[] {1}))
                .hasMessage("lsetxattr(\"/no/such/file\", \"user.x\", 1 bytes): ENOENT (No such file or directory)");
        assertThatThrownBy(() -> dev.jbox.kernel.Kernel.chmod("/no/such/file", 04755))
                .hasMessage("chmod(\"/no/such/file\", 04755): ENOENT (No such file or directory)");
        assertThat(dev.jbox.kernel.Kernel.lgetxattr(tmp.toString(), "user.none")).isNull();
    }

    @Test
    void aTruncatedLayerIsRefusedWithNothingLeft() {
        byte[] tar = new TestTar().file("big", "x".repeat(5000)).bytes();
        byte[] cut = Arrays.copyOf(tar, 2048);
        Path target = tmp.resolve("out/layer");
        assertThatThrownBy(() -> unpacker.unpack(new ByteArrayInputStream(cut), target, "t", List.of()))
                .hasMessageStartingWith("cannot read layer t: ").hasMessageContaining("truncated");
        assertThat(leftovers(target.getParent())).isEmpty();
    }

    @Test
    void anExistingTargetIsNotTouched() throws IOException {
        Path target = Files.createDirectories(tmp.resolve("l"));
        Files.writeString(target.resolve("mine"), "x");
        assertThatThrownBy(() -> unpacker.unpack(new ByteArrayInputStream(new TestTar().bytes()), target, "t", List.of()))
                .hasMessageContaining("it exists already");
        assertThat(target.resolve("mine")).exists();
    }

    @Test
    void symlinkTargetsAreJudgedFromWhereTheLinkIs() {
        assertThat(LayerUnpacker.staysInside(0, "/etc/passwd")).isTrue();
        assertThat(LayerUnpacker.staysInside(1, "../x")).isTrue();
        assertThat(LayerUnpacker.staysInside(1, "../../x")).isFalse();
        assertThat(LayerUnpacker.staysInside(0, "a/../../x")).isFalse();
        assertThat(LayerUnpacker.staysInside(2, "./../.././x")).isTrue();
    }

    /** A good prefix (a directory and a file) and then the hostile tar's entries. */
    private static byte[] concatGoodFirst(byte[] hostile) {
        try (var in = new org.apache.commons.compress.archivers.tar.TarArchiveInputStream(new ByteArrayInputStream(hostile))) {
            TestTar out = new TestTar().dir("good/").file("good/file", "fine");
            for (var e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                out.entry(e, e.isFile() ? in.readAllBytes() : null);
            }
            return out.bytes();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static List<String> leftovers(Path dir) {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
