package dev.jbox.registry;

import static dev.jbox.registry.RegistryClient.errorCode;
import static dev.jbox.registry.RegistryClient.location;
import static dev.jbox.registry.RegistryClient.text;
import static dev.jbox.registry.RegistryClient.withQuery;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jbox.image.Digest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Blob pushes and pulls over the wire, every upload flavour of the spec and its refusals. */
class RegistryBlobsTest extends RegistryTestBase {
    private static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    @Test
    void answersTheVersionCheck() {
        HttpResponse<byte[]> r = reg.send("GET", "/v2/");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Docker-Distribution-API-Version")).hasValue("registry/2.0");
    }

    @Test
    void monolithicPushThenHeadGetAndRanges() {
        byte[] blob = random(100_000, 1);
        Digest d = reg.push("lib/app", blob);

        HttpResponse<byte[]> head = reg.send("HEAD", "/v2/lib/app/blobs/" + d);
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValue("Content-Length")).hasValue("100000");
        assertThat(head.headers().firstValue("Docker-Content-Digest")).hasValue(d.toString());
        assertThat(head.body()).isEmpty();

        HttpResponse<byte[]> get = reg.send("GET", "/v2/lib/app/blobs/" + d);
        assertThat(get.statusCode()).isEqualTo(200);
        assertThat(get.body()).isEqualTo(blob);

        HttpResponse<byte[]> part = reg.send("GET", "/v2/lib/app/blobs/" + d, "Range", "bytes=10-19");
        assertThat(part.statusCode()).isEqualTo(206);
        assertThat(part.headers().firstValue("Content-Range")).hasValue("bytes 10-19/100000");
        assertThat(part.body()).isEqualTo(java.util.Arrays.copyOfRange(blob, 10, 20));

        HttpResponse<byte[]> tail = reg.send("GET", "/v2/lib/app/blobs/" + d, "Range", "bytes=99990-");
        assertThat(tail.statusCode()).isEqualTo(206);
        assertThat(tail.body()).isEqualTo(java.util.Arrays.copyOfRange(blob, 99990, 100000));

        HttpResponse<byte[]> suffix = reg.send("GET", "/v2/lib/app/blobs/" + d, "Range", "bytes=-5");
        assertThat(suffix.body()).isEqualTo(java.util.Arrays.copyOfRange(blob, 99995, 100000));

