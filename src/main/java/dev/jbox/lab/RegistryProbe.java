package dev.jbox.lab;

import static dev.jbox.lab.LabProbe.expect;

import dev.jbox.DataRoot;
import dev.jbox.image.ConfigFile;
import dev.jbox.image.Descriptor;
import dev.jbox.image.Digest;
import dev.jbox.image.ImageStore;
import dev.jbox.image.MediaTypes;
import dev.jbox.image.Reference;
import dev.jbox.image.StoredBlob;
import dev.jbox.image.StoredImage;
import dev.jbox.registry.BlobIngest;
import dev.jbox.registry.ErrorCode;
import dev.jbox.registry.RegistryError;
import dev.jbox.registry.RegistryServer;
import dev.jbox.registry.RegistryStore;
import dev.jbox.registry.client.ClientConfig;
import dev.jbox.registry.client.CredentialStore;
import dev.jbox.registry.client.ImagePuller;
import dev.jbox.registry.client.ImagePusher;
import dev.jbox.registry.client.InsecureRegistries;
import dev.jbox.registry.client.Platform;
import dev.jbox.registry.client.PlainProgress;
import dev.jbox.registry.client.RetryPolicy;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Chapter 5's check: the student's {@link BlobIngest}, the part of the registry that trusts
 * nothing a client says about an upload. First the contract, on blobs and chunkings random per run:
 * what arrives is hashed whole, a chunk that does not continue the upload is a 416, a chunk that
 * lies about its length is refused and undone, a digest that is not the content's is
 * DIGEST_INVALID, and only verified content is ever handed to the store. Then the real thing: a
 * registry server built with the student's class, random images pushed and pulled by jbox's
 * client, and tampered uploads (a wrong digest, a gap, extra bytes, an empty body) sent by hand,
 * by HTTP and by curl, which must be refused with the spec's codes, leaving nothing visible.
 */
final class RegistryProbe {
    private static final String NAME = "lab/blobs";

    private final Path work;
    private final Random random = new SecureRandom();
    private int ingests;

    RegistryProbe(Path work) {
        this.work = work;
    }

    void check() throws Exception {
        Path dir = Files.createDirectories(work.resolve("registry-lab"));
        try {
            roundTrips(dir);
            refusals(dir);
            serverWithIt(dir);
        } finally {
            deleteTree(dir);
        }
    }

    // The contract, called directly.

    /** Random blobs in random chunkings, with and without a Content-Range: each commits with its own digest, once. */
    private void roundTrips(Path dir) throws IOException {
        List<byte[]> blobs = new ArrayList<>(List.of(new byte[0], bytes(1 + random.nextInt(300)), bytes(300_000 + random.nextInt(700_000))));
        for (byte[] blob : blobs) {
            BlobIngest ingest = ingest(dir);
            List<int[]> chunks = chunking(blob.length);
            boolean withRange = random.nextBoolean();
            for (int[] c : chunks) {
                long start = withRange ? c[0] : -1;
                long length = withRange || random.nextBoolean() ? c[1] - c[0] : -1;
                long size = append(ingest, Arrays.copyOfRange(blob, c[0], c[1]), start, length,
                        "a chunk of " + (c[1] - c[0]) + " bytes at " + c[0]);
                expect(size == c[1], "after a chunk " + c[0] + "-" + (c[1] - 1) + " append returned " + size + ", expected " + c[1]);
                expect(ingest.size() == c[1], "after a chunk " + c[0] + "-" + (c[1] - 1) + " size() is " + ingest.size()
                        + ", expected " + c[1]);
            }
            expectCommitted(ingest, Digest.sha256(blob), blob, "a blob of " + blob.length + " bytes sent in " + chunks.size()
                    + " chunk(s)" + (withRange ? " with Content-Range" : ""));
        }
        byte[] blob = bytes(10_000 + random.nextInt(100_000));
        BlobIngest ingest = ingest(dir);
        append(ingest, blob, -1, -1, "a body of " + blob.length + " bytes");
        expectCommitted(ingest, Digest.of("sha512", new ByteArrayInputStream(blob)), blob, "a blob closed with a sha512 digest");
    }

