package dev.jbox.bench.layers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jbox.bench.BenchRoot;
import dev.jbox.bench.Commands;
import dev.jbox.bench.Json;
import dev.jbox.layers.LayerUnpacker;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * One layer unpacked by jbox's {@link LayerUnpacker} (in this JVM, warm), by GNU tar and by
 * umoci, rounds rotating the order; every output goes to a fresh directory on the same file
 * system and is removed, untimed, after. Nothing is synced: each writes into the page cache, as
 * a pull does. jbox and umoci also hash the layer (its diff id) and check every entry; tar does
 * neither.
 */
final class Extraction {
    private static final String OCI_LAYER = "application/vnd.oci.image.layer.v1.tar";
    private static final String TAG = "bench";

    private interface Extractor {
        void extract(Path target) throws IOException;
    }

    private record Candidate(String name, String label, Extractor run, String note) {
    }

    private Extraction() {
    }

    static LayersResults.Extraction measure(LayerTar layer, Path work, int rounds) throws IOException {
        Path layout = ociLayout(layer.tar(), work.resolve("oci-layout"));
        List<Candidate> tools = new ArrayList<>();
        int[] entries = {0};
        tools.add(new Candidate("jbox", "jbox's LayerUnpacker, in a warm JVM: every entry checked, the diff id hashed, written to a"
                + " temporary directory renamed into place", target -> {
                    try (InputStream in = Files.newInputStream(layer.tar())) {
                        entries[0] = new LayerUnpacker().unpack(in, target, "bench", List.of()).entries();
                    }
                }, null));
        tools.add(new Candidate("tar", "GNU tar -x (" + Commands.firstLineOr("GNU tar", List.of("tar", "--version"))
                + "), as root: owners kept, nothing hashed", target -> {
                    Files.createDirectory(target);
                    Commands.output(List.of("tar", "-x", "-f", layer.tar().toString(), "-C", target.toString()));
                }, null));
        boolean umoci = Commands.onPath("umoci");
        tools.add(new Candidate("umoci", "umoci raw unpack of an OCI layout holding the same layer ("
                + Commands.firstLineOr("umoci", List.of("umoci", "--version")) + "): the layer's digest checked", target ->
                Commands.output(List.of("umoci", "raw", "unpack", "--image", layout + ":" + TAG, target.toString())),
                umoci ? null : "umoci is not installed (vm/provision.sh --bench installs it)"));
        List<List<Double>> seconds = new ArrayList<>();
        tools.forEach(t -> seconds.add(new ArrayList<>()));
        // Round 0 is untimed: the JIT, the page cache of the tar and of the tools are warm for all.
        for (int round = 0; round <= rounds; round++) {
            for (int k = 0; k < tools.size(); k++) {
                int i = (k + round) % tools.size();
                Candidate t = tools.get(i);
                if (t.note() != null) {
                    continue;
                }
                Path target = work.resolve("out-" + t.name());
                long start = System.nanoTime();
                t.run().extract(target);
                double s = (System.nanoTime() - start) / 1e9;
                BenchRoot.delete(target);
                if (round > 0) {
                    seconds.get(i).add(s);
                    System.err.printf(Locale.ROOT, "layers: extraction round %d, %s %.2f s%n", round, t.name(), s);
                }
            }
        }
        List<LayersResults.Tool> results = new ArrayList<>();
        for (int i = 0; i < tools.size(); i++) {
            results.add(new LayersResults.Tool(tools.get(i).name(), tools.get(i).label(), seconds.get(i), tools.get(i).note()));
        }
        return new LayersResults.Extraction(layer.label(), layer.size(), entries[0], results);
    }

    /** An OCI image layout (image-spec 1.0) of one uncompressed layer, tagged {@value #TAG}; the layer is hard-linked in. */
    static Path ociLayout(Path tar, Path layout) throws IOException {
        Path blobs = Files.createDirectories(layout.resolve("blobs/sha256"));
        String layerDigest;
        try (InputStream in = Files.newInputStream(tar)) {
            layerDigest = sha256(in);
        }
        Files.createLink(blobs.resolve(layerDigest.substring("sha256:".length())), tar);
        ObjectNode config = Json.mapper().createObjectNode().put("architecture", "amd64").put("os", "linux");
        config.putObject("config");
        ObjectNode rootfs = config.putObject("rootfs").put("type", "layers");
        rootfs.putArray("diff_ids").add(layerDigest);
        ObjectNode manifest = Json.mapper().createObjectNode().put("schemaVersion", 2)
                .put("mediaType", "application/vnd.oci.image.manifest.v1+json");
        manifest.set("config", blob(blobs, "application/vnd.oci.image.config.v1+json", config));
        manifest.putArray("layers").addObject().put("mediaType", OCI_LAYER).put("digest", layerDigest).put("size", Files.size(tar));
        ObjectNode index = Json.mapper().createObjectNode().put("schemaVersion", 2);
        ObjectNode entry = blob(blobs, "application/vnd.oci.image.manifest.v1+json", manifest);
        entry.putObject("annotations").put("org.opencontainers.image.ref.name", TAG);
        index.putArray("manifests").add(entry);
        Files.writeString(layout.resolve("index.json"), index.toString());
        Files.writeString(layout.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        return layout;
    }

    /** Writes {@code json} as a blob and returns its descriptor. */
    private static ObjectNode blob(Path blobs, String mediaType, ObjectNode json) throws IOException {
        byte[] bytes = json.toString().getBytes(StandardCharsets.UTF_8);
        String digest = sha256(new java.io.ByteArrayInputStream(bytes));
        Files.write(blobs.resolve(digest.substring("sha256:".length())), bytes);
        return Json.mapper().createObjectNode().put("mediaType", mediaType).put("digest", digest).put("size", bytes.length);
    }

    static String sha256(InputStream in) throws IOException {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
            return "sha256:" + HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
