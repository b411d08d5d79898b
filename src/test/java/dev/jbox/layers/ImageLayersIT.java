package dev.jbox.layers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jbox.image.LayerWriter;
import dev.jbox.testing.ChapterCli;
import dev.jbox.testing.ChapterTest;
import dev.jbox.testing.Cli;
import dev.jbox.testing.TestImages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * Chapter 4 through the real launcher: containers of one image on overlays of its layers, each
 * with a writable layer of its own, and the verbs that read those layers (diff, commit, export,
 * import). After every test no overlay of the store is left mounted on the host.
 */
class ImageLayersIT {
    @TempDir
    Path store;

    private ChapterCli cli;

    @BeforeEach
    void cli() {
        cli = new ChapterCli(store);
    }

    @AfterEach
    void cleanUp() {
        Cli.removeAll(store);
        assertThat(hostMounts()).as("overlays left on the host").isEmpty();
    }

    private Cli.Result ok(String... args) {
        return cli.ok(args);
    }

    private Cli.Result jbox(String... args) {
        return cli.jbox(args);
    }

    private List<String> hostMounts() {
        return ChapterCli.hostMounts(store);
    }

    private List<Path> containerDirs() throws IOException {
        Path dir = store.resolve("containers");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isDirectory).toList();
        }
    }

    @ChapterTest(since = 4)
    void twoContainersOfOneImageAreBlindToEachOthersWritesAndTheImageStaysAsItWas(int chapter) throws IOException {
        cli.chapter(chapter);
        String passwd = ok("run", "--rm", "busybox", "cat", "/etc/passwd").stdout();
        ok("run", "-d", "--name", "one", "busybox", "sleep", "600");
        ok("run", "-d", "--name", "two", "busybox", "sleep", "600");
        assertThat(hostMounts()).as("the host's copy goes once the container exists").isEmpty();
        ok("exec", "one", "sh", "-c", "echo mine > /f; echo more >> /etc/passwd; rm /bin/vi");
        assertThat(jbox("exec", "two", "ls", "/f").exitCode()).isNotZero();
        assertThat(ok("exec", "two", "cat", "/etc/passwd").stdout()).isEqualTo(passwd);
        assertThat(ok("exec", "one", "cat", "/f").stdout()).isEqualTo("mine\n");

        ok("run", "--rm", "busybox", "sh", "-c", "echo x > /g");
        Cli.Result after = jbox("run", "--rm", "busybox", "ls", "/g");
        assertThat(after.exitCode()).as(after.toString()).isEqualTo(1);
        assertThat(after.stderr()).contains("No such file");
        assertThat(ok("run", "--rm", "busybox", "sh", "-c", "cat /etc/passwd; ls /bin/vi").stdout())
                .isEqualTo(passwd + "/bin/vi\n");

        // The image's one snapshot holds none of it; one's upper directory holds all of it.
        Path snapshots = store.resolve("snapshots/sha256");
        try (Stream<Path> s = Files.list(snapshots)) {
            Path image = s.toList().get(0).resolve("fs");
            assertThat(image.resolve("f")).doesNotExist();
            assertThat(image.resolve("bin/vi")).isSymbolicLink();
        }
        String one = ok("inspect", "-f", "{{.Id}}", "one").stdout().strip();
        assertThat(store.resolve("containers").resolve(one).resolve("upper/f")).hasContent("mine");
        // Their size is what they wrote (bytes), not the image under them (megabytes).
        assertThat(ok("system", "df", "--format", "{{.Type}} {{.Size}}").stdout()).containsPattern("Containers [1-9][0-9]*B\n");
        ok("rm", "-f", "one", "two");
    }

    @ChapterTest(since = 4)
    void diffCommitAndTheCommittedImageRuns(int chapter) throws IOException {
        cli.chapter(chapter);
        ok("run", "--name", "c", "busybox", "sh", "-c", "echo new > /f; rm /bin/ls; echo x >> /etc/passwd; mkdir -p /d/e");
        assertThat(ok("diff", "c").stdout()).isEqualTo("C /bin\nD /bin/ls\nA /d\nA /d/e\nC /etc/passwd\nA /f\n");
        String id = ok("commit", "-m", "a file", "-c", "CMD [\"cat\", \"/f\"]", "c", "made:v1").stdout().strip();
        assertThat(id).startsWith("sha256:");
        assertThat(ok("run", "--rm", "made:v1").stdout()).isEqualTo("new\n");
        assertThat(jbox("run", "--rm", "made:v1", "ls").exitCode()).isEqualTo(127);
        assertThat(ok("history", "made:v1").stdout()).contains("a file");
        assertThat(layerCount("made:v1")).isEqualTo(2);
        ok("rm", "c");
    }

    @ChapterTest(since = 4)
    void exportThenImportGivesTheSameFiles(int chapter) throws IOException {
        cli.chapter(chapter);
        ok("run", "--name", "c", "busybox", "sh", "-c", "echo new > /f; rm /bin/ls");
        Path tar = store.resolve("c.tar");
        ok("export", "-o", tar.toString(), "c");
        ok("run", "-d", "--name", "running", "busybox", "sh", "-c", "echo live > /live; sleep 600");
        awaitFile("running", "/live");
        Path live = store.resolve("live.tar");
        ok("export", "-o", live.toString(), "running");
        assertThat(hostMounts()).isEmpty();
        try (var in = new org.apache.commons.compress.archivers.tar.TarArchiveInputStream(Files.newInputStream(live))) {
            List<String> names = new ArrayList<>();
            for (var e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                names.add(e.getName());
            }
            assertThat(names).contains("live", "bin/busybox").doesNotContain("proc/self/", "dev/null");
        }

        String id = ok("import", tar.toString(), "again").stdout().strip();
        assertThat(id).startsWith("sha256:");
        assertThat(ok("run", "--rm", "again", "cat", "/f").stdout()).isEqualTo("new\n");
        assertThat(jbox("run", "--rm", "again", "ls").exitCode()).isEqualTo(127);
        assertThat(layerCount("again")).isEqualTo(1);
        ok("rm", "-f", "c", "running");
        Cli.assertOneLineError(jbox("import", store.resolve("missing.tar").toString()), "no such file");
    }

    private int layerCount(String image) throws IOException {
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(ok("image", "inspect", image).stdout())
                .get(0).get("RootFS").get("Layers").size();
    }

    private void awaitFile(String container, String path) {
        for (int i = 0; i < 100 && jbox("exec", container, "test", "-e", path).exitCode() != 0; i++) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }

    @ChapterTest(since = 4)
    void anImageOf128LayersRuns(int chapter) throws IOException {
        cli.chapter(chapter);
        List<LayerWriter> layers = new ArrayList<>();
        for (int i = 1; i < 128; i++) {
            layers.add(new LayerWriter(Instant.EPOCH).file("layers/" + i, 0644, TestImages.utf8(i + "\n")));
        }
        TestImages.busyboxPlus(store, "tall", c -> c, layers.toArray(LayerWriter[]::new));
        assertThat(ok("run", "--rm", "tall", "sh", "-c", "ls /layers | wc -l; cat /layers/1 /layers/127").stdout())
                .isEqualTo("127\n1\n127\n");
    }

    @ChapterTest(since = 4)
    void noMountIsLeftAfterRmAfterRunRmAndAfterAFailedCreate(int chapter) throws IOException {
        cli.chapter(chapter);
        ok("run", "--name", "done", "busybox", "true");
        assertThat(hostMounts()).isEmpty();
        ok("rm", "done");
        ok("run", "--rm", "busybox", "true");
        Cli.Result failed = jbox("run", "busybox", "no-such-command");
        assertThat(failed.exitCode()).as(failed.toString()).isEqualTo(127);
        // On loopback: from chapter 5 on, run pulls a missing image, and a test never asks Docker Hub
        Cli.Result badImage = jbox("run", "127.0.0.1:9/no-such-image");
        if (chapter < 5) {
            Cli.assertOneLineError(badImage, "no such image");
        } else { // the pull's progress lines first, as docker run prints them, then the one error
            assertThat(badImage.exitCode()).as(badImage.toString()).isEqualTo(125);
            assertThat(badImage.stderr().strip().lines().reduce((a, b) -> b).orElse(""))
                    .startsWith("jbox: cannot reach the registry 127.0.0.1:9");
        }
        assertThat(hostMounts()).isEmpty();
        assertThat(containerDirs()).as("nothing half made stays").isEmpty();
    }

    @ChapterTest(since = 4)
    void theMountPointsAnImageLacksAreInTheInitLayerNotInTheContainersOwn(int chapter) throws IOException {
        cli.chapter(chapter);
        // busybox without /proc, /sys, /dev and the /etc files the runtime mounts over: Docker's case for an init layer
        TestImages.busyboxPlus(store, "bare", c -> c, new LayerWriter(Instant.EPOCH).file(".wh.proc", 0644, new byte[0])
                .file(".wh.sys", 0644, new byte[0]).file(".wh.dev", 0644, new byte[0]).file("etc/.wh.hosts", 0644, new byte[0])
                .file("etc/.wh.hostname", 0644, new byte[0]).file("etc/.wh.resolv.conf", 0644, new byte[0]));
        Cli.Result none = jbox("run", "--rm", "bare", "sh", "-c", "ls /etc; ls -d /proc /sys /dev");
        ok("run", "--name", "c", "-v", "/anonymous/volume", "--tmpfs", "/scratch", "-v", "/etc/passwd:/etc/bound:ro",
                "bare", "true");
        assertThat(ok("diff", "c").stdout()).as("the container changed nothing").isEmpty();
        assertThat(layerCount("bare")).isEqualTo(2);
        ok("commit", "c", "bare:committed");
        var layers = new com.fasterxml.jackson.databind.ObjectMapper().readTree(ok("image", "inspect", "bare:committed").stdout())
                .get(0).get("RootFS").get("Layers");
        assertThat(layers.get(layers.size() - 1).asText()).as("the committed layer is the empty tar (Docker's empty-layer digest)")
                .isEqualTo("sha256:5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef");
        Path tar = store.resolve("c.tar");
        ok("export", "-o", tar.toString(), "c");
        assertThat(tarNames(tar)).doesNotContain("proc/", "etc/hosts", "anonymous/", "scratch/", "etc/bound").contains("etc/passwd");
        assertThat(none.stdout()).as(none.toString()).contains("hosts\n").contains("/proc\n/sys\n");

        Path dir = store.resolve("containers").resolve(ok("inspect", "-f", "{{.Id}}", "c").stdout().strip());
        assertThat(dir.resolve("init/anonymous/volume")).isDirectory();
        assertThat(dir.resolve("init/etc/bound")).isRegularFile();
        ok("rm", "c");
        assertThat(dir).as("the init layer goes with the container").doesNotExist();
        // The image's own /etc keeps its mode and time in the init layer's copy: a write there changes /etc, nothing else.
        ok("run", "--name", "w", "bare", "sh", "-c", "echo x > /etc/new");
        assertThat(ok("diff", "w").stdout()).isEqualTo("C /etc\nA /etc/new\n");
        ok("rm", "w");
    }

    private static List<String> tarNames(Path tar) throws IOException {
        try (var in = new org.apache.commons.compress.archivers.tar.TarArchiveInputStream(Files.newInputStream(tar))) {
            List<String> names = new ArrayList<>();
            for (var e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                names.add(e.getName());
            }
            return names;
        }
    }
}
