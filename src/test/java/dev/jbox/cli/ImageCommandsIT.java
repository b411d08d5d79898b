package dev.jbox.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jbox.testing.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** images, tag, rmi, image inspect, history, image prune and system df as a user types them. */
class ImageCommandsIT {
    @TempDir
    Path store;

    @AfterEach
    void cleanUp() {
        Cli.removeAll(store);
    }

    private static List<String> lines(Cli.Result r) {
        return r.stdout().lines().toList();
    }

    private void oneLineError(Cli.Result r, String... fragments) {
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(125);
        assertThat(r.stderr().strip().lines()).as(r.stderr()).hasSize(1);
        assertThat(r.stderr()).startsWith("jbox: ").contains(fragments);
    }

    private long blobs() throws Exception {
        try (Stream<Path> s = Files.walk(store.resolve("image-store/blobs"))) {
            return s.filter(Files::isRegularFile).count();
        }
    }

    @Test
    void listsTagsAndRemovesThemAsDockerDoes() throws Exception {
        var images = Cli.ok(store, "images");
        assertThat(lines(images).get(0)).matches("REPOSITORY +TAG +IMAGE ID +CREATED +SIZE");
        assertThat(lines(images).get(1)).matches("busybox +latest +[0-9a-f]{12} +\\d+ years ago +[0-9.]+MB");
        String id = lines(images).get(1).split(" +")[2];

        Cli.ok(store, "tag", "busybox", "localhost:5000/team/bb:v1");
        assertThat(Cli.ok(store, "images", "-q").stdout()).isEqualTo(id + "\n");
        assertThat(Cli.ok(store, "images", "--format", "{{.Repository}}:{{.Tag}}").stdout())
                .contains("busybox:latest\n", "localhost:5000/team/bb:v1\n");

        JsonNode inspect = new ObjectMapper().readTree(Cli.ok(store, "image", "inspect", "localhost:5000/team/bb:v1").stdout());
        assertThat(inspect.get(0).get("Id").asText()).startsWith("sha256:" + id);
        assertThat(inspect.get(0).get("RepoTags")).extracting(JsonNode::asText)
                .containsExactlyInAnyOrder("busybox:latest", "localhost:5000/team/bb:v1");
        assertThat(inspect.get(0).get("Config").get("Cmd").get(0).asText()).isEqualTo("sh");
        assertThat(inspect.get(0).get("RootFS").get("Layers")).hasSize(1);

        var history = lines(Cli.ok(store, "history", "busybox"));
        assertThat(history.get(0)).matches("IMAGE +CREATED +CREATED BY +SIZE +COMMENT");
        assertThat(history.get(1)).startsWith(id).contains("BusyBox");

        assertThat(Cli.ok(store, "rmi", "localhost:5000/team/bb:v1").stdout()).isEqualTo("Untagged: localhost:5000/team/bb:v1\n");
        var last = Cli.ok(store, "rmi", "busybox");
        assertThat(lines(last)).containsExactly("Untagged: busybox:latest", lines(last).get(1));
        assertThat(lines(last).get(1)).startsWith("Deleted: sha256:");
        assertThat(blobs()).isEqualTo(3); // the blobs wait for prune
        var prune = Cli.ok(store, "image", "prune", "-f");
        assertThat(prune.stdout()).matches("(?s)Total reclaimed space: 2\\.\\d+MB\n");
        assertThat(blobs()).isZero();
    }

    @Test
    void anImageAContainerUsesIsKeptAndItsLayersCountedOnce() throws Exception {
        try {
            for (String name : List.of("one", "two", "three")) {
                Cli.ok(store, "run", "-d", "--name", name, "busybox", "sleep", "60");
            }
            var df = lines(Cli.ok(store, "system", "df"));
            assertThat(df.get(0)).matches("TYPE +TOTAL +ACTIVE +SIZE +RECLAIMABLE");
            assertThat(df.get(1)).matches("Images +1 +1 +2\\.\\d+MB +0B \\(0%\\)"); // three containers, one image's layer
            assertThat(df.get(2)).matches("Containers +3 +3 +.*");

            oneLineError(Cli.jbox(store, "rmi", "busybox"), "container", "jbox rmi -f");
            assertThat(Cli.ok(store, "images").stdout()).contains("busybox");
            Cli.ok(store, "image", "prune", "-a", "-f");
            assertThat(Cli.ok(store, "run", "--rm", "busybox", "true").exitCode()).isZero(); // its layer is still there
            assertThat(blobs()).isEqualTo(3);
        } finally {
            Cli.jbox(store, "rm", "-f", "one", "two", "three");
        }
        assertThat(Cli.ok(store, "rmi", "busybox").stdout()).contains("Deleted: sha256:");
    }

