package dev.jbox.registry.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jbox.JboxException;
import dev.jbox.image.Descriptor;
import dev.jbox.image.Digest;
import dev.jbox.image.ImageIndex;
import dev.jbox.image.ImageStore;
import dev.jbox.image.MediaTypes;
import dev.jbox.image.Reference;
import dev.jbox.image.StoredImage;
import dev.jbox.registry.RegistryServer;
import dev.jbox.registry.RegistryStore;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * jbox pull and push against jbox's own registry, started in this JVM on a free loopback port:
 * round trips keep the digest, a tampered blob is refused, a server that dies mid-pull is waited
 * for and the download resumes, an index gives this machine's image or the one --platform names.
 */
class PullPushIT {
    @TempDir
    Path tmp;
    RegistryServer server;
    Path serverRoot;
    String registry;

    @BeforeEach
    void startServer() {
        serverRoot = tmp.resolve("registry");
        server = RegistryServer.start(new RegistryStore(serverRoot), new InetSocketAddress("127.0.0.1", 0), RegistryServer.DEFAULT_UPLOAD_EXPIRY);
        registry = "127.0.0.1:" + server.port();
    }

    @AfterEach
    synchronized void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    private Digest push(ImageStore store, String name) {
        return new ImagePusher(store, TestImages.NO_LOGINS_FAST_RETRY, new TestImages.Recorded().progress(), 0).push(Reference.parse(name));
    }

    private StoredImage pull(ImageStore store, String name, Progress progress, Platform platform) {
        return new ImagePuller(store, TestImages.NO_LOGINS_FAST_RETRY, progress, platform).pull(Reference.parse(name));
    }

    @Test
    void pushThenPullKeepsTheDigestAndSkipsWhatIsThere() {
        ImageStore source = TestImages.store(tmp.resolve("a"));
        StoredImage made = TestImages.image(source, registry + "/team/app:v1", "amd64",
                TestImages.bytes(1, 300_000), TestImages.bytes(2, 2_000_000));
        assertThat(push(source, registry + "/team/app:v1")).isEqualTo(made.manifestDigest());

        // The same blobs to another repository: mounted, not uploaded again.
        TestImages.image(source, registry + "/other/app:v1", "amd64", TestImages.bytes(1, 300_000), TestImages.bytes(2, 2_000_000));
        TestImages.Recorded mountLines = new TestImages.Recorded();
        new ImagePusher(source, TestImages.NO_LOGINS_FAST_RETRY, mountLines.progress(), 0).push(Reference.parse(registry + "/other/app:v1"));
        assertThat(mountLines.text()).contains("Mounted from team/app").doesNotContain(": Pushed");

        ImageStore target = TestImages.store(tmp.resolve("b"));
        TestImages.Recorded lines = new TestImages.Recorded();
        StoredImage pulled = pull(target, registry + "/team/app:v1", lines.progress(), Platform.host());
        assertThat(pulled.manifestDigest()).isEqualTo(made.manifestDigest());
        assertThat(pulled.id()).isEqualTo(made.id());
        assertThat(lines.text()).contains(made.layers().get(1).digest().shortHex() + ": Pull complete",
                "Digest: " + made.manifestDigest(), "Status: Downloaded newer image for " + registry + "/team/app:v1");

        TestImages.Recorded again = new TestImages.Recorded();
        pull(target, registry + "/team/app:v1", again.progress(), Platform.host());
        assertThat(again.text()).contains(": Already exists", "Status: Image is up to date").doesNotContain("Pull complete");

        // Chunked upload (PATCH with Content-Range) of the 2 MB layer in 512 KiB pieces: same digest.
        ImageStore fresh = TestImages.store(tmp.resolve("c"));
        StoredImage chunked = TestImages.image(fresh, registry + "/chunked:v1", "amd64", TestImages.bytes(3, 2_000_000));
        assertThat(new ImagePusher(fresh, TestImages.NO_LOGINS_FAST_RETRY, new TestImages.Recorded().progress(), 512 * 1024)
                .push(Reference.parse(registry + "/chunked:v1"))).isEqualTo(chunked.manifestDigest());
        assertThat(pull(TestImages.store(tmp.resolve("d")), registry + "/chunked@" + chunked.manifestDigest(),
                new TestImages.Recorded().progress(), Platform.host()).id()).isEqualTo(chunked.id());
    }