    private void refusals(Path dir) throws IOException {
        byte[] blob = bytes(50_000 + random.nextInt(200_000));
        Digest digest = Digest.sha256(blob);
        String what = "an upload of " + blob.length + " bytes";

        BlobIngest wrong = ingest(dir);
        append(wrong, blob, 0, blob.length, what);
        expectRefused(wrong, Digest.sha256(bytes(blob.length)), what + " closed with another blob's digest");

        BlobIngest extra = ingest(dir);
        append(extra, blob, -1, -1, what);
        append(extra, bytes(1), -1, -1, "one byte more");
        expectRefused(extra, digest, what + " plus one extra byte, closed with the digest of the " + blob.length + " bytes");

        expectRefused(ingest(dir), digest, "an upload that received no bytes, closed with the digest of " + blob.length + " bytes");

        // Out-of-order chunks: a gap, then an overlap; neither may change the upload.
        int cut = 1 + random.nextInt(blob.length - 2);
        BlobIngest chunked = ingest(dir);
        append(chunked, Arrays.copyOfRange(blob, 0, cut), 0, cut, "the first chunk 0-" + (cut - 1));
        for (int start : new int[] {cut + 1 + random.nextInt(1000), cut - 1 - random.nextInt(cut)}) {
            byte[] piece = Arrays.copyOfRange(blob, Math.min(start, blob.length - 1), blob.length);
            expectStatus(chunked, piece, start, piece.length, 416, cut, "a chunk that starts at " + start + " after " + cut
                    + " bytes (" + (start > cut ? "a gap" : "an overlap") + ")");
        }
        // A chunk that carried fewer, or more, bytes than it announced; then one that broke off mid-way.
        int end = cut + (blob.length - cut) / 2;
        byte[] piece = Arrays.copyOfRange(blob, cut, end);
        expectSizeRefused(chunked, piece, cut, piece.length + 1 + random.nextInt(100), "fewer");
        expectSizeRefused(chunked, piece, cut, piece.length - 1, "more");
        InputStream broken = new InputStream() {
            private final InputStream in = new ByteArrayInputStream(piece, 0, piece.length / 2);

            @Override
            public int read() throws IOException {
                int b = in.read();
                if (b < 0) {
                    throw new IOException("the client went away");
                }
                return b;
            }
        };
        try {
            chunked.append(broken, cut, piece.length);
            throw new LabProbe.Failed("a chunk whose body broke off after " + piece.length / 2 + " of its " + piece.length
                    + " bytes was accepted: append must throw");
        } catch (IOException | RegistryError e) {
            expect(chunked.size() == cut, "after a chunk broke off mid-way the upload holds " + chunked.size()
                    + " bytes, not the " + cut + " before it: undo the chunk (file, size and hash)");
        }
        append(chunked, piece, cut, piece.length, "the chunk " + cut + "-" + (end - 1) + " sent again after it was refused");
        byte[] rest = Arrays.copyOfRange(blob, end, blob.length);
        append(chunked, rest, end, rest.length, "the last chunk");
        expectCommitted(chunked, digest, blob, "chunks sent again after refused ones (the refused ones must leave no trace,"
                + " in the file or the hash)");
        expect(files(dir).isEmpty(), "refused uploads left files behind: " + files(dir) + "; delete the ingest file of a refused upload");
    }

    private void expectSizeRefused(BlobIngest ingest, byte[] piece, long start, long announced, String fewerOrMore) throws IOException {
        try {
            ingest.append(new ByteArrayInputStream(piece), start, announced);
            throw new LabProbe.Failed("a chunk that announced " + announced + " bytes but carried " + piece.length
                    + " was accepted: refuse it with SIZE_INVALID");
        } catch (RegistryError e) {
            expect(e.code() == ErrorCode.SIZE_INVALID, "a chunk that carried " + fewerOrMore + " bytes than it announced was refused with "
                    + e.code() + ", not SIZE_INVALID");
            expect(ingest.size() == start, "after refusing a chunk that carried " + fewerOrMore + " bytes than it announced the upload holds "
                    + ingest.size() + " bytes, not the " + start + " before it: undo the chunk (file, size and hash)");
        }
    }

