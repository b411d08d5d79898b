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
import org.eclipse.jetty.util.Blocker;
import org.eclipse.jetty.server.Response;

/**
 * One request and its response, with the few things every handler needs from Jetty's: blocking
 * streams over its request and response content, so a handler reads and writes as it would a
 * file, and a blob passes through in pieces.
 */
final class Exchange {
    /** How much of a blob is mapped and handed to the connection at a time. */
    private static final long FILE_WINDOW = 8L << 20;
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
     * (HEAD: headers only). The file is mapped a window at a time and each window handed to the
     * connection as it is: the kernel copies the page cache to the socket once, where a read into a
     * byte array and a write from it cost two more copies and a second pass of the CPU over every
     * byte (Distribution, in Go, uses sendfile). Blocks until the last byte is written.
     */
    void sendFile(int status, FileChannel file, long first, long length) throws IOException {
        sent = true;
        response.setStatus(status);
        set("Content-Length", Long.toString(length));
        if (isHead() || length == 0) {
            return;
        }
        for (long done = 0; done < length; ) {
            long window = Math.min(FILE_WINDOW, length - done);
            ByteBuffer mapped = file.map(FileChannel.MapMode.READ_ONLY, first + done, window);
            done += window;
            try (Blocker.Callback written = Blocker.callback()) {
                response.write(done == length, mapped, written);
                written.block();
            } catch (IOException e) {
                throw new ClientGone(e);
            }
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
