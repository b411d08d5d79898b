package dev.jbox.registry;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import dev.jbox.Json;
import dev.jbox.image.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** One request and its response, with the few things every handler needs from the JDK's exchange. */
final class Exchange {
    private static final long DRAIN_LIMIT = 16L * 1024 * 1024;

    private final HttpExchange http;
    private final RepositoryName name;
    private final Map<String, String> query = new HashMap<>();
    private boolean sent;

    Exchange(HttpExchange http, RepositoryName name) {
        this.http = http;
        this.name = name;
        String raw = http.getRequestURI().getRawQuery();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                String key = eq < 0 ? pair : pair.substring(0, eq);
                String value = eq < 0 ? "" : pair.substring(eq + 1);
                query.putIfAbsent(URLDecoder.decode(key, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
            }
        }
    }

    RepositoryName name() {
        return name;
    }

    String method() {
        return http.getRequestMethod();
    }

    boolean isHead() {
        return method().equals("HEAD");
    }

    String header(String key) {
        return http.getRequestHeaders().getFirst(key);
    }

    String query(String key) {
        return query.get(key);
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

    InputStream body() {
        return http.getRequestBody();
    }

    Exchange set(String key, String value) {
        http.getResponseHeaders().set(key, value);
        return this;
    }

    /** A response without a body (Content-Length, if wanted, set by the caller for HEAD). */
    void send(int status) throws IOException {
        sent = true;
        http.sendResponseHeaders(status, -1);
    }

    /** Starts a response of {@code length} bytes (HEAD: headers only) and returns where to write them. */
    OutputStream start(int status, long length) throws IOException {
        sent = true;
        if (isHead() || length == 0) {
            set("Content-Length", Long.toString(length));
            http.sendResponseHeaders(status, -1);
            return OutputStream.nullOutputStream();
        }
        http.sendResponseHeaders(status, length); // > 0: a fixed-length body, streamed
        return http.getResponseBody();
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
            InputStream in = http.getRequestBody();
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
        if (e.code() == ErrorCode.UNAUTHORIZED && http.getResponseHeaders().getFirst("WWW-Authenticate") == null) {
            set("WWW-Authenticate", "Basic realm=\"jbox\"");
        }
        sendJson(e.status(), body);
    }
}