    private void expectStatus(BlobIngest ingest, byte[] piece, long start, long length, int status, long size, String what)
            throws IOException {
        try {
            ingest.append(new ByteArrayInputStream(piece), start, length);
            throw new LabProbe.Failed(what + " was accepted: a chunk must start where the upload ends (416)");
        } catch (RegistryError e) {
            expect(e.status() == status && e.code() == ErrorCode.BLOB_UPLOAD_INVALID, what + " was refused with " + e.code()
                    + " and status " + e.status() + ", not BLOB_UPLOAD_INVALID and " + status);
        }
        expect(ingest.size() == size, "after refusing " + what + " the upload holds " + ingest.size() + " bytes, not " + size);
    }

    private long append(BlobIngest ingest, byte[] bytes, long start, long length, String what) throws IOException {
        try {
            return ingest.append(new ByteArrayInputStream(bytes), start, length);
        } catch (RegistryError e) {
            throw new LabProbe.Failed(what + " (Content-Range start " + start + ", length " + length + ") was refused: "
                    + e.code() + " " + e.status() + ": " + e.getMessage());
        }
    }

    private void expectCommitted(BlobIngest ingest, Digest digest, byte[] blob, String what) throws IOException {
        List<Digest> handed = new ArrayList<>();
        try {
            ingest.commit(digest, (file, d) -> {
                expect(d.equals(digest), what + ": commit handed the store the digest " + d + ", not " + digest);
                handed.add(Digest.sha256(Files.readAllBytes(file)));
                Files.delete(file);
            });
        } catch (RegistryError e) {
            throw new LabProbe.Failed(what + " was refused: " + e.code() + ": " + e.getMessage());
        }
        expect(handed.size() == 1, what + ": commit handed the file to the store " + handed.size() + " times, not once");
        expect(handed.get(0).equals(Digest.sha256(blob)), what + ": the file handed to the store does not hold the "
                + blob.length + " bytes that were sent");
    }

    private void expectRefused(BlobIngest ingest, Digest digest, String what) throws IOException {
        List<Path> handed = new ArrayList<>();
        try {
            ingest.commit(digest, (file, d) -> handed.add(file));
            throw new LabProbe.Failed(what + " was accepted: the digest must be that of the bytes that arrived (DIGEST_INVALID)");
        } catch (RegistryError e) {
            expect(handed.isEmpty(), what + " was handed to the store (made visible) before it was refused: verify first");
            expect(e.code() == ErrorCode.DIGEST_INVALID, what + " was refused with " + e.code() + ", not DIGEST_INVALID");
        }
        expect(handed.isEmpty(), what + " was handed to the store (made visible): verify first");
    }

    // The registry built with the student's class.

    private void serverWithIt(Path dir) throws Exception {
        Path root = dir.resolve("server");
        try (RegistryServer server = RegistryServer.start(new RegistryStore(root), new InetSocketAddress("127.0.0.1", 0),
                RegistryServer.DEFAULT_UPLOAD_EXPIRY)) {
            String registry = "127.0.0.1:" + server.port();
            pushAndPull(dir, registry);
            byHand(dir, "http://" + registry + "/v2/" + NAME, root);
        }
    }

