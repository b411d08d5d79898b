package dev.jbox.bench.registry;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jbox.DataRoot;
import dev.jbox.bench.Json;
import dev.jbox.image.Digest;
import dev.jbox.image.ImageStore;
import dev.jbox.image.Reference;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * The images the registry benchmark moves, written once per run as an OCI image layout (what
 * skopeo pushes from) and into a jbox store (what {@code jbox push} pushes from): each layer a
 * tar of one file of random bytes, so nothing compresses, gzip-wrapped at level 0 so that neither
 * client recompresses it (skopeo gzips an uncompressed layer on its way to a registry).
 */
final class TestImages {
    static final String TAG = "latest";
    private static final String LAYER = "application/vnd.oci.image.layer.v1.tar+gzip";
    private static final String CONFIG = "application/vnd.oci.image.config.v1+json";
    private static final String MANIFEST = "application/vnd.oci.image.manifest.v1+json";

    /** One image: its name in the layout, its layers' sizes, and its manifest once written. */
    record Image(String name, int layers, long layerBytes, String manifestDigest, String configDigest, List<String> layerDigests,
                 long bytes) {
        /** The repository a client pushes this image to and pulls it from: one per client, so none mounts another's blobs. */
        String repository(String client) {
            return "bench/" + name + "-" + client;
        }
    }

    final Path layout;
    final Image big;
    final Image many;
    final Image tiny;

    private TestImages(Path layout, Image big, Image many, Image tiny) {
        this.layout = layout;
        this.big = big;
        this.many = many;
        this.tiny = tiny;
    }

    static TestImages write(Path layout, long bigBytes, int manyLayers, long manyBytes, long tinyBytes) throws IOException {
        Files.createDirectories(layout.resolve("blobs/sha256"));
        SplittableRandom random = new SplittableRandom(5);
        Image big = image(layout, "big", 1, bigBytes, random);
        Image many = image(layout, "many", manyLayers, manyBytes, random);
        Image tiny = image(layout, "tiny", 1, tinyBytes, random);
        ObjectNode index = Json.mapper().createObjectNode().put("schemaVersion", 2);
        ArrayNode manifests = index.putArray("manifests");
        for (Image i : List.of(big, many, tiny)) {
            ObjectNode m = manifests.addObject().put("mediaType", MANIFEST).put("digest", i.manifestDigest())
                    .put("size", Files.size(blob(layout, i.manifestDigest())));
            m.putObject("annotations").put("org.opencontainers.image.ref.name", i.name());
        }
        Files.writeString(layout.resolve("index.json"), index.toString());
        Files.writeString(layout.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        return new TestImages(layout, big, many, tiny);
    }

    List<Image> all() {
        return List.of(big, many, tiny);
    }

    /** Puts every image into the jbox store at {@code root}, tagged for {@code client}'s repository on each registry. */
    void importInto(Path root, String client, List<String> registries) throws IOException {
        ImageStore store = new ImageStore(new DataRoot(root));
        for (Image i : all()) {
            List<String> blobs = new ArrayList<>(i.layerDigests());
            blobs.add(i.configDigest());
            for (String d : blobs) {
                try (InputStream in = Files.newInputStream(blob(layout, d))) {
                    store.putBlob(in, Digest.parse(d), Files.size(blob(layout, d)));
                }
            }
            byte[] manifest = Files.readAllBytes(blob(layout, i.manifestDigest()));
            for (String registry : registries) {
                store.addManifest(manifest, Reference.parse(registry + "/" + i.repository(client) + ":" + TAG));
            }
        }
    }

    static Path blob(Path layout, String digest) {
        return layout.resolve("blobs/sha256").resolve(digest.substring("sha256:".length()));
    }

    private static Image image(Path layout, String name, int layers, long layerBytes, SplittableRandom random) throws IOException {
        ArrayNode diffIds = Json.mapper().createArrayNode();
        ObjectNode manifest = Json.mapper().createObjectNode().put("schemaVersion", 2).put("mediaType", MANIFEST);
        ArrayNode descriptors = Json.mapper().createArrayNode();
        List<String> digests = new ArrayList<>();
        long total = 0;
        for (int k = 0; k < layers; k++) {
            String[] ids = layer(layout, name + "-" + k, layerBytes, random);
            diffIds.add(ids[1]);
            long size = Files.size(blob(layout, ids[0]));
            descriptors.addObject().put("mediaType", LAYER).put("digest", ids[0]).put("size", size);
            digests.add(ids[0]);
            total += size;
        }
        ObjectNode config = Json.mapper().createObjectNode().put("architecture", "amd64").put("os", "linux");
        config.putObject("config").putArray("Cmd").add("/data-" + name);
        config.putObject("rootfs").put("type", "layers").set("diff_ids", diffIds);
        byte[] configBytes = config.toString().getBytes(StandardCharsets.UTF_8);
        String configDigest = small(layout, configBytes);
        manifest.putObject("config").put("mediaType", CONFIG).put("digest", configDigest).put("size", configBytes.length);
        manifest.set("layers", descriptors);
        String manifestDigest = small(layout, manifest.toString().getBytes(StandardCharsets.UTF_8));
        return new Image(name, layers, layerBytes, manifestDigest, configDigest, digests, total);
    }

    /** A tar of one file of random bytes, gzip level 0; returns its digest and its diff id (the tar's digest). */
    private static String[] layer(Path layout, String file, long bytes, SplittableRandom random) throws IOException {
        Path tmp = layout.resolve("blobs/sha256/.tmp-" + file);
        MessageDigest compressed = sha256(), tar = sha256();
        try (OutputStream fileOut = new DigestOutputStream(Files.newOutputStream(tmp), compressed);
             GZIPOutputStream gzip = new GZIPOutputStream(fileOut, 1 << 16) {
                 {
                     def.setLevel(Deflater.NO_COMPRESSION);
                 }
             };
             TarArchiveOutputStream out = new TarArchiveOutputStream(new DigestOutputStream(gzip, tar))) {
            TarArchiveEntry entry = new TarArchiveEntry("data-" + file);
            entry.setSize(bytes);
            entry.setMode(0644);
            out.putArchiveEntry(entry);
            byte[] buf = new byte[1 << 16];
            for (long left = bytes; left > 0; left -= buf.length) {
                random.nextBytes(buf);
                out.write(buf, 0, (int) Math.min(buf.length, left));
            }
            out.closeArchiveEntry();
        }
        String digest = hex(compressed);
        Files.move(tmp, blob(layout, digest), StandardCopyOption.REPLACE_EXISTING);
        return new String[] {digest, hex(tar)};
    }

    private static String small(Path layout, byte[] bytes) throws IOException {
        MessageDigest md = sha256();
        md.update(bytes);
        String digest = hex(md);
        Files.write(blob(layout, digest), bytes);
        return digest;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hex(MessageDigest md) {
        return "sha256:" + HexFormat.of().formatHex(md.digest());
    }
}
