package dev.jbox.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jbox.image.Digest;
import dev.jbox.kernel.Kernel;
import dev.jbox.kernel.KernelException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Layers on the real kernel, as root: OCI whiteouts become overlay whiteouts that overlayfs
 * honours, a container's writes land in its upper directory and come back as a layer, and an
 * image of 128 layers mounts both ways (new mount API and short names). Every mount is undone in
 * the test body, so a failing assertion leaves none behind.
 */
class OverlayLayersIT {
    @TempDir
    Path tmp;

    @Test
    void twoLayersWithWhiteoutsMountCopyUpAndComeBackAsALayer() throws IOException {
        byte[] base = new TestTar().dir("etc/").file("etc/passwd", "root:x:0:0\n").file("etc/group", "root:x:0\n")
                .dir("bin/").file("bin/tool", "#!/bin/sh\n", 0755, 1_600_000_000L).hardlink("bin/tool2", "bin/tool")
                .dir("var/").dir("var/cache/").file("var/cache/old1", "1").file("var/cache/old2", "2").bytes();
        byte[] second = new TestTar().file("etc/.wh.group", "").dir("var/cache/").file("var/cache/.wh..wh..opq", "")
                .file("var/cache/new", "n").bytes();
        Snapshots snapshots = new Snapshots(tmp.resolve("snapshots"));
        List<Path> lowers = snapshots.prepare(List.of(layer(base), layer(second)));

        // On disk, layer 2 holds overlay's own whiteouts now.
        assertThat(Whiteouts.LINUX.isWhiteout(lowers.get(1).resolve("etc/group"))).isTrue();
        assertThat(Whiteouts.LINUX.isOpaque(lowers.get(1).resolve("var/cache"))).isTrue();
        assertThat(Files.isSameFile(lowers.get(0).resolve("bin/tool"), lowers.get(0).resolve("bin/tool2"))).isTrue();

        Path upper = Files.createDirectories(tmp.resolve("c/upper"));
        Path work = Files.createDirectories(tmp.resolve("c/work"));
        Path merged = Files.createDirectories(tmp.resolve("c/merged"));
        OverlayMount.mount(lowers, upper, work, merged);
        try {
            assertThat(merged.resolve("etc/group")).doesNotExist();
            assertThat(merged.resolve("etc/passwd")).hasContent("root:x:0:0");
            assertThat(list(merged.resolve("var/cache"))).containsExactly("new");

            Files.writeString(merged.resolve("etc/passwd"), "me:x:1000:1000\n", java.nio.file.StandardOpenOption.APPEND);
            Files.delete(merged.resolve("bin/tool"));
            Files.createDirectories(merged.resolve("home/me"));
            Files.writeString(merged.resolve("home/me/notes"), "hello");
            Files.delete(merged.resolve("var/cache/new"));
            Files.delete(merged.resolve("var/cache"));
            Files.createDirectory(merged.resolve("var/cache"));
            Files.writeString(merged.resolve("var/cache/fresh"), "f");
        } finally {
            OverlayMount.unmount(merged);
        }
        assertThat(lowers.get(0).resolve("etc/passwd")).hasContent("root:x:0:0"); // copy-up left the image alone
        assertThat(Whiteouts.LINUX.isWhiteout(upper.resolve("bin/tool"))).isTrue();
        assertThat(Whiteouts.LINUX.isOpaque(upper.resolve("var/cache"))).isTrue();

        LayerDiff diff = new LayerDiff();
        // /etc is not listed: overlay's copy-up keeps the directory's times, and a changed file (unlike an
        // added or deleted one) does not mark its directory, by Docker's rules.
        assertThat(diff.changes(upper, lowers)).extracting(Object::toString).containsExactly(
                "C /bin", "D /bin/tool", "C /etc/passwd", "A /home", "A /home/me", "A /home/me/notes",
                "C /var", "C /var/cache", "A /var/cache/fresh");

        ByteArrayOutputStream blob = new ByteArrayOutputStream();
        LayerDiff.Layer committed = diff.write(upper, blob, LayerDiff.Compression.GZIP, null);
        assertThat(entries(blob.toByteArray())).containsExactly("bin/", "bin/.wh.tool", "etc/", "etc/passwd", "home/",
                "home/me/", "home/me/notes", "var/", "var/cache/", "var/cache/.wh..wh..opq", "var/cache/fresh");

        // The committed layer on top of the image shows what the container saw.
        List<Path> three = snapshots.prepare(List.of(layer(base), layer(second),
                new Snapshots.Layer(committed.diffId(), () -> new ByteArrayInputStream(blob.toByteArray()))));
        Path upper2 = Files.createDirectories(tmp.resolve("d/upper"));
        Path work2 = Files.createDirectories(tmp.resolve("d/work"));
        Path merged2 = Files.createDirectories(tmp.resolve("d/merged"));
        OverlayMount.mount(three, upper2, work2, merged2);
        try {
            assertThat(merged2.resolve("etc/passwd")).hasContent("root:x:0:0\nme:x:1000:1000");
            assertThat(merged2.resolve("etc/group")).doesNotExist();
            assertThat(merged2.resolve("bin/tool")).doesNotExist();
            assertThat(merged2.resolve("bin/tool2")).hasContent("#!/bin/sh");
            assertThat(list(merged2.resolve("var/cache"))).containsExactly("fresh");
            assertThat(merged2.resolve("home/me/notes")).hasContent("hello");
        } finally {
            OverlayMount.unmount(merged2);
        }
        assertThat(mountsBelow(tmp)).isEmpty();
    }

