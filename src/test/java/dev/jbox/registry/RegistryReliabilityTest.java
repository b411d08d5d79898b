package dev.jbox.registry;

import static dev.jbox.registry.RegistryBlobsTest.filesUnder;
import static dev.jbox.registry.RegistryClient.errorCode;
import static dev.jbox.registry.RegistryClient.withQuery;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jbox.image.Digest;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Clients that die mid-push and sessions left behind (issue 13, item 5, server side). A client is
 * "killed" by sending a request's headers and part of its body on a raw socket, then closing it.
 */
class RegistryReliabilityTest extends RegistryTestBase {
    static final int MIB = 1024 * 1024;

    static byte[] random(int size) {
        byte[] b = new byte[size];
        new Random(size).nextBytes(b);
        return b;
    }

    /** Sends {@code method path} announcing {@code announced} bytes, sends the first {@code sent} of {@code body}, and hangs up. */
    void dieMidBody(String method, String pathAndQuery, long announced, byte[] body, int sent, String... headers) throws IOException {
        try (Socket s = new Socket("127.0.0.1", reg.server.port())) {
            OutputStream out = s.getOutputStream();
            StringBuilder head = new StringBuilder(method + " " + pathAndQuery + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Content-Type: application/octet-stream\r\nContent-Length: " + announced + "\r\n");
            for (int i = 0; i < headers.length; i += 2) {
                head.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
            }
            out.write(head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
            out.write(body, 0, sent);
            out.flush();
        }
    }

    /** The session's Range once the server has given up on the dead request (status waits for an append in progress). */
    String range(String location) {
        HttpResponse<byte[]> r = reg.send("GET", location);
        assertThat(r.statusCode()).as(RegistryClient.text(r)).isEqualTo(204);
        return r.headers().firstValue("Range").orElseThrow();
    }

    /** The 3 MiB {@code blob}'s last 2 MiB to the session at {@code loc}, then the close: the blob is whole, no upload file stays. */
    private void sendTheRestAndClose(String loc, byte[] blob, Digest d) throws IOException {
        HttpResponse<byte[]> rest = reg.send("PATCH", loc, Arrays.copyOfRange(blob, MIB, 3 * MIB),
                "Content-Range", MIB + "-" + (3 * MIB - 1), "Content-Type", "application/octet-stream");
        assertThat(rest.statusCode()).as(RegistryClient.text(rest)).isEqualTo(202);
        assertThat(reg.send("PUT", withQuery(RegistryClient.location(rest), "digest=" + d), new byte[0]).statusCode()).isEqualTo(201);
        assertThat(reg.send("GET", "/v2/app/blobs/" + d).body()).isEqualTo(blob);
        assertThat(filesUnder(root.resolve("uploads"))).isEmpty();
    }

    @Test
    void aClientKilledMidPatchLeavesNoBlobAndTheSessionResumes() throws IOException {
        byte[] blob = random(3 * MIB);
        Digest d = Digest.sha256(blob);
        String loc = reg.startUpload("app");
        HttpResponse<byte[]> first = reg.send("PATCH", loc, Arrays.copyOfRange(blob, 0, MIB),
                "Content-Range", "0-" + (MIB - 1), "Content-Type", "application/octet-stream");
        assertThat(first.statusCode()).isEqualTo(202);

        dieMidBody("PATCH", loc, 2L * MIB, Arrays.copyOfRange(blob, MIB, 3 * MIB), MIB / 2, "Content-Range", MIB + "-" + (3 * MIB - 1));

        assertThat(range(loc)).as("the dead chunk is dropped whole").isEqualTo("0-" + (MIB - 1));
        assertThat(errorCode(reg.send("GET", "/v2/app/blobs/" + d))).isEqualTo("BLOB_UNKNOWN");
        assertThat(reg.store.blobs().contains(d)).isFalse();

        sendTheRestAndClose(loc, blob, d);
    }

    @Test
    void aClientKilledMidPutLeavesNoBlobAndCanPutAgain() throws IOException {
        byte[] blob = random(2 * MIB);
        Digest d = Digest.sha256(blob);
        String loc = reg.startUpload("app");
        dieMidBody("PUT", withQuery(loc, "digest=" + d), blob.length, blob, MIB);
        assertThat(range(loc)).isEqualTo("0-0");
        assertThat(reg.store.blobs().contains(d)).isFalse();
        assertThat(reg.send("PUT", withQuery(loc, "digest=" + d), blob).statusCode()).isEqualTo(201);
        assertThat(reg.store.blobs().contains(d)).isTrue();
    }

    @Test
    void aClientKilledMidMonolithicPostLeavesNothing() throws IOException {
        byte[] blob = random(2 * MIB);
        Digest d = Digest.sha256(blob);
        dieMidBody("POST", "/v2/app/blobs/uploads/?digest=" + d, blob.length, blob, MIB);
        reg.send("GET", "/v2/"); // a request after: the dead one has been dealt with by now, or soon
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!filesUnder(root.resolve("uploads")).isEmpty() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(filesUnder(root.resolve("uploads"))).as("the session's file").isEmpty();
        assertThat(filesUnder(root.resolve("blobs"))).isEmpty();
    }

    @Test
    void anIdleSessionExpiresOnItsOwn() throws Exception {
        reg.close();
        reg = new RegistryClient(root, o -> o.uploadExpiry(Duration.ofSeconds(2)), HttpClient.newBuilder());
        String loc = reg.startUpload("app");
        reg.send("PATCH", loc, random(1000), "Content-Type", "application/octet-stream");
        assertThat(filesUnder(root.resolve("uploads"))).as("the session's data and state").hasSize(2);
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        HttpResponse<byte[]> r;
        do {
            Thread.sleep(250);
            r = reg.send("GET", loc);
        } while (r.statusCode() == 204 && System.nanoTime() < deadline);
        assertThat(errorCode(r)).isEqualTo("BLOB_UPLOAD_UNKNOWN");
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).contains("expired after 2 s idle");
        assertThat(filesUnder(root.resolve("uploads"))).isEmpty();
    }

    @Test
    void anUploadSessionSurvivesARestartOfTheRegistry() throws Exception {
        byte[] blob = random(3 * MIB);
        Digest d = Digest.sha256(blob);
        String loc = reg.startUpload("app");
        assertThat(reg.send("PATCH", loc, Arrays.copyOfRange(blob, 0, MIB), "Content-Range", "0-" + (MIB - 1),
                "Content-Type", "application/octet-stream").statusCode()).isEqualTo(202);
        reg.close();
        // A registry killed mid-chunk leaves bytes after the last acknowledged offset: the next one cuts them off.
        java.nio.file.Path data;
        try (var files = java.nio.file.Files.list(root.resolve("uploads"))) {
            data = files.filter(f -> f.toString().endsWith(".data")).findFirst().orElseThrow();
        }
        java.nio.file.Files.write(data, random(1000), java.nio.file.StandardOpenOption.APPEND);

        reg = new RegistryClient(root);
        assertThat(range(loc)).as("the new process knows the session and its offset").isEqualTo("0-" + (MIB - 1));
        sendTheRestAndClose(loc, blob, d);
    }

    @Test
    void aSessionLeftByAStoppedRegistryExpiresInTheNextOne() throws Exception {
        String loc = reg.startUpload("app");
        reg.send("PATCH", loc, random(1000), "Content-Type", "application/octet-stream");
        reg.close();
        reg = new RegistryClient(root, o -> o.uploadExpiry(Duration.ofSeconds(2)), HttpClient.newBuilder());
        assertThat(filesUnder(root.resolve("uploads"))).as("taken up, not cleared").hasSize(2);
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!filesUnder(root.resolve("uploads")).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(250);
        }
        assertThat(filesUnder(root.resolve("uploads"))).isEmpty();
        assertThat(errorCode(reg.send("GET", loc))).isEqualTo("BLOB_UPLOAD_UNKNOWN");
    }
}
