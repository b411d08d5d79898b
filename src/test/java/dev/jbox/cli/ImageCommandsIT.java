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
