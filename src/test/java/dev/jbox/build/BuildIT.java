package dev.jbox.build;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jbox.testing.Cli;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jbox build} as a user types it, on the real kernel: a multi-stage Dockerfile with every
 * instruction jbox builds, from a temporary context on the built-in busybox; then the image runs,
 * the cache answers a second build, a changed file invalidates from its COPY down, the same
 * inputs give the same image id, and a failing RUN leaves no mount, container, tag or scratch.
 */
class BuildIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DOCKERFILE = """
            # syntax=docker/dockerfile:1
            ARG BASE=busybox
            FROM ${BASE} AS builder
            ARG GREETING=hello
            ENV APP=/app \\
                MSG="from the builder"
            WORKDIR $APP
            COPY src/ ./src/
            ADD files.tar.gz /opt/
            RUN echo "$GREETING $MSG" > out.txt && cat src/a.txt /opt/t/inner.txt >> out.txt && ls src >> out.txt
            FROM busybox
            LABEL org.example.version=1 owner="the lab"
            COPY --from=builder --chown=1000:1000 /app/out.txt /srv/
            WORKDIR /srv
            USER 1000
            EXPOSE 8080 53/udp
            VOLUME /data
            ENTRYPOINT ["cat"]
            CMD ["/srv/out.txt"]
            """;

    @TempDir
    Path store;
    @TempDir
    Path context;

    @AfterEach
    void cleanUp() {
        Cli.removeAll(store);
    }

    private Cli.Result build(String... args) {
        return build(Map.of(), args);
    }

    private Cli.Result build(Map<String, String> env, String... args) {
        List<String> argv = new ArrayList<>(List.of(Cli.REPO.resolve("jbox").toString(), "build", "--network", "none"));
        argv.addAll(List.of(args));
        Map<String, String> environment = new java.util.HashMap<>(Cli.environment(store));
        environment.putAll(env);
        Cli.Result r = Cli.run(argv, environment, java.time.Duration.ofSeconds(300));
        assertThat(mountsOfTheStore()).as("mounts left after " + argv).isEmpty();
        return r;
    }

    private List<String> mountsOfTheStore() {
        try {
            return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream().filter(l -> l.contains(store.toString())).toList();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private void writeContext() throws Exception {
        Files.createDirectories(context.resolve("src"));
        Files.writeString(context.resolve("src/a.txt"), "a\n");
        Files.writeString(context.resolve("src/skip.log"), "ignored\n");
        Files.writeString(context.resolve(".dockerignore"), "# logs stay out\n**/*.log\n");
        Files.writeString(context.resolve("Dockerfile"), DOCKERFILE);
        try (OutputStream file = Files.newOutputStream(context.resolve("files.tar.gz"));
             TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(file))) {
            byte[] inner = "inner\n".getBytes(StandardCharsets.UTF_8);
            TarArchiveEntry e = new TarArchiveEntry("t/inner.txt");
            e.setSize(inner.length);
            tar.putArchiveEntry(e);
            tar.write(inner);
            tar.closeArchiveEntry();
        }
    }

    /** The "Step N/M : ..." lines, each with whether the step was served from the cache. */
    private static List<String> steps(Cli.Result r) {
        List<String> out = new ArrayList<>();
        for (String line : r.stdout().lines().toList()) {
            if (line.startsWith("Step ")) {
                out.add(line.substring(0, line.indexOf(" :")));
            } else if (line.equals(" ---> Using cache")) {
                out.set(out.size() - 1, out.get(out.size() - 1) + " cached");
            }
        }
        return out;
    }

    private String imageId(String name) throws Exception {
        return inspect(name).get("Id").asText();
    }

    private JsonNode inspect(String name) throws Exception {
        return JSON.readTree(Cli.ok(store, "image", "inspect", name).stdout()).get(0);
    }

    @Test
    void buildsRunsCachesAndRebuildsFromTheChangedStep() throws Exception {
        writeContext();
        Cli.Result cold = build("-t", "app:1", "-t", "app:latest", context.toString());
        assertThat(cold.exitCode()).as(cold.toString()).isZero();
        assertThat(cold.stdout()).contains("Step 1/17 : ARG BASE=busybox", "Step 8/17 : RUN echo", " ---> Running in ",
                "Successfully tagged app:1", "Successfully tagged app:latest").doesNotContain("Using cache");

        // the image runs: ENTRYPOINT + CMD; the .dockerignore'd file never reached the builder
        Cli.Result run = Cli.ok(store, "run", "--rm", "--network", "none", "--chapter", "3", "app:1");
        assertThat(run.stdout()).isEqualTo("hello from the builder\na\ninner\na.txt\n");

        JsonNode config = inspect("app:1").get("Config");
        assertThat(config.get("User").asText()).isEqualTo("1000");
        assertThat(config.get("WorkingDir").asText()).isEqualTo("/srv");
        assertThat(config.get("Entrypoint")).extracting(JsonNode::asText).containsExactly("cat");
        assertThat(config.get("Cmd")).extracting(JsonNode::asText).containsExactly("/srv/out.txt");
        assertThat(config.get("Labels").get("owner").asText()).isEqualTo("the lab");
        assertThat(config.get("ExposedPorts").fieldNames()).toIterable().containsExactly("53/udp", "8080/tcp");
        assertThat(config.get("Volumes").fieldNames()).toIterable().containsExactly("/data");
        assertThat(inspect("app:1").get("RootFS").get("Layers")).hasSize(2); // busybox + COPY --from (WORKDIR /srv exists)
        assertThat(topLayer("app:1")).containsExactly("srv/ 1000:1000 0", "srv/out.txt 1000:1000 0");

        // warm: every step after FROM from the cache, the same image
        String id = imageId("app:1");
        Cli.Result warm = build("-t", "app:1", context.toString());
        assertThat(steps(warm)).filteredOn(s -> !s.endsWith("cached")).containsExactly("Step 1/17", "Step 2/17", "Step 9/17");
        assertThat(warm.stdout()).doesNotContain("Running in");
        assertThat(imageId("app:1")).isEqualTo(id);
        Cli.Result quiet = build("-q", context.toString());
        assertThat(quiet.stdout()).isEqualTo(id + "\n");

        // a changed file: its COPY and every step after it in the stage run again, and what depends on the stage
        Files.writeString(context.resolve("src/a.txt"), "b\n");
        Files.writeString(context.resolve("src/skip.log"), "still ignored, and no cache miss of its own\n");
        Cli.Result changed = build("-t", "app:1", context.toString());
        assertThat(steps(changed)).containsExactly("Step 1/17", "Step 2/17", "Step 3/17 cached", "Step 4/17 cached",
                "Step 5/17 cached", "Step 6/17", "Step 7/17", "Step 8/17", "Step 9/17", "Step 10/17 cached", "Step 11/17",
                "Step 12/17", "Step 13/17", "Step 14/17", "Step 15/17", "Step 16/17", "Step 17/17");
        assertThat(imageId("app:1")).isNotEqualTo(id);
        assertThat(Cli.ok(store, "run", "--rm", "--network", "none", "--chapter", "3", "app:1").stdout())
                .isEqualTo("hello from the builder\nb\ninner\na.txt\n");
    }

    @Test
    void theSameInputsGiveTheSameImageIdWithoutTheCache() throws Exception {
        writeContext();
        Map<String, String> epoch = Map.of("SOURCE_DATE_EPOCH", "1700000000");
        assertThat(build(epoch, "--no-cache", "-t", "one", context.toString()).exitCode()).isZero();
        // touching every file changes nothing: times are clamped, and the RUN layer's too
        try (Stream<Path> files = Files.walk(context)) {
            for (Path p : files.toList()) {
                Files.setLastModifiedTime(p, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5000));
            }
        }
        assertThat(build(epoch, "--no-cache", "-t", "two", context.toString()).exitCode()).isZero();
        assertThat(imageId("two")).isEqualTo(imageId("one"));
        assertThat(inspect("one").get("Created").asText()).isEqualTo("2023-11-14T22:13:20Z");
    }

    @Test
    void aFailingRunLeavesNoMountContainerTagOrScratch() throws Exception {
        Files.writeString(context.resolve("Dockerfile"), "FROM busybox\nRUN echo started > /f && exit 3\n");
        Cli.Result r = build("-t", "broken", context.toString());
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1); // as docker build: 1, whatever the command returned
        assertThat(r.stdout()).contains("started"); // (to the output, not to the layer)
        assertThat(r.stderr().strip()).isEqualTo("jbox: The command '/bin/sh -c echo started > /f && exit 3' returned a"
                + " non-zero code: 3; fix the command (the build stopped at this step)");
        assertThat(Cli.ok(store, "ps", "-a", "-q").stdout()).isEmpty();
        assertThat(Cli.ok(store, "images", "--format", "{{.Repository}}").stdout()).doesNotContain("broken");
        try (Stream<Path> left = Files.list(store.resolve("build-tmp"))) {
            assertThat(left.toList()).isEmpty();
        }

        Files.writeString(context.resolve("Dockerfile"), "FROM busybox\nCOPY missing.txt /\n");
        Cli.Result missing = build("-t", "broken", context.toString());
        assertOneLineFailure(missing, "Dockerfile:2: COPY failed: 'missing.txt' not found in");
    }

    @Test
    void runRunsAsTheUserInEffectAndInTheShellOfShell() throws Exception {
        Files.writeString(context.resolve("Dockerfile"), """
                FROM busybox
                USER nobody
                RUN id -u > /tmp/by-name && id -g >> /tmp/by-name && echo "$HOME" >> /tmp/by-name
                USER 1000:1000
                RUN id -u > /tmp/by-number && id -g >> /tmp/by-number
                USER root
                SHELL ["/bin/busybox", "env", "SHELL_SEEN=shell-form", "/bin/sh", "-c"]
                RUN echo "$SHELL_SEEN" > /tmp/shell
                """);
        Cli.Result r = build("-t", "users", context.toString());
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stdout()).doesNotContain("[warning]");
        Cli.Result files = Cli.ok(store, "run", "--rm", "users", "cat", "/tmp/by-name", "/tmp/by-number", "/tmp/shell");
        assertThat(files.stdout().lines().toList())
                .containsExactly("65534", "65534", "/nonexistent", "1000", "1000", "shell-form");

        Files.writeString(context.resolve("Dockerfile"), "FROM busybox\nUSER nosuchuser\nRUN true\n");
        Cli.Result unknown = build("-t", "nouser", context.toString());
        assertThat(unknown.exitCode()).as(unknown.toString()).isEqualTo(1);
        assertOneLineFailure(unknown, "Dockerfile:3: cannot run as USER nosuchuser: no user 'nosuchuser' in the image's /etc/passwd");
        assertThat(Cli.ok(store, "ps", "-a", "-q").stdout()).isEmpty();
    }

    /** A failed build: exit 1 (as docker build), one line on stderr. */
    private static void assertOneLineFailure(Cli.Result r, String fragment) {
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.stderr().strip()).startsWith("jbox: ").contains(fragment).doesNotContain("\n");
    }

    /** The entries of an image's top layer: "path uid:gid mtime". */
    private List<String> topLayer(String name) throws Exception {
        JsonNode index = JSON.readTree(store.resolve("image-store/index.json").toFile());
        String manifest = null;
        for (JsonNode m : index.get("manifests")) {
            if (m.path("annotations").path("org.opencontainers.image.ref.name").asText().endsWith("/" + name)) {
                manifest = m.get("digest").asText();
            }
        }
        JsonNode layers = JSON.readTree(blob(manifest).toFile()).get("layers");
        Path top = blob(layers.get(layers.size() - 1).get("digest").asText());
        List<String> out = new ArrayList<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(Files.newInputStream(top)))) {
            for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
                out.add(e.getName() + " " + e.getLongUserId() + ":" + e.getLongGroupId() + " " + e.getModTime().getTime() / 1000);
            }
        }
        return out;
    }

    private Path blob(String digest) {
        return store.resolve("image-store/blobs/sha256").resolve(digest.substring("sha256:".length()));
    }
}