    @Test
    void aTamperedBlobIsRefusedAndLeavesNothing() throws IOException {
        ImageStore source = TestImages.store(tmp.resolve("a"));
        StoredImage made = TestImages.image(source, registry + "/app:v1", "amd64", TestImages.bytes(4, 1_000_000));
        push(source, registry + "/app:v1");
        Digest layer = made.layers().get(0).digest();
        Path stored = serverRoot.resolve("blobs").resolve(layer.path());
        assertThat(stored).as("the registry keeps blobs under blobs/ALG/HEX").isRegularFile();
        byte[] evil = TestImages.bytes(4, 1_000_000);
        evil[500_000] ^= 1; // one bit, same size: only the hash can tell
        Files.delete(stored);
        Files.write(stored, evil);

        ImageStore target = TestImages.store(tmp.resolve("b"));
        assertThatThrownBy(() -> pull(target, registry + "/app:v1", new TestImages.Recorded().progress(), Platform.host()))
                .isInstanceOf(JboxException.class)
                .hasMessageContaining("blob " + layer)
                .hasMessageContaining("wrong content");
        assertThat(target.hasBlob(layer)).isFalse();
        assertThat(target.list()).isEmpty();
        assertThat(ingestFiles(tmp.resolve("b"))).as("no partial download left").isEmpty();
    }

    @Test
    void aServerThatDiesMidPullIsWaitedForAndTheDownloadResumes() throws Exception {
        ImageStore source = TestImages.store(tmp.resolve("a"));
        StoredImage made = TestImages.image(source, registry + "/big:v1", "amd64", TestImages.bytes(5, 48 << 20));
        push(source, registry + "/big:v1");
        Digest layer = made.layers().get(0).digest();

        InetSocketAddress address = server.address();
        AtomicBoolean killed = new AtomicBoolean();
        List<String> retries = new CopyOnWriteArrayList<>();
        List<Throwable> restartFailures = new CopyOnWriteArrayList<>();
        TestImages.Recorded lines = new TestImages.Recorded();
        Progress killing = new Progress() {
            @Override
            public void line(String text) {
                lines.progress().line(text);
            }

            @Override
            public TransferListener start(Digest blob, long size, String action) {
                TransferListener plain = lines.progress().start(blob, size, action);
                return new TransferListener() {
                    @Override
                    public void progress(long bytes) {
                        if (blob.equals(layer) && bytes > 1 << 20 && killed.compareAndSet(false, true)) {
                            killAndRestartLater(address, restartFailures);
                        }
                    }

                    @Override
                    public void retrying(int attempt, long offset, String why) {
                        if (blob.equals(layer)) {
                            retries.add(offset + " " + why);
                        }
                        plain.retrying(attempt, offset, why);
                    }
                };
            }

            @Override
            public void finished(Digest blob, String status) {
                lines.progress().finished(blob, status);
            }
        };
        ImageStore target = TestImages.store(tmp.resolve("b"));
        StoredImage pulled = pull(target, registry + "/big:v1", killing, Platform.host());
        assertThat(restartFailures).isEmpty();
        assertThat(killed).isTrue();
        assertThat(retries).as(lines.text()).isNotEmpty();
        assertThat(Long.parseLong(retries.get(0).split(" ")[0])).as("resumed from where it stopped: " + lines.text()).isGreaterThan(1 << 20);
        assertThat(lines.text()).contains("Retrying from byte");
        assertThat(pulled.manifestDigest()).isEqualTo(made.manifestDigest());
        assertThat(Digest.of("sha256", Files.newInputStream(target.blob(layer)))).isEqualTo(layer);
    }

    /** Stops the server now (every connection drops), and starts it again on the same port 500 ms later. */
    private void killAndRestartLater(InetSocketAddress address, List<Throwable> failures) {
        synchronized (this) {
            server.close();
            server = null;
        }
        Thread restart = new Thread(() -> {
            try {
                Thread.sleep(500);
                synchronized (this) {
                    server = RegistryServer.start(new RegistryStore(serverRoot), address, RegistryServer.DEFAULT_UPLOAD_EXPIRY);
                }
            } catch (Throwable t) {
                failures.add(t);
            }
        }, "registry-restart");
        restart.start();
    }

