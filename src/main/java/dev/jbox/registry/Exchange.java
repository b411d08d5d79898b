package dev.jbox.registry;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jbox.Json;
import dev.jbox.image.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.io.RetainableByteBuffer;
import org.eclipse.jetty.util.Blocker;
import org.eclipse.jetty.server.Response;

/**
 * One request and its response, with the few things every handler needs from Jetty's: blocking
 * streams over its request and response content, so a handler reads and writes as it would a
 * file, and a blob passes through in pieces.
 */
final class Exchange {
    /** How much of a blob is read and handed to the connection at a time. */
    private static final long FILE_WINDOW = 1L << 20;
    private static final long DRAIN_LIMIT = 16L * 1024 * 1024;

    private final Request request;
    private final Response response;
    private RepositoryName name;
    private final Map<String, List<String>> query = new HashMap<>();
    private InputStream body;
    private OutputStream out;
    private boolean sent;

    Exchange(Request request, Response response, RepositoryName name) {
        this.request = request;
        this.response = response;
        this.name = name;
        String raw = request.getHttpURI().getQuery();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                String key = eq < 0 ? pair : pair.substring(0, eq);
                String value = eq < 0 ? "" : pair.substring(eq + 1);
                query.computeIfAbsent(URLDecoder.decode(key, StandardCharsets.UTF_8), k -> new ArrayList<>())
                        .add(URLDecoder.decode(value, StandardCharsets.UTF_8));
            }
        }
    }

    /** Says which repository the request's path names (the router finds it, once). */
    Exchange named(RepositoryName repository) {
        this.name = repository;
        return this;
    }

    RepositoryName name() {
        return name;
    }

    String method() {
        return request.getMethod();
    }

    String path() {
        return request.getHttpURI().getPath();
    }

    /** Whether the request came over TLS. */
    boolean secure() {
        return request.isSecure();
    }

    /** {@code host:port} as the client addressed the server (for URLs the client must come back to). */
    String authority() {
        String host = header("Host");
        return host != null ? host : Request.getServerName(request) + ":" + Request.getServerPort(request);
    }

    boolean isHead() {
        return method().equals("HEAD");
    }

    String header(String key) {
        return request.getHeaders().get(key);
    }

    String query(String key) {
        List<String> values = query.get(key);
        return values == null ? null : values.get(0);
    }

    /** Every value of a repeated query parameter ({@code scope=...&scope=...}), in order. */
    List<String> queryAll(String key) {
        return query.getOrDefault(key, List.of());
    }

    /** A digest from the request (path or query); a malformed one is the spec's DIGEST_INVALID. */
    static Digest digest(String text) {
        try {
            return Digest.parse(text);
        } catch (RuntimeException e) {
            throw new RegistryError(ErrorCode.DIGEST_INVALID, e.getMessage());
        }
    }

    /** The announced body length, or -1 when the body is chunked or the header is absent. */
    long contentLength() {
        String v = header("Content-Length");
        try {
            return v == null ? -1 : Long.parseLong(v.strip());
        } catch (NumberFormatException e) {
            throw new RegistryError(ErrorCode.SIZE_INVALID, "Content-Length '" + v + "' is not a number");
        }
    }

    /** The request's content as a blocking stream: each read waits for the next bytes from the socket. */
    InputStream body() {
        if (body == null) {
            body = ClientGone.marking(Content.Source.asInputStream(request));
        }
        return body;
    }

    Exchange set(String key, String value) {
        response.getHeaders().put(key, value);
        return this;
    }

    /** A response without a body (Content-Length, if wanted, set by the caller for HEAD). */
    void send(int status) {
        sent = true;
        response.setStatus(status);
    }

    /** Starts a response of {@code length} bytes (HEAD: headers only) and returns where to write them. */
    OutputStream start(int status, long length) {
        sent = true;
        response.setStatus(status);
        set("Content-Length", Long.toString(length));
        if (isHead() || length == 0) {
            return OutputStream.nullOutputStream();
        }
        out = ClientGone.marking(Content.Sink.asOutputStream(response)); // a fixed-length body, streamed
        return out;
    }

    /**
     * Sends {@code length} bytes of {@code file} from {@code first} as the body of a response
     * (HEAD: headers only). The bytes are read into a direct buffer from Jetty's pool and that
     * buffer handed to the connection as it is: a read into a byte array and a write from it cost
     * one more copy (the JDK copies a heap array into a direct buffer of its own before the socket
     * write) and a second pass of the CPU over every byte. A mapped file would save the read too,
     * but its pages count in the server's RSS until a GC unmaps them (800 MiB after a benchmark
     * round, 221 MiB without). Blocks until the last byte is written.
     */
    void sendFile(int status, FileChannel file, long first, long length) throws IOException {
        sent = true;
        response.setStatus(status);
        set("Content-Length", Long.toString(length));
        if (isHead() || length == 0) {
            return;
        }
        RetainableByteBuffer pooled = request.getComponents().getByteBufferPool()
                .acquire((int) Math.min(FILE_WINDOW, length), true);
        try {
            ByteBuffer buf = pooled.getByteBuffer();
            for (long done = 0; done < length; ) {
                buf.clear().limit((int) Math.min(buf.capacity(), length - done));
                while (buf.hasRemaining()) {
                    if (file.read(buf, first + done + buf.position()) < 0) {
                        throw new IOException("the blob ended " + (length - done - buf.position()) + " bytes early");
                    }
                }
                done += buf.flip().remaining();
                try (Blocker.Callback written = Blocker.callback()) {
                    response.write(done == length, buf, written);
                    written.block();
                } catch (IOException e) {
                    throw new ClientGone(e);
                }
            }
        } finally {
            pooled.release();
        }
    }

    /** Ends the response: the last write of a body, or the headers alone. */
    void finish() throws IOException {
        if (out != null) {
            out.close();
        }
    }

    void send(int status, String contentType, byte[] body) throws IOException {
        set("Content-Type", contentType);
        try (OutputStream out = start(status, body.length)) {
            out.write(body);
        }
    }

    void sendJson(int status, Object value) throws IOException {
        send(status, "application/json", Json.mapper().writeValueAsBytes(value));
    }

    /**
     * Reads what is left of a refused request's body (up to a bound), so the client, still
     * sending, gets to read the error instead of a reset connection.
     */
    private void drain() {
        byte[] buf = new byte[64 * 1024];
        long left = DRAIN_LIMIT;
        try {
            InputStream in = body();
            for (int n; left > 0 && (n = in.read(buf)) > 0; ) {
                left -= n;
            }
        } catch (IOException gone) {
            // the client stopped sending: the error may still reach it
        }
    }

    boolean sent() {
        return sent;
    }

    void sendError(RegistryError e) throws IOException {
        drain();
        ObjectNode body = Json.mapper().createObjectNode();
        ArrayNode errors = body.putArray("errors");
        ObjectNode error = errors.addObject();
        error.put("code", e.code().name());
        error.put("message", e.code().message());
        error.put("detail", e.detail());
        if (e.code() == ErrorCode.UNAUTHORIZED && response.getHeaders().get("WWW-Authenticate") == null) {
            set("WWW-Authenticate", "Basic realm=\"jbox\"");
        }
        sendJson(e.status(), body);
    }
}