    private void pushAndPull(Path dir, String registry) throws IOException {
        ImageStore source = new ImageStore(new DataRoot(Files.createDirectories(dir.resolve("source"))));
        ImageStore target = new ImageStore(new DataRoot(Files.createDirectories(dir.resolve("target"))));
        ClientConfig config = new ClientConfig(new CredentialStore(dir.resolve("no-config.json")), new InsecureRegistries(List.of()),
                new RetryPolicy(1, Duration.ofMillis(10)), List.of());
        PlainProgress quiet = new PlainProgress(new PrintStream(OutputStream.nullOutputStream()));
        for (int i = 0; i < 2; i++) {
            String name = registry + "/lab/app-" + HexFormat.of().formatHex(bytes(4)) + ":v" + i;
            StoredImage made = image(source, name, 1 + random.nextInt(3));
            long chunk = i == 0 ? 0 : 16_384 + random.nextInt(200_000);
            Digest pushed;
            try {
                pushed = new ImagePusher(source, config, quiet, chunk).push(Reference.parse(name));
            } catch (RuntimeException e) {
                throw new LabProbe.Failed("jbox push of a random image" + (chunk > 0 ? " in chunks of " + chunk + " bytes" : "")
                        + " to the registry built with your BlobIngest failed: " + e.getMessage());
            }
            expect(pushed.equals(made.manifestDigest()), "jbox push of " + name + " gave the digest " + pushed + ", not "
                    + made.manifestDigest());
            StoredImage pulled;
            try {
                pulled = new ImagePuller(target, config, quiet, Platform.host()).pull(Reference.parse(name));
            } catch (RuntimeException e) {
                throw new LabProbe.Failed("jbox pull of the image just pushed failed: " + e.getMessage());
            }
            expect(pulled.manifestDigest().equals(made.manifestDigest()), "jbox pull of " + name + " gave the digest "
                    + pulled.manifestDigest() + ", not " + made.manifestDigest());
        }
    }

    /** Tampered uploads, as an attacker (or a broken client) sends them. */
    private void byHand(Path dir, String base, Path root) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        byte[] blob = bytes(20_000 + random.nextInt(100_000));
        Digest digest = Digest.sha256(blob);
        Digest other = Digest.sha256(bytes(blob.length));

        String wrong = expectError(http, HttpRequest.newBuilder(URI.create(base + "/blobs/uploads/?digest=" + other))
                .POST(HttpRequest.BodyPublishers.ofByteArray(blob)), 400, "DIGEST_INVALID", "a monolithic POST whose digest is another blob's");
        expect(wrong.contains(digest.toString()), "the DIGEST_INVALID body does not say what arrived (" + digest + "): " + wrong);

        byte[] longer = Arrays.copyOf(blob, blob.length + 1);
        longer[blob.length] = (byte) random.nextInt();
        expectError(http, HttpRequest.newBuilder(URI.create(base + "/blobs/uploads/?digest=" + digest))
                .POST(HttpRequest.BodyPublishers.ofByteArray(longer)), 400, "DIGEST_INVALID", "a POST of the blob plus one extra byte");

        String session = open(http, base);
        expectError(http, HttpRequest.newBuilder(URI.create(session + sep(session) + "digest=" + digest))
                .PUT(HttpRequest.BodyPublishers.noBody()), 400, "DIGEST_INVALID", "an empty PUT closing an upload that received no bytes");