    @Test
    void anImageOf128LayersMountsBothWays() throws IOException {
        List<Snapshots.Layer> image = new ArrayList<>();
        for (int i = 0; i < 128; i++) {
            image.add(layer(new TestTar().file("f" + i, "" + i).file("top", "" + i).bytes()));
        }
        List<Path> lowers = new Snapshots(tmp.resolve("snapshots")).prepare(image);
        List<OverlayMount.Method> methods = new ArrayList<>(List.of(OverlayMount.Method.SHORT_NAMES));
        if (OverlayMount.supportsLowerdirPlus()) {
            methods.add(OverlayMount.Method.LOWERDIR_PLUS);
        }
        System.out.printf("kernel %s: lowerdir+ %s; options for 128 layers: %d bytes with full paths, %d with short names%n",
                System.getProperty("os.version"), OverlayMount.supportsLowerdirPlus(),
                OverlayMount.options(lowers.stream().map(Path::toString).toList(), "u", "w").length(),
                OverlayMount.options(java.util.stream.IntStream.range(0, 128).mapToObj(Integer::toString).toList(), "u", "w").length());
        for (OverlayMount.Method method : methods) {
            Path c = tmp.resolve("c-" + method);
            Path merged = Files.createDirectories(c.resolve("merged"));
            OverlayMount.mount(lowers, Files.createDirectories(c.resolve("upper")), Files.createDirectories(c.resolve("work")),
                    merged, method);
            try {
                assertThat(merged.resolve("top")).hasContent("127");
                assertThat(merged.resolve("f0")).hasContent("0");
                assertThat(list(merged)).hasSize(129);
            } finally {
                OverlayMount.unmount(merged);
            }
            assertThat(list(c)).containsExactlyInAnyOrder("merged", "upper", "work"); // the short names are gone
        }
        assertThat(mountsBelow(tmp)).isEmpty();
    }

    @Test
    void thisKernelStacksAtMost500LowerLayers() throws IOException {
        assumeTrue(OverlayMount.supportsLowerdirPlus(), "needs lowerdir+ (Linux 6.8+) to pass 501 layers at all");
        int fs = Kernel.fsopen("overlay");
        try {
            for (int i = 0; i < OverlayMount.MAX_LOWER_LAYERS; i++) {
                Kernel.fsconfigString(fs, "lowerdir+", Files.createDirectories(tmp.resolve("l" + i)).toString());
            }
            Path one = Files.createDirectories(tmp.resolve("one-too-many"));
            assertThatThrownBy(() -> Kernel.fsconfigString(fs, "lowerdir+", one.toString()))
                    .isInstanceOf(KernelException.class).hasMessageContaining("EINVAL");
        } finally {
            Kernel.close(fs);
        }
        List<Path> tooMany = java.util.Collections.nCopies(OverlayMount.MAX_LOWER_LAYERS + 1, tmp);
        assertThatThrownBy(() -> OverlayMount.mount(tooMany, tmp, tmp, tmp))
                .hasMessageContaining("overlayfs stacks at most 500");
    }

    private static Snapshots.Layer layer(byte[] tar) {
        return new Snapshots.Layer(Digest.sha256(tar), () -> new ByteArrayInputStream(tar));
    }

    private static List<String> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static List<String> entries(byte[] gzippedTar) throws IOException {
        List<String> names = new ArrayList<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(LayerUnpacker.decompress(new ByteArrayInputStream(gzippedTar)))) {
            for (TarArchiveEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                names.add(e.getName());
            }
        }
        return names;
    }

    private static List<String> mountsBelow(Path dir) throws IOException {
        String prefix = dir.toRealPath(LinkOption.NOFOLLOW_LINKS).toString();
        return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
                .filter(line -> line.split(" ")[4].startsWith(prefix)).toList();
    }
}
