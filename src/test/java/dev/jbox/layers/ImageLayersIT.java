package dev.jbox.layers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jbox.DataRoot;
import dev.jbox.image.ConfigFile;
import dev.jbox.image.Descriptor;
import dev.jbox.image.Digest;
import dev.jbox.image.ImageStore;
import dev.jbox.image.LayerWriter;
import dev.jbox.image.MediaTypes;
import dev.jbox.image.Reference;
import dev.jbox.image.StoredBlob;
import dev.jbox.image.StoredImage;
import dev.jbox.testing.ChapterTest;
import dev.jbox.testing.Cli;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * Chapter 4 through the real launcher: containers of one image on overlays of its layers, each
 * with a writable layer of its own, and the verbs that read those layers (diff, commit, export,
 * import). After every test no overlay of the store is left mounted on the host.
 */
class ImageLayersIT {
    @TempDir
    Path store;

    private int chapter;

    @AfterEach
    void cleanUp() throws IOException {
        Cli.removeAll(store);
        assertThat(hostMounts()).as("overlays left on the host").isEmpty();
    }

    private Cli.Result ok(String... args) {
        return Cli.ok(store, withChapter(args));
    }

    private Cli.Result jbox(String... args) {
        return Cli.jbox(store, withChapter(args));
    }

    private String[] withChapter(String... args) {
        if (args[0].equals("run")) {
            List<String> all = new ArrayList<>(List.of("run", "--chapter", Integer.toString(chapter)));
            all.addAll(List.of(args).subList(1, args.length));
            return all.toArray(String[]::new);
        }
        return args;
    }

    /** The host's mounts below the store (there should be none once a command has returned). */
    private List<String> hostMounts() throws IOException {
        return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream().filter(l -> l.contains(store.toString())).toList();
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
        this.chapter = chapter;
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
        this.chapter = chapter;
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
        this.chapter = chapter;
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
        this.chapter = chapter;
        ImageStore images = new ImageStore(new DataRoot(store));
        StoredImage busybox = images.resolve("busybox");
        List<Descriptor> layers = new ArrayList<>(busybox.layers());
        List<Digest> diffIds = new ArrayList<>(busybox.diffIds());
        for (int i = 1; i < 128; i++) {
            byte[] tar = new LayerWriter(Instant.EPOCH).file("layers/" + i, 0644, (i + "\n").getBytes(StandardCharsets.UTF_8))
                    .toBytes();
            StoredBlob b = images.putBlob(new ByteArrayInputStream(tar), null);
            layers.add(b.describe(MediaTypes.OCI_LAYER));
            diffIds.add(b.digest());
        }
        ConfigFile base = busybox.config();
        images.addImage(new ConfigFile(base.created(), null, base.architecture(), base.os(), base.config(),
                ConfigFile.RootFs.layers(diffIds), List.of()), layers, Reference.parse("tall"));
        assertThat(ok("run", "--rm", "tall", "sh", "-c", "ls /layers | wc -l; cat /layers/1 /layers/127").stdout())
                .isEqualTo("127\n1\n127\n");
    }

    @ChapterTest(since = 4)
    void noMountIsLeftAfterRmAfterRunRmAndAfterAFailedCreate(int chapter) throws IOException {
        this.chapter = chapter;
        ok("run", "--name", "done", "busybox", "true");
        assertThat(hostMounts()).isEmpty();
        ok("rm", "done");
        ok("run", "--rm", "busybox", "true");
        Cli.Result failed = jbox("run", "busybox", "no-such-command");
        assertThat(failed.exitCode()).as(failed.toString()).isEqualTo(127);
        Cli.Result badImage = jbox("run", "no-such-image");
        Cli.assertOneLineError(badImage, "no such image");
        assertThat(hostMounts()).isEmpty();
        assertThat(containerDirs()).as("nothing half made stays").isEmpty();
    }
}