        session = open(http, base);
        int cut = blob.length / 3;
        HttpResponse<String> first = http.send(patch(session, blob, 0, cut).build(), HttpResponse.BodyHandlers.ofString());
        expect(first.statusCode() == 202, "a PATCH of the first chunk 0-" + (cut - 1) + " answered " + first.statusCode() + ": " + first.body());
        String location = resolve(base, first.headers().firstValue("Location").orElse(session));
        expectError(http, patch(location, blob, cut + 7, blob.length), 416, "BLOB_UPLOAD_INVALID",
                "a PATCH whose Content-Range leaves a gap of 7 bytes");
        expectError(http, HttpRequest.newBuilder(URI.create(location + sep(location) + "digest=" + digest))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(Arrays.copyOfRange(blob, cut + 7, blob.length))), 400, "DIGEST_INVALID",
                "a PUT that closes the upload after skipping 7 bytes");

        if (Files.isExecutable(Path.of("/usr/bin/curl"))) {
            Path file = Files.write(dir.resolve("tampered"), longer);
            Process curl = new ProcessBuilder("curl", "-sS", "-X", "POST", "-H", "Content-Type: application/octet-stream",
                    "--data-binary", "@" + file, base + "/blobs/uploads/?digest=" + digest).redirectErrorStream(true).start();
            String out = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            expect(curl.waitFor(30, TimeUnit.SECONDS), "curl did not finish within 30 s");
            expect(out.contains("DIGEST_INVALID"), "curl's POST of the blob plus one extra byte was not refused with DIGEST_INVALID: " + out);
        }
        for (Digest d : List.of(digest, other, Digest.sha256(longer), Digest.sha256(Arrays.copyOf(blob, cut)))) {
            HttpResponse<Void> head = http.send(HttpRequest.newBuilder(URI.create(base + "/blobs/" + d))
                    .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
            expect(head.statusCode() == 404, "after the refused uploads, HEAD of the blob " + d.shortHex() + " answers "
                    + head.statusCode() + ": something refused became visible");
        }
        Path blobs = root.resolve("blobs");
        for (Path f : files(blobs)) {
            String hex = f.getFileName().toString();
            expect(!hex.equals(digest.hex()) && !hex.equals(other.hex()) && !hex.equals(Digest.sha256(longer).hex()),
                    "a refused upload is in the registry's blob store as " + blobs.relativize(f));
        }
    }

    private static String open(HttpClient http, String base) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/blobs/uploads/"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        expect(r.statusCode() == 202, "POST /blobs/uploads/ answered " + r.statusCode() + ", not 202: " + r.body());
        return resolve(base, r.headers().firstValue("Location").orElseThrow());
    }

    private static HttpRequest.Builder patch(String session, byte[] blob, int from, int to) {
        return HttpRequest.newBuilder(URI.create(session)).header("Content-Type", "application/octet-stream")
                .header("Content-Range", from + "-" + (to - 1))
                .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(Arrays.copyOfRange(blob, Math.min(from, to), to)));
    }

    private static String expectError(HttpClient http, HttpRequest.Builder request, int status, String code, String what) throws Exception {
        HttpResponse<String> r = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        expect(r.statusCode() == status && r.body().contains("\"" + code + "\""), what + " answered " + r.statusCode() + " "
                + r.body().strip() + "; expected " + status + " " + code);
        return r.body();
    }

    private static String resolve(String base, String location) {
        return URI.create(base).resolve(location).toString();
    }

    private static String sep(String url) {
        return url.contains("?") ? "&" : "?";
    }

    // Helpers.

    private BlobIngest ingest(Path dir) throws IOException {
        return new BlobIngest(Files.createFile(dir.resolve("ingest-" + ingests++)));
    }

    /** Cut points random per run: one to six chunks, some maybe empty. */
    private List<int[]> chunking(int length) {
        int n = 1 + random.nextInt(6);
        int[] cuts = new int[n + 1];
        for (int i = 1; i < n; i++) {
            cuts[i] = length == 0 ? 0 : random.nextInt(length + 1);
        }
        cuts[n] = length;
        Arrays.sort(cuts, 1, n);
        List<int[]> chunks = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            chunks.add(new int[] {cuts[i], cuts[i + 1]});
        }
        return chunks;
    }

    private StoredImage image(ImageStore store, String tag, int layers) {
        List<Descriptor> descriptors = new ArrayList<>();
        List<Digest> diffIds = new ArrayList<>();
        for (int i = 0; i < layers; i++) {
            byte[] layer = bytes(1_000 + random.nextInt(600_000));
            StoredBlob b = store.putBlob(new ByteArrayInputStream(layer), null, layer.length);
            descriptors.add(b.describe(MediaTypes.OCI_LAYER));
            diffIds.add(b.digest());
        }
        Platform host = Platform.host();
        ConfigFile config = new ConfigFile(null, null, host.architecture(), host.os(), null, ConfigFile.RootFs.layers(diffIds), null);
        return store.addImage(config, descriptors, Reference.parse(tag));
    }

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private static List<Path> files(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).toList();
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted((a, b) -> b.compareTo(a)).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