    @Test
    void rmiOfADigestRemovesThatReferenceAndAnIdWithSeveralTagsNeedsForce() throws Exception {
        Cli.ok(store, "tag", "busybox", "app:v1");
        Cli.ok(store, "tag", "busybox", "app:v2");
        JsonNode image = new ObjectMapper().readTree(Cli.ok(store, "image", "inspect", "app:v1").stdout()).get(0);
        String byDigest = image.get("RepoDigests").get(0).asText(); // busybox@sha256:<manifest>
        String id = image.get("Id").asText().substring("sha256:".length(), 19);

        // A digest names the manifest: that reference goes, the tags (of any repository) hold the image.
        assertThat(Cli.ok(store, "rmi", byDigest).stdout()).isEqualTo("Untagged: " + byDigest + "\n");
        assertThat(Cli.ok(store, "images", "--format", "{{.Repository}}:{{.Tag}}").stdout().lines().sorted().toList())
                .containsExactly("app:v1", "app:v2", "busybox:latest");

        oneLineError(Cli.jbox(store, "rmi", id), "unable to delete " + id, "must be forced", "jbox rmi -f");
        assertThat(Cli.ok(store, "images", "-q").stdout()).isEqualTo(id + "\n");
        var forced = lines(Cli.ok(store, "rmi", "-f", id));
        assertThat(forced).containsExactlyInAnyOrder("Untagged: app:v1", "Untagged: app:v2", "Untagged: busybox:latest",
                forced.get(forced.size() - 1));
        assertThat(forced.get(forced.size() - 1)).startsWith("Deleted: sha256:");
        assertThat(Cli.ok(store, "images", "--format", "{{.Repository}}:{{.Tag}}").stdout())
                .doesNotContain("app:"); // (the listing makes the built-in busybox again)

        // An image no tag holds any more (a pull by digest stores one so, too) goes with its digest reference.
        Path root = Files.createDirectories(store.resolve("import-root"));
        Files.writeString(root.resolve("hello.txt"), "hello\n");
        Path tar = store.resolve("root.tar");
        assertThat(new ProcessBuilder("tar", "-cf", tar.toString(), "-C", root.toString(), ".").start().waitFor()).isZero();
        Cli.ok(store, "import", tar.toString(), "solo:1");
        String solo = new ObjectMapper().readTree(Cli.ok(store, "image", "inspect", "solo:1").stdout()).get(0)
                .get("RepoDigests").get(0).asText();
        Cli.ok(store, "tag", "busybox", "solo:1"); // the imported image stays, untagged
        var gone = lines(Cli.ok(store, "rmi", solo));
        assertThat(gone).containsExactly("Untagged: " + solo, gone.get(1));
        assertThat(gone.get(1)).startsWith("Deleted: sha256:");
        assertThat(Cli.ok(store, "images", "--format", "{{.Repository}}:{{.Tag}}").stdout().lines().sorted().toList())
                .containsExactly("busybox:latest", "solo:1"); // no <none> left
    }

    /**
     * Two {@code jbox load} processes of one archive started together, then a load racing
     * {@code image prune -a}: each exits 0, the store holds one good copy, and no temporary file,
     * lease or half-written blob stays. (The two JVMs start at once; their overlap is likely, not forced.)
     */
    @Test
    void concurrentLoadProcessesLeaveOneGoodCopy() throws Exception {
        Path source = store.resolve("source");
        Path root = Files.createDirectories(store.resolve("import-root"));
        byte[] noise = new byte[16 << 20]; // a layer large enough that the two loads overlap
        new java.util.Random(12).nextBytes(noise);
        Files.write(root.resolve("noise.bin"), noise);
        Path tar = store.resolve("root.tar");
        assertThat(new ProcessBuilder("tar", "-cf", tar.toString(), "-C", root.toString(), ".").start().waitFor()).isZero();
        Cli.ok(source, "import", tar.toString(), "app:v1");
        Path archive = store.resolve("app.tar");
        Cli.ok(source, "save", "-o", archive.toString(), "app:v1");
        Path target = store.resolve("target");
        try {
            var results = together(() -> Cli.jbox(target, "load", "-i", archive.toString()),
                    () -> Cli.jbox(target, "load", "-i", archive.toString()));
            for (Cli.Result r : results) {
                assertThat(r.exitCode()).as(r.toString()).isZero();
                assertThat(r.stdout()).isEqualTo("Loaded image: app:v1\n");
            }
            assertThat(Cli.ok(target, "images", "--format", "{{.Repository}}:{{.Tag}} {{.ID}}").stdout())
                    .isEqualTo(Cli.ok(source, "images", "--format", "{{.Repository}}:{{.Tag}} {{.ID}}").stdout());
            assertGoodCopy(target);

            Cli.ok(target, "rmi", "app:v1");
            var raced = together(() -> Cli.jbox(target, "load", "-i", archive.toString()),
                    () -> Cli.jbox(target, "image", "prune", "-a", "-f"));
            assertThat(raced.get(0).exitCode()).as(raced.get(0).toString()).isZero();
            assertThat(raced.get(1).exitCode()).as(raced.get(1).toString()).isZero();
            assertGoodCopy(target); // the lease kept the load's blobs from the prune
        } finally {
            Cli.removeAll(source);
            Cli.removeAll(target);
        }
    }

