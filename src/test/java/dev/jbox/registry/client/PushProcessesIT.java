package dev.jbox.registry.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jbox.image.Digest;
import dev.jbox.image.ImageStore;
import dev.jbox.image.StoredImage;
import dev.jbox.registry.RegistryServer;
import dev.jbox.registry.RegistryStore;
import dev.jbox.testing.Cli;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real {@code jbox push} processes against jbox's registry in this JVM (issue 13, item 5): two
 * pushes of one blob at once end with one good copy, and a push killed with SIGKILL in the middle
 * of a big layer leaves no blob visible, only an upload session that expires.
 */
class PushProcessesIT {
    private static final Duration EXPIRY = Duration.ofSeconds(3);

    @TempDir
    Path tmp;
    RegistryServer server;
    Path serverRoot;
    String registry;
    final List<Process> started = new ArrayList<>();

    @BeforeEach
    void startServer() {
        serverRoot = tmp.resolve("registry");
        server = RegistryServer.start(new RegistryStore(serverRoot), new InetSocketAddress("127.0.0.1", 0), EXPIRY);
        registry = "127.0.0.1:" + server.port();
    }

    @AfterEach
    void stop() {
        started.forEach(Process::destroyForcibly);
        server.close();
    }

    private Process push(Path store, String image) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(Cli.REPO.resolve("jbox").toString(), "push", image)
                .redirectErrorStream(true).redirectOutput(tmp.resolve("push-" + started.size() + ".log").toFile());
        pb.environment().putAll(Cli.environment(store));
        Process p = pb.start();
        started.add(p);
        return p;
    }

    @Test
    void twoPushesOfOneBlobAtOnceEndWithOneGoodCopy() throws Exception {
        byte[] layer = TestImages.bytes(7, 32 << 20);
        Digest digest = Digest.sha256(layer);
        Path a = tmp.resolve("a"), b = tmp.resolve("b");
        TestImages.image(TestImages.store(a), registry + "/app:one", "amd64", layer);
        TestImages.image(TestImages.store(b), registry + "/app:two", "amd64", layer);

        Process first = push(a, registry + "/app:one"), second = push(b, registry + "/app:two");
        assertThat(first.waitFor()).as(Files.readString(tmp.resolve("push-0.log"))).isZero();
        assertThat(second.waitFor()).as(Files.readString(tmp.resolve("push-1.log"))).isZero();

        Path blob = serverRoot.resolve("blobs").resolve(digest.path());
        try (InputStream in = Files.newInputStream(blob)) {
            assertThat(Digest.of("sha256", in)).as("the one copy is whole").isEqualTo(digest);
        }
        assertThat(files(serverRoot.resolve("uploads"))).as("no session or ingest file left").isEmpty();
        StoredImage pulled = new ImagePuller(TestImages.store(tmp.resolve("c")), TestImages.NO_LOGINS_FAST_RETRY,
                new TestImages.Recorded().progress(), Platform.host()).pull(dev.jbox.image.Reference.parse(registry + "/app:two"));
        assertThat(pulled.layers().get(0).digest()).isEqualTo(digest);
    }

    @Test
    void aPushKilledMidLayerLeavesNoBlobAndItsSessionExpires() throws Exception {
        byte[] layer = TestImages.bytes(8, 256 << 20);
        Digest digest = Digest.sha256(layer);
        Path a = tmp.resolve("a");
        ImageStore store = TestImages.store(a);
        TestImages.image(store, registry + "/big:v1", "amd64", layer);
        layer = null; // 256 MiB the JVM may have back

        Process push = push(a, registry + "/big:v1");
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (uploaded() < (8 << 20) && push.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        long before = uploaded();
        assertThat(push.isAlive()).as("the push is still moving the layer (%d bytes in)", before).isTrue();
        push.destroyForcibly(); // SIGKILL: ./jbox execs the JVM, so this is the client itself
        push.waitFor();
        assertThat(before).isBetween(1L, (256L << 20) - 1);

        assertThat(serverRoot.resolve("blobs").resolve(digest.path())).as("no partial blob is visible").doesNotExist();
        var head = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://" + registry + "/v2/big/blobs/" + digest)).method("HEAD",
                        java.net.http.HttpRequest.BodyPublishers.noBody()).build(),
                java.net.http.HttpResponse.BodyHandlers.discarding());
        assertThat(head.statusCode()).isEqualTo(404);

        deadline = System.nanoTime() + EXPIRY.multipliedBy(5).toNanos();
        while (!files(serverRoot.resolve("uploads")).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertThat(files(serverRoot.resolve("uploads"))).as("the dead client's session expired with its data").isEmpty();
    }

    /** The bytes in the registry's upload files now. */
    private long uploaded() throws Exception {
        long sum = 0;
        for (Path f : files(serverRoot.resolve("uploads"))) {
            try {
                sum += Files.size(f);
            } catch (java.nio.file.NoSuchFileException gone) {
                // finished or cancelled in between
            }
        }
        return sum;
    }

    private static List<Path> files(Path dir) throws Exception {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }
}
