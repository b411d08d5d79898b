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
import dev.jbox.testing.Cli;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Chapters 1-3 run an image on one plain directory made from its layers: every layer chapter 4
 * can run - zstd, whiteouts, opaque directories, hard links - runs there too.
 */
class FlatRootfsIT {
    private static final Instant T = Instant.parse("2020-01-02T03:04:05Z");

    Path store;
    ImageStore images;

    @BeforeEach
    void setUp() throws IOException {
        store = Files.createTempDirectory("jbox-flat-");
        images = new ImageStore(new DataRoot(store));
    }

    @AfterEach
    void cleanUp() {
        Cli.removeAll(store);
        dev.jbox.FileTrees.delete(store);
    }

    @ParameterizedTest(name = "chapter {0}")
    @ValueSource(ints = {1, 3})
    void aZstdLayerAndWhiteoutsOfALaterLayerRunOnThePlainDirectory(int chapter) throws IOException {
        byte[] first = new LayerWriter(T).file("gone/x", 0644, bytes("x\n")).file("dir/old", 0644, bytes("old\n"))
                .file("keep", 0600, bytes("one\n")).toBytes();
        byte[] second = tar(List.of(
                entry(".wh.gone", TarConstants.LF_NORMAL, null, 0644), entry("dir/", TarConstants.LF_DIR, null, 0750),
                entry("dir/.wh..wh..opq", TarConstants.LF_NORMAL, null, 0644), entry("dir/new", TarConstants.LF_NORMAL, "new\n", 04755),
                entry("dir/link", TarConstants.LF_LINK, "dir/new", 0), entry("keep", TarConstants.LF_NORMAL, "two\n", 0640)));
        addOnBusybox("layered", List.of(layer(first, false), layer(second, true)));

        String script = "ls /dir; test -e /gone || echo no gone; cat /keep; stat -c '%a %h' /dir /dir/new /keep";
        assertThat(run(chapter, "layered", "sh", "-c", script).stdout()).isEqualTo("link\nnew\nno gone\ntwo\n750 2\n4755 2\n640 1\n");
    }

    @ParameterizedTest(name = "chapter {0}")
    @ValueSource(ints = {1, 3})
    void everyContainerOfTheImageSharesOnePlainDirectoryMadeOnce(int chapter) throws Exception {
        StoredImage busybox = images.resolve("busybox");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Path>> made = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                made.add(pool.submit(() -> FlatRootfs.ensure(new DataRoot(store), images, busybox)));
            }
            Path rootfs = made.get(0).get();
            for (Future<Path> f : made) {
                assertThat(f.get()).isEqualTo(rootfs);
            }
            assertThat(rootfs.resolve("bin/busybox")).isRegularFile();
        } finally {
            pool.shutdown();
        }
        run(chapter, "busybox", "sh", "-c", "echo hi > /shared");
        assertThat(run(chapter, "busybox", "cat", "/shared").stdout())
                .isEqualTo("hi\n");
        try (var dirs = Files.list(store.resolve("images"))) {
            assertThat(dirs.map(p -> p.getFileName().toString()).filter(n -> n.contains(".tmp-")).toList())
                    .as("temporary directories left").isEmpty();
        }
    }

    /** jbox run on that chapter (--rm from chapter 2, which brings the container lifecycle). */
    private Cli.Result run(int chapter, String... imageAndCommand) {
        List<String> argv = new ArrayList<>(List.of("run", "--chapter", Integer.toString(chapter)));
        if (chapter >= 2) {
            argv.add("--rm");
        }
        argv.addAll(List.of(imageAndCommand));
        return Cli.ok(store, argv.toArray(String[]::new));
    }

    private void addOnBusybox(String name, List<Descriptor[]> extra) {
        StoredImage busybox = images.resolve("busybox");
        List<Descriptor> layers = new ArrayList<>(busybox.layers());
        List<Digest> diffIds = new ArrayList<>(busybox.diffIds());
        for (Descriptor[] l : extra) {
            layers.add(l[0]);
            diffIds.add(l[1].digest());
        }
        ConfigFile base = busybox.config();
        images.addImage(new ConfigFile(base.created(), null, base.architecture(), base.os(), base.config(),
                ConfigFile.RootFs.layers(diffIds), List.of()), layers, Reference.parse(name));
    }

    /** The stored blob's descriptor and (as a descriptor of the plain tar) its diff id. */
    private Descriptor[] layer(byte[] tar, boolean zstd) throws IOException {
        StoredBlob plain = images.putBlob(new ByteArrayInputStream(tar), null);
        if (!zstd) {
            return new Descriptor[] {plain.describe(MediaTypes.OCI_LAYER), plain.describe(MediaTypes.OCI_LAYER)};
        }
        ByteArrayOutputStream z = new ByteArrayOutputStream();
        try (ZstdCompressorOutputStream out = new ZstdCompressorOutputStream(z)) {
            out.write(tar);
        }
        StoredBlob compressed = images.putBlob(new ByteArrayInputStream(z.toByteArray()), null);
        return new Descriptor[] {compressed.describe(MediaTypes.OCI_LAYER_ZSTD), plain.describe(MediaTypes.OCI_LAYER)};
    }

    /** A tar entry and what the file holds (null for none). */
    private record Entry(TarArchiveEntry header, String content) {
    }

    private static Entry entry(String name, byte type, String contentOrLink, int mode) {
        TarArchiveEntry e = new TarArchiveEntry(name, type);
        e.setMode(mode);
        e.setModTime(java.util.Date.from(T));
        if (type == TarConstants.LF_LINK) {
            e.setLinkName(contentOrLink);
            return new Entry(e, null);
        }
        e.setSize(contentOrLink == null ? 0 : contentOrLink.length());
        return new Entry(e, contentOrLink);
    }

    /** A tar of the entries in this order (LayerWriter sorts, and cannot write whiteouts or hard links). */
    private static byte[] tar(List<Entry> entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
            for (Entry e : entries) {
                tar.putArchiveEntry(e.header());
                if (e.content() != null) {
                    tar.write(bytes(e.content()));
                }
                tar.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
