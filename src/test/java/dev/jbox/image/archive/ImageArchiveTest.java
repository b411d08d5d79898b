package dev.jbox.image.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jbox.DataRoot;
import dev.jbox.JboxException;
import dev.jbox.image.ConfigFile;
import dev.jbox.image.Descriptor;
import dev.jbox.image.Digest;
import dev.jbox.image.ImageStore;
import dev.jbox.image.MediaTypes;
import dev.jbox.image.Reference;
import dev.jbox.image.StoredImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * save and load without root: the two formats, reproducibility, compressed layers, and archives
 * that are hostile, corrupt or truncated - made by hand here - each refused with one error line
 * and the store left as it was.
 */
class ImageArchiveTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    // ---- helpers -------------------------------------------------------------------------

    /** A tar made entry by entry, as hostile as a test needs. */
    static final class Tar {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final TarArchiveOutputStream out = new TarArchiveOutputStream(bytes);

        Tar() {
            out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        }

        Tar file(String name, byte[] content) throws IOException {
            TarArchiveEntry e = new TarArchiveEntry(name, true);
            e.setModTime(0); // the same layer twice is the same bytes
            e.setSize(content.length);
            out.putArchiveEntry(e);
            out.write(content);
            out.closeArchiveEntry();
            return this;
        }

        Tar file(String name, String content) throws IOException {
            return file(name, content.getBytes(StandardCharsets.UTF_8));
        }

        Tar link(String name, String target, byte type) throws IOException {
            TarArchiveEntry e = new TarArchiveEntry(name, type, true);
            e.setLinkName(target);
            out.putArchiveEntry(e);
            out.closeArchiveEntry();
            return this;
        }

        Tar device(String name) throws IOException {
            TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_CHR, true);
            e.setDevMajor(1);
            e.setDevMinor(3);
            out.putArchiveEntry(e);
            out.closeArchiveEntry();
            return this;
        }

        byte[] bytes() throws IOException {
            out.close();
            return bytes.toByteArray();
        }
    }

    /** A layer tar of one file. */
    static byte[] layer(String file, String content) throws IOException {
        return new Tar().file(file, content).bytes();
    }

    static byte[] config(Digest... diffIds) {
        ConfigFile c = new ConfigFile("2024-01-01T00:00:00Z", null, "amd64", "linux",
                new ConfigFile.Config(null, null, List.of("PATH=/bin"), null, List.of("sh"), null, null, null, null),
                ConfigFile.RootFs.layers(List.of(diffIds)), null);
        return dev.jbox.image.OciJson.bytes(c);
    }

    /** A Docker archive of old style (config HEX.json, layers DIR/layer.tar) with the given layer files (maybe compressed). */
    static Tar dockerArchive(String repoTag, byte[] config, byte[]... layers) throws IOException {
        Tar t = new Tar();
        Digest c = Digest.sha256(config);
        t.file(c.hex() + ".json", config);
        List<String> paths = new ArrayList<>();
        for (int i = 0; i < layers.length; i++) {
            paths.add("l" + i + "/layer.tar");
            t.file("l" + i + "/layer.tar", layers[i]);
        }
        t.file("manifest.json", JSON.writeValueAsString(List.of(Map.of("Config", c.hex() + ".json",
                "RepoTags", List.of(repoTag), "Layers", paths))));
        return t;
    }

    static byte[] gzip(byte[] b) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(b);
        }
        return out.toByteArray();
    }

    static byte[] zstd(byte[] b) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZstdCompressorOutputStream z = new ZstdCompressorOutputStream(out)) {
            z.write(b);
        }
        return out.toByteArray();
    }

    private ImageStore store(String name) {
        return new ImageStore(new DataRoot(dir.resolve(name)));
    }

    private List<String> load(ImageStore store, byte[] archive) {
        return new ImageLoader(store, store.layout().resolveSibling("image-ingest"))
                .load(new ByteArrayInputStream(archive), "test.tar");
    }

    private static byte[] save(ImageStore store, ImageSaver.Format format, String... names) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new ImageSaver(store).save(List.of(names), format, out);
        return out.toByteArray();
    }

    /** An image of two layers in {@code store}, tagged {@code tag}. */
    private static StoredImage twoLayerImage(ImageStore store, String tag) throws IOException {
        byte[] l1 = layer("a.txt", "one");
        byte[] l2 = gzip(layer("b.txt", "two"));
        var b1 = store.putBlob(new ByteArrayInputStream(l1), null);
        var b2 = store.putBlob(new ByteArrayInputStream(l2), null);
        byte[] cfg = config(b1.digest(), Digest.sha256(layer("b.txt", "two")));
        store.putBlob(new ByteArrayInputStream(cfg), null);
        return store.addImage(cfg, List.of(b1.describe(MediaTypes.OCI_LAYER), b2.describe(MediaTypes.OCI_LAYER_GZIP)),
                Reference.parse(tag).withDefaultTag());
    }

    /** Files under the store: nothing of a refused archive may be there (no blob, no index, no staging). */
    private List<Path> storeFiles(String name) throws IOException {
        Path root = dir.resolve(name);
        if (!Files.exists(root)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().equals("lock")).toList();
        }
    }

    private void refused(byte[] archive, String... fragments) throws IOException {
        ImageStore empty = store("refused");
        assertThatThrownBy(() -> load(empty, archive)).isInstanceOf(JboxException.class)
                .satisfies(e -> assertThat(e.getMessage()).startsWith("cannot load test.tar: ").contains(fragments)
                        .doesNotContain("\n"));
        assertThat(storeFiles("refused")).as("left in the store").isEmpty();
    }

    // ---- save ----------------------------------------------------------------------------

    @Test
    void theSameImageSavesToTheSameBytes() throws IOException {
        ImageStore store = store("a");
        twoLayerImage(store, "app:v1");
        for (ImageSaver.Format f : ImageSaver.Format.values()) {
            assertThat(save(store, f, "app:v1")).isEqualTo(save(store, f, "app:v1"));
        }
    }

    @Test
    void theDockerFormatHasManifestJsonAndAnOciLayoutOfUncompressedLayers() throws IOException {
        ImageStore store = store("a");
        StoredImage image = twoLayerImage(store, "app:v1");
        Map<String, byte[]> files = untar(save(store, ImageSaver.Format.DOCKER, "app:v1"));
        JsonNode m = JSON.readTree(files.get("manifest.json")).get(0);
        assertThat(m.get("RepoTags").get(0).asText()).isEqualTo("app:v1");
        assertThat(m.get("Config").asText()).isEqualTo("blobs/sha256/" + image.id().hex());
        for (int i = 0; i < 2; i++) { // uncompressed: each layer is named by its diff id, and hashes to it
            String path = m.get("Layers").get(i).asText();
            assertThat(path).isEqualTo("blobs/sha256/" + image.diffIds().get(i).hex());
            assertThat(Digest.sha256(files.get(path))).isEqualTo(image.diffIds().get(i));
        }
        JsonNode index = JSON.readTree(files.get("index.json")).get("manifests").get(0);
        assertThat(index.get("annotations").get("io.containerd.image.name").asText()).isEqualTo("docker.io/library/app:v1");
        assertThat(index.get("annotations").get("org.opencontainers.image.ref.name").asText()).isEqualTo("v1");
        assertThat(files).containsKey("oci-layout").containsKey("blobs/sha256/" + index.get("digest").asText().substring(7));
    }

    @Test
    void bothFormatsLoadBackToTheSameImage() throws IOException {
        StoredImage original = twoLayerImage(store("a"), "app:v1");
        for (ImageSaver.Format f : ImageSaver.Format.values()) {
            ImageStore target = store("b-" + f);
            assertThat(load(target, save(store("a"), f, "app:v1"))).containsExactly("Loaded image: app:v1");
            StoredImage loaded = target.resolve("app:v1");
            assertThat(loaded.id()).isEqualTo(original.id());
            assertThat(loaded.diffIds()).isEqualTo(original.diffIds());
            if (f == ImageSaver.Format.OCI) { // the blobs as stored: the manifest keeps its digest
                assertThat(loaded.manifestDigest()).isEqualTo(original.manifestDigest());
            }
        }
    }

    @Test
    void plainGzipAndZstdLayersLoadWithTheirMediaTypes() throws IOException {
        byte[] l1 = layer("a", "1");
        byte[] l2 = layer("b", "2");
        byte[] l3 = layer("c", "3");
        byte[] cfg = config(Digest.sha256(l1), Digest.sha256(l2), Digest.sha256(l3));
        ImageStore store = store("s");
        assertThat(load(store, dockerArchive("multi:1", cfg, l1, gzip(l2), zstd(l3)).bytes()))
                .containsExactly("Loaded image: multi:1");
        assertThat(store.resolve("multi:1").layers()).extracting(Descriptor::mediaType)
                .containsExactly(MediaTypes.OCI_LAYER, MediaTypes.OCI_LAYER_GZIP, MediaTypes.OCI_LAYER_ZSTD);
        // A gzip-compressed archive, as docker load reads it too:
        assertThat(load(store("gz"), gzip(dockerArchive("gz:1", config(Digest.sha256(l1)), l1).bytes())))
                .containsExactly("Loaded image: gz:1");
    }

    @Test
    void docker20SharedLayerSymlinkIsFollowedInsideTheArchive() throws IOException {
        byte[] l1 = layer("a", "1");
        byte[] cfg = config(Digest.sha256(l1), Digest.sha256(l1));
        Tar t = new Tar().file(Digest.sha256(cfg).hex() + ".json", cfg).file("x/layer.tar", l1)
                .link("y/layer.tar", "../x/layer.tar", TarConstants.LF_SYMLINK)
                .file("manifest.json", JSON.writeValueAsString(List.of(Map.of("Config", Digest.sha256(cfg).hex() + ".json",
                        "RepoTags", List.of("twice:1"), "Layers", List.of("x/layer.tar", "y/layer.tar")))));
        assertThat(load(store("s"), t.bytes())).containsExactly("Loaded image: twice:1");
    }

    @Test
    void anOciLayoutWithABareTagLoadsUntaggedAsDockerDoes() throws IOException {
        ImageStore a = store("a");
        StoredImage image = twoLayerImage(a, "app:v1");
        Map<String, byte[]> files = untar(save(a, ImageSaver.Format.OCI, "app:v1"));
        String index = new String(files.get("index.json"), StandardCharsets.UTF_8)
                .replaceAll("\"io.containerd.image.name\":\"[^\"]*\",", "");
        files.put("index.json", index.getBytes(StandardCharsets.UTF_8));
        assertThat(load(store("b"), retar(files))).containsExactly("Loaded image ID: " + image.id());
    }

    @Test
    void twoLoadsOfOneImageAtOnceLeaveOneGoodCopy() throws Exception {
        twoLayerImage(store("a"), "app:v1");
        byte[] archive = save(store("a"), ImageSaver.Format.DOCKER, "app:v1");
        ImageStore target = store("b");
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<List<String>>> loads = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                loads.add(pool.submit(() -> load(target, archive)));
            }
            for (Future<List<String>> f : loads) {
                assertThat(f.get()).containsExactly("Loaded image: app:v1");
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(target.list()).hasSize(1);
        try (Stream<Path> blobs = Files.list(target.layout().resolve("blobs/sha256"))) {
            assertThat(blobs.count()).isEqualTo(4); // config, two layers, manifest
        }
        assertThat(target.resolve("app:v1").id()).isEqualTo(store("a").resolve("app:v1").id());
        try (Stream<Path> ingest = Files.list(target.layout().resolveSibling("image-ingest"))) {
            assertThat(ingest.map(p -> p.getFileName().toString())).allMatch(n -> n.equals("lock") || n.startsWith("lease-"));
        }
    }

    // ---- hostile archives ----------------------------------------------------------------

    @Test
    void entriesThatLeaveTheArchiveAreRefused() throws IOException {
        refused(new Tar().file("../evil", "x").bytes(), "entry '../evil'", "'..'");
        refused(new Tar().file("a/../../evil", "x").bytes(), "entry 'a/../../evil'");
        refused(new Tar().file("/etc/evil", "x").bytes(), "entry '/etc/evil' is an absolute path");
    }

    @Test
    void linksAndDevicesAreRefused() throws IOException {
        refused(new Tar().link("manifest.json", "/etc/passwd", TarConstants.LF_SYMLINK).bytes(),
                "entry 'manifest.json' is a symbolic link to '/etc/passwd'");
        refused(new Tar().file("a", "x").link("d/manifest.json", "../../etc/passwd", TarConstants.LF_SYMLINK).bytes(),
                "symbolic link to '../../etc/passwd'");
        refused(new Tar().file("a", "x").link("manifest.json", "a", TarConstants.LF_LINK).bytes(), "is a hard link");
        refused(new Tar().device("null").bytes(), "entry 'null' is a device");
        refused(new Tar().file("a", "x").file("./a", "y").bytes(), "entry './a' appears twice");
    }

    @Test
    void aManifestPointingOutsideTheArchiveIsRefused() throws IOException {
        refused(new Tar().file("manifest.json", "[{\"Config\":\"../../etc/passwd\",\"Layers\":[]}]").bytes(),
                "manifest.json points outside the archive ('../../etc/passwd')");
        byte[] l1 = layer("a", "1");
        byte[] cfg = config(Digest.sha256(l1));
        refused(new Tar().file("c.json", cfg).file("manifest.json", JSON.writeValueAsString(List.of(Map.of(
                "Config", "c.json", "Layers", List.of("/etc/shadow"))))).bytes(), "points outside the archive ('/etc/shadow')");
        refused(new Tar().file("manifest.json", "[{\"Config\":\"missing.json\",\"Layers\":[]}]").bytes(),
                "refers to 'missing.json', which is not in the archive");
    }

    @Test
    void hugeJsonIsRefusedUnread() throws IOException {
        byte[] huge = new byte[(int) StagedArchive.MAX_JSON + 1];
        Arrays.fill(huge, (byte) ' ');
        huge[0] = '[';
        huge[huge.length - 1] = ']';
        refused(new Tar().file("manifest.json", huge).bytes(), "manifest.json is 4194305 bytes, more than the 4194304");
    }

    @Test
    void neitherFormatIsRefused() throws IOException {
        refused(new Tar().file("hello.txt", "hi").bytes(), "neither a Docker archive", "nor an OCI image layout");
        refused("this is no tar at all, not even close; it just goes on for a while".repeat(20).getBytes(StandardCharsets.UTF_8),
                "cannot load test.tar: ");
    }

    // ---- corrupt, truncated, wrong digest --------------------------------------------------

    @Test
    void aLayerThatDoesNotMatchItsDiffIdFailsTheWholeLoad() throws IOException {
        byte[] good = layer("a", "1");
        byte[] other = layer("b", "2");
        byte[] cfg = config(Digest.sha256(good), Digest.sha256(good));
        refused(dockerArchive("x:1", cfg, good, gzip(other)).bytes(), "layer l1/layer.tar holds a tar that hashes to "
                + Digest.sha256(other) + ", but its image config names " + Digest.sha256(good));
    }

    @Test
    void aBlobWhoseBytesDoNotMatchItsNameIsRefused() throws IOException {
        twoLayerImage(store("a"), "app:v1");
        Map<String, byte[]> files = untar(save(store("a"), ImageSaver.Format.OCI, "app:v1"));
        String layerBlob = files.keySet().stream().filter(n -> {
            try {
                return n.startsWith("blobs/") && Arrays.equals(files.get(n), gzip(layer("b.txt", "two")));
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }).findFirst().orElseThrow();
        byte[] tampered = files.get(layerBlob).clone();
        tampered[tampered.length - 10] ^= 1;
        files.put(layerBlob, tampered);
        refused(retar(files), "blob " + layerBlob + " hashes to " + Digest.sha256(tampered));
    }

    @Test
    void aTruncatedArchiveIsRefused() throws IOException {
        twoLayerImage(store("a"), "app:v1");
        byte[] archive = save(store("a"), ImageSaver.Format.DOCKER, "app:v1");
        refused(Arrays.copyOf(archive, archive.length / 2), "cannot load test.tar: ");
        refused(Arrays.copyOf(archive, 3000), "truncated");
    }

    @Test
    void aDescriptorWithTheWrongSizeIsRefused() throws IOException {
        twoLayerImage(store("a"), "app:v1");
        Map<String, byte[]> files = untar(save(store("a"), ImageSaver.Format.OCI, "app:v1"));
        String index = new String(files.get("index.json"), StandardCharsets.UTF_8);
        int size = JSON.readTree(index).get("manifests").get(0).get("size").asInt();
        files.put("index.json", index.replace("\"size\":" + size, "\"size\":" + (size + 1)).getBytes(StandardCharsets.UTF_8));
        refused(retar(files), "bytes where its descriptor says " + (size + 1));
    }

    // ---- tar helpers -----------------------------------------------------------------------

    static Map<String, byte[]> untar(byte[] tar) throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        try (var in = new org.apache.commons.compress.archivers.tar.TarArchiveInputStream(new ByteArrayInputStream(tar))) {
            for (TarArchiveEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                if (e.isFile()) {
                    files.put(e.getName(), in.readAllBytes());
                }
            }
        }
        return files;
    }

    static byte[] retar(Map<String, byte[]> files) throws IOException {
        Tar t = new Tar();
        for (var f : files.entrySet()) {
            t.file(f.getKey(), f.getValue());
        }
        return t.bytes();
    }
}
