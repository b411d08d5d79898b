package dev.jbox.layers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jbox.image.Digest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An upper directory as a layer: reproducible, sorted, clamped; and as docker diff's A/C/D lines. */
class LayerDiffTest {
    @TempDir
    Path tmp;

    private final FakeDisk disk = new FakeDisk();
    private final LayerDiff diff = new LayerDiff(disk);

    @Test
    void theSameDirectoryGivesTheSameLayerTwice() throws IOException {
        Path upper = sampleUpper();
        ByteArrayOutputStream one = new ByteArrayOutputStream(), two = new ByteArrayOutputStream();
        LayerDiff.Layer a = diff.write(upper, one, LayerDiff.Compression.GZIP, null);
        LayerDiff.Layer b = diff.write(upper, two, LayerDiff.Compression.GZIP, null);
        assertThat(a).isEqualTo(b);
        assertThat(one.toByteArray()).isEqualTo(two.toByteArray());
        assertThat(a.digest()).isEqualTo(Digest.sha256(one.toByteArray()));
        assertThat(a.size()).isEqualTo(one.size());
        assertThat(a.digest()).isNotEqualTo(a.diffId());
    }

    @Test
    void entriesAreSortedWithHardlinksOpaqueMarkersAndClampedTimes() throws IOException {
        Path upper = sampleUpper();
        disk.opaque.add(upper.resolve("d"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LayerDiff.Layer layer = diff.write(upper, out, LayerDiff.Compression.NONE, 1000L);

        assertThat(layer.digest()).isEqualTo(layer.diffId());
        List<String> lines = new ArrayList<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(out.toByteArray()))) {
            for (TarArchiveEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                lines.add(e.getName() + (e.isLink() ? " link " + e.getLinkName() : "")
                        + (e.isSymbolicLink() ? " -> " + e.getLinkName() : "")
                        + " " + e.getLastModifiedTime().toMillis() / 1000);
            }
        }
        assertThat(lines).containsExactly(
                "a 1000", "b link a 1000", "d/ 1000", "d/.wh..wh..opq 1000", "d/inner 5", "s -> a 1000");
    }