    @Test
    void anIndexGivesThisMachinesImageOrTheOneAsked() throws Exception {
        ImageStore source = TestImages.store(tmp.resolve("a"));
        StoredImage amd = TestImages.image(source, registry + "/multi:amd64", "amd64", TestImages.bytes(6, 100_000));
        StoredImage arm = TestImages.image(source, registry + "/multi:arm64", "arm64", TestImages.bytes(7, 100_000));
        push(source, registry + "/multi:amd64");
        push(source, registry + "/multi:arm64");
        ImageIndex index = ImageIndex.of(List.of(
                new Descriptor(MediaTypes.OCI_MANIFEST, arm.manifestDigest(), Files.size(source.blob(arm.manifestDigest())), null,
                        new Descriptor.Platform("arm64", "linux", "v8")),
                new Descriptor(MediaTypes.OCI_MANIFEST, amd.manifestDigest(), Files.size(source.blob(amd.manifestDigest())), null,
                        new Descriptor.Platform("amd64", "linux", null))));
        byte[] indexBytes = dev.jbox.Json.mapper().writer().without(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT)
                .writeValueAsBytes(index);
        HttpResponse<String> put = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://" + registry + "/v2/multi/manifests/both"))
                .header("Content-Type", MediaTypes.OCI_INDEX).PUT(HttpRequest.BodyPublishers.ofByteArray(indexBytes)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).as(put.body()).isEqualTo(201);

        TestImages.Recorded lines = new TestImages.Recorded();
        StoredImage mine = pull(TestImages.store(tmp.resolve("b")), registry + "/multi:both", lines.progress(), new Platform("linux", "amd64", null));
        assertThat(mine.manifestDigest()).isEqualTo(amd.manifestDigest());
        assertThat(lines.text()).as("Docker prints the index's digest").contains("Digest: " + Digest.sha256(indexBytes));
        StoredImage other = pull(TestImages.store(tmp.resolve("c")), registry + "/multi:both", new TestImages.Recorded().progress(), Platform.parse("linux/arm64"));
        assertThat(other.manifestDigest()).isEqualTo(arm.manifestDigest());
        assertThat(other.config().architecture()).isEqualTo("arm64");
        assertThatThrownBy(() -> pull(TestImages.store(tmp.resolve("d")), registry + "/multi:both", new TestImages.Recorded().progress(),
                Platform.parse("linux/s390x")))
                .hasMessageContaining("no image for linux/s390x").hasMessageContaining("linux/arm64/v8, linux/amd64");
    }

    @Test
    void anIndexInTheStoreIsPushedWholeAndPulledByItsDigest() throws Exception {
        ImageStore source = TestImages.store(tmp.resolve("a"));
        StoredImage amd = TestImages.image(source, "local/multi:amd64", "amd64", TestImages.bytes(8, 200_000));
        StoredImage arm = TestImages.image(source, "local/multi:arm64", "arm64", TestImages.bytes(9, 200_000));
        byte[] indexBytes = dev.jbox.Json.mapper().writer().without(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT)
                .writeValueAsBytes(ImageIndex.of(List.of(
                        new Descriptor(MediaTypes.OCI_MANIFEST, arm.manifestDigest(), Files.size(source.blob(arm.manifestDigest())), null,
                                new Descriptor.Platform("arm64", "linux", "v8")),
                        new Descriptor(MediaTypes.OCI_MANIFEST, amd.manifestDigest(), Files.size(source.blob(amd.manifestDigest())), null,
                                new Descriptor.Platform("amd64", "linux", null)))));
        Digest indexDigest = Digest.sha256(indexBytes);
        source.addIndex(indexBytes, Reference.parse(registry + "/multi:v1"));

        // Nothing of it was in the registry: the push sends both images, then the index, its bytes unchanged.
        assertThat(push(source, registry + "/multi:v1")).isEqualTo(indexDigest);
        HttpResponse<byte[]> byTag = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://" + registry
                + "/v2/multi/manifests/v1")).header("Accept", MediaTypes.OCI_INDEX).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(byTag.body()).isEqualTo(indexBytes);

        TestImages.Recorded lines = new TestImages.Recorded();
        StoredImage pulled = pull(TestImages.store(tmp.resolve("b")), registry + "/multi@" + indexDigest, lines.progress(),
                new Platform("linux", "arm64", null));
        assertThat(pulled.manifestDigest()).as("the platform's manifest, its digest kept").isEqualTo(arm.manifestDigest());
        assertThat(pulled.id()).isEqualTo(arm.id());
        assertThat(lines.text()).contains("manifest " + arm.manifestDigest() + " of index " + indexDigest, "linux/arm64",
                "Digest: " + indexDigest);
        StoredImage mine = pull(TestImages.store(tmp.resolve("c")), registry + "/multi@" + indexDigest, new TestImages.Recorded().progress(),
                new Platform("linux", "amd64", null));
        assertThat(mine.manifestDigest()).isEqualTo(amd.manifestDigest());
    }

    private static List<Path> ingestFiles(Path storeRoot) throws IOException {
        Path ingest = storeRoot.resolve("image-ingest");
        if (!Files.isDirectory(ingest)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(ingest)) {
            return s.filter(p -> p.getFileName().toString().startsWith("ingest-")).toList();
        }
    }
}
