package dev.jbox.registry.client;

import dev.jbox.JboxException;
import dev.jbox.image.Digest;
import dev.jbox.registry.client.Authenticator.Scopes;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The upload endpoints: {@code POST /v2/NAME/blobs/uploads/} opens a session (or, with
 * {@code ?mount=DIGEST&from=OTHER}, links a blob the registry has in another repository, and no
 * byte moves); then one {@code PUT LOCATION?digest=D} with the whole blob (monolithic), or
 * {@code PATCH}es of chunks with {@code Content-Range} and a closing {@code PUT}. Bodies stream
 * from the blob's file in the image store, so a retry after a 401 sends them again from the start.
 */
final class BlobUploader {
    private static final String OCTETS = "application/octet-stream";

    private BlobUploader() {
    }

    /** A session's URL, or null when the blob was mounted from {@code from} (a 201). */
    static URI start(RegistryTransport t, String repository, Digest mount, String from, Scopes scopes) {
        String query = mount == null ? "" : "?mount=" + mount + "&from=" + URLEncoder.encode(from, StandardCharsets.UTF_8);
        HttpRequest.Builder request = HttpRequest.newBuilder(t.uri("/v2/" + repository + "/blobs/uploads/" + query))
                .timeout(Duration.ofSeconds(60)).POST(BodyPublishers.noBody());
        HttpResponse<InputStream> r = t.send(request, scopes, false);
        if (r.statusCode() == 201 && mount != null) {
            close(r);
            return null;
        }
        if (r.statusCode() != 202) {
            throw new JboxException("cannot start an upload to " + t.registry() + "/" + repository + ": " + RegistryErrors.describe(r));
        }
        return location(t, r, "POST");
    }

    /** Sends the whole blob in one PUT. */
    static void putWhole(RegistryTransport t, URI session, Path file, Digest digest, Scopes scopes) {
        BodyPublisher body;
        try {
            body = BodyPublishers.ofFile(file);
        } catch (java.io.FileNotFoundException e) {
            throw new JboxException("blob " + digest + " is missing from the image store (" + file + "); pull or load the image again");
        }
        finish(t, session, digest, body, scopes);
    }

    /** Sends the blob in PATCHes of {@code chunkSize} bytes, then closes the session with a PUT. */
    static void putChunked(RegistryTransport t, URI session, Path file, long size, Digest digest, long chunkSize, Scopes scopes) {
        URI at = session;
        for (long start = 0; start < size; start += chunkSize) {
            long length = Math.min(chunkSize, size - start);
            long from = start;
            BodyPublisher body = BodyPublishers.fromPublisher(BodyPublishers.ofInputStream(() -> slice(file, from, length)), length);
            HttpRequest.Builder request = HttpRequest.newBuilder(at).timeout(Duration.ofMinutes(10))
                    .header("Content-Type", OCTETS).header("Content-Range", start + "-" + (start + length - 1))
                    .method("PATCH", body);
            HttpResponse<InputStream> r = t.send(request, scopes, false);
            if (r.statusCode() != 202) {
                throw new JboxException("upload of blob " + digest + " to " + t.registry() + " failed at byte " + start
                        + ": " + RegistryErrors.describe(r));
            }
            at = location(t, r, "PATCH");
        }
        finish(t, at, digest, BodyPublishers.noBody(), scopes);
    }

    private static void finish(RegistryTransport t, URI session, Digest digest, BodyPublisher body, Scopes scopes) {
        String s = session.toString();
        URI put = URI.create(s + (s.contains("?") ? "&" : "?") + "digest=" + digest);
        HttpRequest.Builder request = HttpRequest.newBuilder(put).timeout(Duration.ofMinutes(10))
                .header("Content-Type", OCTETS).PUT(body);
        HttpResponse<InputStream> r = t.send(request, scopes, false);
        if (r.statusCode() != 201) {
            throw new JboxException("upload of blob " + digest + " to " + t.registry() + " failed: " + RegistryErrors.describe(r));
        }
        close(r);
    }

    private static InputStream slice(Path file, long start, long length) {
        try {
            FileChannel ch = FileChannel.open(file);
            ch.position(start);
            return new java.io.FilterInputStream(Channels.newInputStream(ch)) {
                private long left = length;

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    if (left <= 0) {
                        return -1;
                    }
                    int n = super.read(b, off, (int) Math.min(len, left));
                    left -= Math.max(n, 0);
                    return n;
                }
            };
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** The session URL of a 202, absolute: the spec allows a relative Location. */
    private static URI location(RegistryTransport t, HttpResponse<InputStream> r, String after) {
        String location = r.headers().firstValue("Location").orElse(null);
        close(r);
        if (location == null) {
            throw new JboxException(t.registry() + " answered the upload " + after + " without a Location; it does not follow the Distribution spec");
        }
        return r.uri().resolve(location);
    }

    static void close(HttpResponse<InputStream> r) {
        try (InputStream in = r.body()) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        } catch (IOException ignored) {
            // the answer is in; the body did not matter
        }
    }
}
