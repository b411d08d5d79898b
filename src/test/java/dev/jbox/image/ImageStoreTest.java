package dev.jbox.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jbox.DataRoot;
import dev.jbox.JboxException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The content store and index.json, without root: blobs are named by content and only whole ones are visible. */
class ImageStoreTest {
    @TempDir
    Path dir;

    private ImageStore store() {
        return new ImageStore(new DataRoot(dir));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private List<Path> files(Path under) throws IOException {
        if (!Files.exists(under)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(under)) {
            return s.filter(Files::isRegularFile).toList();
        }
    }

    @Test
    void aBlobIsNamedByItsContent() throws Exception {
        StoredBlob b = store().putBlob(new ByteArrayInputStream(bytes("hello")), null);
        assertThat(b.digest()).isEqualTo(Digest.sha256(bytes("hello")));
        assertThat(Files.readString(store().blob(b.digest()))).isEqualTo("hello");
        assertThat(store().blob(b.digest())).isEqualTo(dir.resolve("image-store/blobs/sha256/" + b.digest().hex()));
    }

    @Test
    void aWrongDigestOrSizeNeverBecomesVisible() throws Exception {
        Digest other = Digest.sha256(bytes("other"));
        assertThatThrownBy(() -> store().putBlob(new ByteArrayInputStream(bytes("hello")), other))
                .isInstanceOf(JboxException.class).hasMessageContaining("wrong content").hasMessageContaining(other.toString());
        Digest right = Digest.sha256(bytes("hello"));
        assertThatThrownBy(() -> store().putBlob(new ByteArrayInputStream(bytes("hel")), right, 5))
                .hasMessageContaining("truncated");
        assertThat(files(dir.resolve("image-store/blobs"))).isEmpty();
        assertThat(files(dir.resolve("image-ingest")).stream().filter(f -> f.getFileName().toString().startsWith("ingest-")))
                .isEmpty();
    }

    @Test
    void aWriterThatFailsHalfWayLeavesNothing() throws Exception {
        InputStream failing = new InputStream() {
            private int n;

            @Override
            public int read() throws IOException {
                if (n++ > 1000) {
                    throw new IOException("connection reset");
                }
                return 'x';
            }
        };
        assertThatThrownBy(() -> store().putBlob(failing, null)).hasMessageContaining("connection reset");
        assertThat(files(dir.resolve("image-store/blobs"))).isEmpty();
    }

    @Test
    void concurrentWritersOfOneBlobEndWithOneGoodCopy() throws Exception {
        byte[] content = new byte[1 << 20];
        new java.util.Random(1).nextBytes(content);
        Digest digest = Digest.sha256(content);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<StoredBlob>> writers = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                writers.add(pool.submit(() -> {
                    start.await();
                    return new ImageStore(new DataRoot(dir)).putBlob(new ByteArrayInputStream(content), digest);
                }));
            }
            start.countDown();
            for (Future<StoredBlob> w : writers) {
                assertThat(w.get().digest()).isEqualTo(digest);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(files(dir.resolve("image-store/blobs"))).hasSize(1);
        assertThat(Digest.sha256(Files.readAllBytes(store().blob(digest)))).isEqualTo(digest);
    }

    private StoredImage image(ImageStore s, String content, String tag) {
        StoredBlob layer = s.putBlob(new ByteArrayInputStream(bytes(content)), null);
        ConfigFile config = new ConfigFile("1970-01-01T00:00:00Z", null, "amd64", "linux",
                new ConfigFile.Config(null, null, null, null, List.of("sh"), null, null, null, null),
                ConfigFile.RootFs.layers(List.of(layer.digest())), List.of());
        return s.addImage(config, List.of(layer.describe(MediaTypes.OCI_LAYER)),
                tag == null ? null : Reference.parse(tag));
    }

    @Test
    void tagsLiveInIndexJsonAsOciRefNames() throws Exception {
        ImageStore s = store();
        StoredImage a = image(s, "layer a", "app:v1");
        s.tag("app:v1", "localhost:5000/app");
        JsonNode index = new ObjectMapper().readTree(dir.resolve("image-store/index.json").toFile());
        assertThat(index.get("schemaVersion").asInt()).isEqualTo(2);
        assertThat(index.get("manifests").findValuesAsText(Descriptor.REF_NAME))
                .containsExactly("docker.io/library/app:v1", "localhost:5000/app:latest");
        assertThat(Files.readString(dir.resolve("image-store/oci-layout"))).contains("\"imageLayoutVersion\"");
        assertThat(s.resolve("localhost:5000/app").id()).isEqualTo(a.id());
        assertThat(s.resolve(a.id().hex().substring(0, 8)).id()).isEqualTo(a.id());
        assertThat(s.resolve("app@" + a.manifestDigest()).id()).isEqualTo(a.id());
        // the manifest is stored as the bytes it was named by
        assertThat(Digest.sha256(Files.readAllBytes(s.blob(a.manifestDigest())))).isEqualTo(a.manifestDigest());
        assertThatThrownBy(() -> s.resolve("app:v2")).hasMessageContaining("no such image: 'app:v2'");
        assertThatThrownBy(() -> s.tag("app:v1", "app@" + a.manifestDigest())).hasMessageContaining("digest");
    }

    @Test
    void aMovedTagLeavesTheOldImageUntaggedAndPruneTakesItsBlobs() {
        ImageStore s = store();
        StoredImage old = image(s, "old layer", "app");
        StoredImage fresh = image(s, "new layer", "app");
        assertThat(s.list()).extracting(i -> i.reference() == null ? "<none>" : i.reference().familiar())
                .containsExactlyInAnyOrder("app:latest", "<none>");
        ImageStore.PruneResult r = s.prune(false, Set.of());
        assertThat(r.deletedImages()).containsExactly(old.id());
        assertThat(r.deletedBlobs()).contains(old.manifestDigest(), old.configDigest(), old.layers().get(0).digest());
        assertThat(s.hasBlob(fresh.layers().get(0).digest())).isTrue();
        assertThat(s.list()).hasSize(1);
    }

    @Test
    void removingTheLastTagDropsTheImageUnlessAContainerUsesIt() {
        ImageStore s = store();
        StoredImage a = image(s, "layer", "app:v1");
        s.tag("app:v1", "app:v2");
        assertThat(s.remove("app:v1", false, Map.of())).containsExactly("Untagged: app:v1");
        assertThatThrownBy(() -> s.remove("app:v2", false, Map.of(a.id(), "c0ffee")))
                .hasMessageContaining("container c0ffee").hasMessageContaining("-f");
        assertThat(s.remove("app:v2", true, Map.of(a.id(), "c0ffee"))).containsExactly("Untagged: app:v2");
        assertThat(s.list()).extracting(StoredImage::reference).containsExactly((Reference) null); // kept for the container
        assertThat(s.prune(false, Set.of(a.id())).deletedBlobs()).isEmpty();
        assertThat(s.remove(a.id().hex(), false, Map.of())).containsExactly("Deleted: " + a.manifestDigest());
        assertThat(s.list()).isEmpty();
        assertThat(s.prune(false, Set.of()).deletedBlobs()).hasSize(3);
    }

    @Test
    void anUntaggedBlobThisProcessJustWroteSurvivesAPrune() {
        ImageStore s = store();
        StoredBlob b = s.putBlob(new ByteArrayInputStream(bytes("being loaded")), null);
        new ImageStore(new DataRoot(dir)).prune(true, Set.of());
        assertThat(s.hasBlob(b.digest())).isTrue();
    }

    @Test
    void concurrentTagsAreAllKept() throws Exception {
        ImageStore s = store();
        image(s, "layer", "app");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> tags = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                int n = i;
                tags.add(pool.submit(() -> new ImageStore(new DataRoot(dir)).tag("app", "app:t" + n)));
            }
            for (Future<?> t : tags) {
                t.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(s.list()).hasSize(17);
    }

    @Test
    void readsDockerSchema2Manifests() {
        ImageStore s = store();
        StoredBlob layer = s.putBlob(new ByteArrayInputStream(bytes("docker layer")), null);
        byte[] config = bytes("{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"Entrypoint\":[\"/bin/sh\",\"-c\"],"
                + "\"Cmd\":[\"echo hi\"],\"WorkingDir\":\"/srv\"},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\""
                + layer.digest() + "\"]}}");
        StoredBlob c = s.putBlob(new ByteArrayInputStream(config), null);
        String manifest = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.DOCKER_MANIFEST + "\",\"config\":{\"mediaType\":\""
                + MediaTypes.DOCKER_CONFIG + "\",\"size\":" + c.size() + ",\"digest\":\"" + c.digest() + "\"},\"layers\":[{\"mediaType\":\""
                + MediaTypes.DOCKER_LAYER_GZIP + "\",\"size\":" + layer.size() + ",\"digest\":\"" + layer.digest() + "\"}]}";
        StoredImage image = s.addManifest(bytes(manifest), Reference.parse("docker-made"));
        assertThat(image.manifestDigest()).isEqualTo(Digest.sha256(bytes(manifest)));
        assertThat(image.config().runConfig().command(java.util.List.of(), null)).containsExactly("/bin/sh", "-c", "echo hi");
        assertThat(image.config().runConfig().workingDir()).isEqualTo("/srv");
        assertThatThrownBy(() -> s.addManifest(bytes(manifest.replace(layer.digest().hex(), "0".repeat(64))), null))
                .hasMessageContaining("not in the store");
    }

    @Test
    void theBuiltinBusyboxIsReproducible() {
        Path busybox = BusyboxImage.findStaticBusybox();
        BusyboxImage.Built one = BusyboxImage.build(busybox, Instant.EPOCH);
        BusyboxImage.Built two = BusyboxImage.build(busybox, Instant.EPOCH);
        assertThat(Digest.sha256(two.manifest())).isEqualTo(Digest.sha256(one.manifest()));
        assertThat(two.layer()).isEqualTo(one.layer());
        BusyboxImage.Built later = BusyboxImage.build(busybox, Instant.ofEpochSecond(1700000000));
        assertThat(Digest.sha256(later.layer())).isNotEqualTo(Digest.sha256(one.layer()));

        StoredImage stored = store().resolve("busybox");
        assertThat(stored.manifestDigest()).isEqualTo(Digest.sha256(one.manifest()));
        assertThat(stored.diffIds()).containsExactly(Digest.sha256(one.layer()));
        assertThat(stored.config().config().cmd()).containsExactly("sh");
        assertThat(stored.config().history()).hasSize(1);
        assertThat(stored.reference()).hasToString("docker.io/library/busybox:latest");
    }
}