    @Test
    void binaryXattrsRoundTripThroughALayerByteForByte() throws Exception {
        boolean root = "root".equals(System.getProperty("user.name")); // security.* needs CAP_SETFCAP
        Path upper = Files.createDirectories(tmp.resolve("upper"));
        Files.createDirectories(upper.resolve("dir"));
        // A name past 100 bytes: the library writes a PAX path record of its own beside the attributes.
        Path file = upper.resolve("dir/" + "n".repeat(120));
        Files.writeString(file, "x");
        dev.jbox.kernel.Kernel.lsetxattr(file.toString(), "user.bin", LayerUnpackerTest.BINARY);
        dev.jbox.kernel.Kernel.lsetxattr(upper.resolve("dir").toString(), "user.text", "hello".getBytes());
        if (root) {
            dev.jbox.kernel.Kernel.lsetxattr(file.toString(), "security.capability", LayerUnpackerTest.CAPABILITY);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LayerDiff.Layer layer = diff.write(upper, out, LayerDiff.Compression.NONE, null);
        assertThat(layer.diffId()).isEqualTo(Digest.sha256(out.toByteArray())); // the digest is of the bytes as rewritten

        Path again = tmp.resolve("again");
        new LayerUnpacker(disk).unpack(new ByteArrayInputStream(out.toByteArray()), again, "round trip", List.of());
        Path back = again.resolve("dir/" + "n".repeat(120));
        assertThat(dev.jbox.kernel.Kernel.lgetxattr(back.toString(), "user.bin")).isEqualTo(LayerUnpackerTest.BINARY);
        assertThat(dev.jbox.kernel.Kernel.lgetxattr(again.resolve("dir").toString(), "user.text")).isEqualTo("hello".getBytes());
        assertThat(back).hasContent("x");

        if (root) { // and GNU tar, a reader of its own, finds the same bytes
            assertThat(dev.jbox.kernel.Kernel.lgetxattr(back.toString(), "security.capability")).isEqualTo(LayerUnpackerTest.CAPABILITY);
            Path tar = tmp.resolve("layer.tar");
            Files.write(tar, out.toByteArray());
            Path gnu = Files.createDirectories(tmp.resolve("gnu"));
            LayerUnpackerTest.run("tar", "--xattrs", "--xattrs-include=*", "-xpf", tar.toString(), "-C", gnu.toString());
            assertThat(dev.jbox.kernel.Kernel.lgetxattr(gnu.resolve("dir/" + "n".repeat(120)).toString(), "security.capability"))
                    .isEqualTo(LayerUnpackerTest.CAPABILITY);
            assertThat(dev.jbox.kernel.Kernel.lgetxattr(gnu.resolve("dir/" + "n".repeat(120)).toString(), "user.bin"))
                    .isEqualTo(LayerUnpackerTest.BINARY);
        }
    }

    @Test
    void sourceDateEpochIsReadFromTheEnvironmentOnlyWhenSet() {
        // The test JVM's environment cannot be changed; it has no SOURCE_DATE_EPOCH under Maven.
        if (System.getenv("SOURCE_DATE_EPOCH") == null) {
            assertThat(LayerDiff.sourceDateEpoch()).isNull();
        }
    }

    @Test
    void changesAreListedAsDockerDiffPrintsThem() throws IOException {
        Path lower = Files.createDirectories(tmp.resolve("lower"));
        Files.createDirectories(lower.resolve("etc"));
        Files.writeString(lower.resolve("etc/passwd"), "root");
        Files.writeString(lower.resolve("etc/group"), "root");
        Files.createDirectories(lower.resolve("var/cache"));
        Path upper = Files.createDirectories(tmp.resolve("upper"));
        Files.createDirectories(upper.resolve("etc"));
        Files.setLastModifiedTime(upper.resolve("etc"), FileTime.fromMillis(0)); // a changed directory
        Files.writeString(upper.resolve("etc/passwd"), "root\nme");              // changed
        Files.createFile(upper.resolve("etc/group"));
        disk.whiteouts.add(upper.resolve("etc/group"));                           // deleted
        Files.createDirectories(upper.resolve("home/me"));
        Files.writeString(upper.resolve("home/me/notes"), "x");                  // added, with its directories
        Files.createDirectories(upper.resolve("var/cache"));
        disk.opaque.add(upper.resolve("var/cache"));                              // emptied and made anew
        Files.setLastModifiedTime(upper.resolve("var"), Files.getLastModifiedTime(lower.resolve("var"))); // only copied up

        assertThat(diff.changes(upper, List.of(lower))).extracting(Object::toString).containsExactly(
                "C /etc", "D /etc/group", "C /etc/passwd", "A /home", "A /home/me", "A /home/me/notes", "C /var/cache");
    }

    @Test
    void aPathDeletedInALowerLayerIsAddedAgain() throws IOException {
        Path base = Files.createDirectories(tmp.resolve("base"));
        Files.writeString(base.resolve("x"), "old");
        Path middle = Files.createDirectories(tmp.resolve("middle"));
        Files.createFile(middle.resolve("x"));
        disk.whiteouts.add(middle.resolve("x"));
        Path upper = Files.createDirectories(tmp.resolve("upper"));
        Files.writeString(upper.resolve("x"), "new");
        assertThat(diff.changes(upper, List.of(base, middle))).extracting(Object::toString).containsExactly("A /x");
    }

    /** a, b (a hardlink to a), s (a symlink to a), d/inner with an old time. */
    private Path sampleUpper() throws IOException {
        Path upper = Files.createDirectories(tmp.resolve("upper"));
        Files.writeString(upper.resolve("a"), "content");
        Files.createLink(upper.resolve("b"), upper.resolve("a"));
        Files.createSymbolicLink(upper.resolve("s"), Path.of("a"));
        Files.createDirectories(upper.resolve("d"));
        Files.writeString(upper.resolve("d/inner"), "old");
        Files.setLastModifiedTime(upper.resolve("d/inner"), FileTime.fromMillis(5000));
        return upper;
    }
}