        HttpResponse<byte[]> outside = reg.send("GET", "/v2/lib/app/blobs/" + d, "Range", "bytes=100000-");
        assertThat(outside.statusCode()).isEqualTo(416);
        assertThat(outside.headers().firstValue("Content-Range")).hasValue("bytes */100000");
    }

    @Test
    void aBlobIsServedOnlyFromTheRepositoriesItWasPushedTo() {
        Digest d = reg.push("one", "x".getBytes(StandardCharsets.UTF_8));
        HttpResponse<byte[]> r = reg.send("GET", "/v2/two/blobs/" + d);
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(errorCode(r)).isEqualTo("BLOB_UNKNOWN");
    }

    @Test
    void postThenPutWithTheWholeBody() {
        byte[] blob = random(5000, 2);
        Digest d = Digest.sha256(blob);
        String upload = reg.startUpload("app");
        HttpResponse<byte[]> put = reg.send("PUT", withQuery(upload, "digest=" + d), blob);
        assertThat(put.statusCode()).as(text(put)).isEqualTo(201);
        assertThat(location(put)).isEqualTo("/v2/app/blobs/" + d);
        assertThat(reg.send("GET", "/v2/app/blobs/" + d).body()).isEqualTo(blob);
    }

    @Test
    void streamedPatchOfUnknownLengthThenPut() {
        byte[] blob = random(3_000_000, 3);
        Digest d = Digest.sha256(blob);
        String upload = reg.startUpload("app");
        // ofInputStream has no length: the body goes chunked, as a streaming client sends it.
        HttpResponse<byte[]> patch = reg.send("PATCH", upload, BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(blob)));
        assertThat(patch.statusCode()).as(text(patch)).isEqualTo(202);
        assertThat(patch.headers().firstValue("Range")).hasValue("0-2999999");
        HttpResponse<byte[]> put = reg.send("PUT", withQuery(location(patch), "digest=" + d), new byte[0]);
        assertThat(put.statusCode()).as(text(put)).isEqualTo(201);
        assertThat(reg.send("GET", "/v2/app/blobs/" + d).body()).isEqualTo(blob);
    }

    @Test
    void chunkedUploadStateMachine() {
        byte[] blob = random(30, 4);
        Digest d = Digest.sha256(blob);
        String upload = reg.startUpload("app");

        HttpResponse<byte[]> status = reg.send("GET", upload);
        assertThat(status.statusCode()).isEqualTo(204);
        assertThat(status.headers().firstValue("Range")).hasValue("0-0");

        HttpResponse<byte[]> first = reg.send("PATCH", upload, java.util.Arrays.copyOfRange(blob, 0, 10), "Content-Range", "0-9");
        assertThat(first.statusCode()).as(text(first)).isEqualTo(202);
        assertThat(first.headers().firstValue("Range")).hasValue("0-9");

        // A chunk that skips ahead, and one that repeats, are refused with where the upload stands.
        HttpResponse<byte[]> ahead = reg.send("PATCH", upload, java.util.Arrays.copyOfRange(blob, 20, 30), "Content-Range", "20-29");
        assertThat(ahead.statusCode()).isEqualTo(416);
        assertThat(ahead.headers().firstValue("Range")).hasValue("0-9");
        HttpResponse<byte[]> again = reg.send("PATCH", upload, java.util.Arrays.copyOfRange(blob, 0, 10), "Content-Range", "0-9");
        assertThat(again.statusCode()).isEqualTo(416);

        // A chunk that is not as long as its range says changes nothing.
        HttpResponse<byte[]> shortChunk = reg.send("PATCH", upload, java.util.Arrays.copyOfRange(blob, 10, 15), "Content-Range", "10-19");
        assertThat(shortChunk.statusCode()).isEqualTo(400);
        assertThat(errorCode(shortChunk)).isEqualTo("SIZE_INVALID");
        assertThat(reg.send("GET", upload).headers().firstValue("Range")).hasValue("0-9");

        HttpResponse<byte[]> second = reg.send("PATCH", upload, java.util.Arrays.copyOfRange(blob, 10, 20), "Content-Range", "10-19");
        assertThat(second.statusCode()).isEqualTo(202);
        assertThat(reg.send("GET", upload).headers().firstValue("Range")).hasValue("0-19");

        // The last chunk rides on the closing PUT.
        HttpResponse<byte[]> put = reg.send("PUT", withQuery(upload, "digest=" + d), java.util.Arrays.copyOfRange(blob, 20, 30),
                "Content-Range", "20-29");
        assertThat(put.statusCode()).as(text(put)).isEqualTo(201);
        assertThat(reg.send("GET", "/v2/app/blobs/" + d).body()).isEqualTo(blob);

        HttpResponse<byte[]> ended = reg.send("GET", upload);
        assertThat(ended.statusCode()).isEqualTo(404);
        assertThat(errorCode(ended)).isEqualTo("BLOB_UPLOAD_UNKNOWN");
    }

    @Test
    void aWrongDigestIsRefusedAndNothingBecomesVisible() throws IOException {
        byte[] blob = random(1000, 5);
        Digest claimed = Digest.sha256("something else".getBytes(StandardCharsets.UTF_8));
        HttpResponse<byte[]> mono = reg.send("POST", "/v2/app/blobs/uploads/?digest=" + claimed, blob);
        assertThat(mono.statusCode()).isEqualTo(400);
        assertThat(errorCode(mono)).isEqualTo("DIGEST_INVALID");

        String upload = reg.startUpload("app");
        reg.send("PATCH", upload, blob);
        HttpResponse<byte[]> put = reg.send("PUT", withQuery(upload, "digest=" + claimed), new byte[0]);
        assertThat(put.statusCode()).isEqualTo(400);
        assertThat(errorCode(put)).isEqualTo("DIGEST_INVALID");

        assertThat(reg.send("HEAD", "/v2/app/blobs/" + claimed).statusCode()).isEqualTo(404);
        assertThat(reg.send("HEAD", "/v2/app/blobs/" + Digest.sha256(blob)).statusCode()).isEqualTo(404);
        assertThat(filesUnder(root.resolve("blobs"))).isEmpty();
        assertThat(filesUnder(root.resolve("uploads"))).isEmpty();
    }

    @Test
    void refusesMalformedDigestsAndNames() {
        HttpResponse<byte[]> badDigest = reg.send("GET", "/v2/app/blobs/sha256:abc");
        assertThat(badDigest.statusCode()).isEqualTo(400);
        assertThat(errorCode(badDigest)).isEqualTo("DIGEST_INVALID");
        HttpResponse<byte[]> noDigest = reg.send("PUT", withQuery(reg.startUpload("app"), "x=1"), new byte[0]);
        assertThat(errorCode(noDigest)).isEqualTo("DIGEST_INVALID");
        for (String name : List.of("Upper", "a//b", "a/../b", "-a", "a_-b")) {
            HttpResponse<byte[]> r = reg.send("POST", "/v2/" + name + "/blobs/uploads/", new byte[0]);
            assertThat(r.statusCode()).as(name).isEqualTo(400);
            assertThat(errorCode(r)).as(name).isEqualTo("NAME_INVALID");
        }
        HttpResponse<byte[]> unknown = reg.send("GET", "/v2/app/blobs/" + Digest.sha256(new byte[1]));
        assertThat(errorCode(unknown)).isEqualTo("BLOB_UNKNOWN");
    }

    @Test
    void sha512Blobs() throws IOException {
        byte[] blob = random(2000, 6);
        Digest d = Digest.of("sha512", new ByteArrayInputStream(blob));
        String upload = reg.startUpload("app");
        reg.send("PATCH", upload, blob);
        HttpResponse<byte[]> put = reg.send("PUT", withQuery(upload, "digest=" + d), new byte[0]);
        assertThat(put.statusCode()).as(text(put)).isEqualTo(201);
        HttpResponse<byte[]> get = reg.send("GET", "/v2/app/blobs/" + d);
        assertThat(get.body()).isEqualTo(blob);
        assertThat(get.headers().firstValue("Docker-Content-Digest")).hasValue(d.toString());
    }

    @Test
    void cancelAndExpiryEndASession() throws IOException {
        String cancelled = reg.startUpload("app");
        reg.send("PATCH", cancelled, random(100, 7));
        assertThat(reg.send("DELETE", cancelled).statusCode()).isEqualTo(204);
        assertThat(errorCode(reg.send("GET", cancelled))).isEqualTo("BLOB_UPLOAD_UNKNOWN");

        String idle = reg.startUpload("app");
        reg.send("PATCH", idle, random(100, 8));
        assertThat(reg.server.expireUploads(Instant.now())).isZero();
        assertThat(reg.server.expireUploads(Instant.now().plus(RegistryServer.DEFAULT_UPLOAD_EXPIRY).plusSeconds(1))).isEqualTo(1);
        HttpResponse<byte[]> r = reg.send("PATCH", idle, random(10, 9));
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(errorCode(r)).isEqualTo("BLOB_UPLOAD_UNKNOWN");
        assertThat(filesUnder(root.resolve("uploads"))).isEmpty();
    }

    @Test
    void aSessionBelongsToItsRepository() {
        String upload = reg.startUpload("one");
        String foreign = upload.replace("/v2/one/", "/v2/two/");
        assertThat(errorCode(reg.send("GET", foreign))).isEqualTo("BLOB_UPLOAD_UNKNOWN");
    }

    @Test
    void crossRepositoryMount() {
        byte[] blob = random(500, 10);
        Digest d = reg.push("source", blob);
        HttpResponse<byte[]> mount = reg.send("POST", "/v2/target/blobs/uploads/?mount=" + d + "&from=source", new byte[0]);
        assertThat(mount.statusCode()).isEqualTo(201);
        assertThat(location(mount)).isEqualTo("/v2/target/blobs/" + d);
        assertThat(reg.send("GET", "/v2/target/blobs/" + d).body()).isEqualTo(blob);

        // From a repository without the blob: an ordinary session instead.
        HttpResponse<byte[]> noSource = reg.send("POST", "/v2/third/blobs/uploads/?mount=" + d + "&from=nowhere", new byte[0]);
        assertThat(noSource.statusCode()).isEqualTo(202);
        assertThat(location(noSource)).startsWith("/v2/third/blobs/uploads/");
        assertThat(reg.send("HEAD", "/v2/third/blobs/" + d).statusCode()).isEqualTo(404);
    }

    @Test
    void deleteUnlinksTheBlobFromTheRepository() {
        Digest d = reg.push("app", random(100, 11));
        reg.send("POST", "/v2/other/blobs/uploads/?mount=" + d + "&from=app", new byte[0]);
        assertThat(reg.send("DELETE", "/v2/app/blobs/" + d).statusCode()).isEqualTo(202);
        assertThat(reg.send("HEAD", "/v2/app/blobs/" + d).statusCode()).isEqualTo(404);
        assertThat(reg.send("HEAD", "/v2/other/blobs/" + d).statusCode()).isEqualTo(200);
        assertThat(errorCode(reg.send("DELETE", "/v2/app/blobs/" + d))).isEqualTo("BLOB_UNKNOWN");
    }

    @Test
    void concurrentUploadsOfOneBlobEndWithOneGoodCopy() throws Exception {
        byte[] blob = random(4_000_000, 12);
        Digest d = Digest.sha256(blob);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                results.add(pool.submit(() -> {
                    String upload = reg.startUpload("app");
                    HttpResponse<byte[]> patch = reg.send("PATCH", upload, blob);
                    return reg.send("PUT", withQuery(location(patch), "digest=" + d), new byte[0]).statusCode();
                }));
            }
            for (Future<Integer> f : results) {
                assertThat(f.get()).isEqualTo(201);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(filesUnder(root.resolve("blobs"))).containsExactly(root.resolve("blobs").resolve(d.path()));
        assertThat(Digest.of("sha256", Files.newInputStream(root.resolve("blobs").resolve(d.path())))).isEqualTo(d);
        assertThat(filesUnder(root.resolve("uploads"))).isEmpty();
    }

    @Test
    void unknownEndpointsAndMethods() {
        assertThat(errorCode(reg.send("GET", "/v2/app/nothing"))).isEqualTo("UNSUPPORTED");
        HttpResponse<byte[]> post = reg.send("POST", "/v2/app/blobs/" + Digest.sha256(new byte[0]), new byte[0]);
        assertThat(post.statusCode()).isEqualTo(405);
    }

    static List<Path> filesUnder(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (Stream<Path> all = Files.walk(dir)) {
            return all.filter(Files::isRegularFile).toList();
        }
    }
}