    @SafeVarargs
    private static List<Cli.Result> together(java.util.concurrent.Callable<Cli.Result>... commands) throws Exception {
        var pool = java.util.concurrent.Executors.newFixedThreadPool(commands.length);
        try {
            var start = new java.util.concurrent.CountDownLatch(1);
            List<java.util.concurrent.Future<Cli.Result>> running = new java.util.ArrayList<>();
            for (var c : commands) {
                running.add(pool.submit(() -> {
                    start.await();
                    return c.call();
                }));
            }
            start.countDown();
            List<Cli.Result> out = new java.util.ArrayList<>();
            for (var f : running) {
                out.add(f.get());
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    /** app:v1 is whole (every blob has the digest it is named by), and the ingest directory holds only its lock. */
    private static void assertGoodCopy(Path target) throws Exception {
        Cli.ok(target, "image", "inspect", "app:v1");
        try (Stream<Path> ingest = Files.list(target.resolve("image-ingest"))) {
            assertThat(ingest.map(p -> p.getFileName().toString()).toList()).allMatch(n -> n.equals("lock"));
        }
        List<Path> blobs;
        try (Stream<Path> s = Files.list(target.resolve("image-store/blobs/sha256"))) {
            blobs = s.toList();
        }
        assertThat(Cli.ok(target, "images", "--format", "{{.Repository}}:{{.Tag}}").stdout().lines()
                .filter(l -> l.startsWith("app:")).toList()).containsExactly("app:v1");
        for (Path blob : blobs) { // nothing half-written or temporary among them
            assertThat(dev.jbox.image.Digest.sha256(Files.readAllBytes(blob)).hex()).isEqualTo(blob.getFileName().toString());
        }
    }

    @Test
    void badReferencesAndMissingImagesGetOneLine() {
        oneLineError(Cli.jbox(store, "rmi", "no-such"), "no such image: 'no-such'", "jbox images");
        oneLineError(Cli.jbox(store, "image", "inspect", "Busybox"), "invalid image name 'Busybox'", "lower-case");
        oneLineError(Cli.jbox(store, "tag", "busybox", "bad//name"), "invalid image name 'bad//name'");
        oneLineError(Cli.jbox(store, "history", "no-such:1.0"), "no such image: 'no-such:1.0'");
        oneLineError(Cli.jbox(store, "tag", "busybox", "busybox@sha256:" + "0".repeat(64)), "digest");
    }

    @Test
    void umociReadsTheStore() {
        Cli.ok(store, "tag", "busybox", "localhost:5000/bb:v1");
        Path umoci = Path.of("/usr/bin/umoci");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(umoci), "umoci is not installed (apt-get install umoci)");
        var ls = Cli.run(List.of(umoci.toString(), "ls", "--layout", store.resolve("image-store").toString()), Map.of());
        assertThat(ls.exitCode()).as(ls.stderr()).isZero();
        assertThat(lines(ls)).containsExactlyInAnyOrder("docker.io/library/busybox:latest", "localhost:5000/bb:v1");
        var stat = Cli.run(List.of(umoci.toString(), "stat", "--image",
                store.resolve("image-store") + ":localhost:5000/bb:v1"), Map.of());
        assertThat(stat.exitCode()).as(stat.stderr()).isZero();
        assertThat(stat.stdout()).contains("BusyBox");
    }
}
