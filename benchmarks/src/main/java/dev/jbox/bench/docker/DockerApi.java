package dev.jbox.bench.docker;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jbox.bench.BenchException;
import dev.jbox.bench.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Docker's Engine API over the daemon's UNIX socket, as the {@code docker} CLI uses it: plain
 * HTTP/1.1, one connection per request ({@code Connection: close}), so a response ends where the
 * stream ends. The JDK's HttpClient cannot reach a UNIX socket, and these four calls need no more.
 */
final class DockerApi {
    /** Docker 20.10's API; newer daemons still serve it. */
    static final String VERSION = "v1.41";
    private final Path socket;

    DockerApi(Path socket) {
        this.socket = socket;
    }

    record Response(int status, String body) {
        JsonNode json() {
            try {
                return Json.mapper().readTree(body);
            } catch (IOException e) {
                throw new BenchException("Docker answered with something that is not JSON: " + body);
            }
        }
    }

    /** Sends one request; a status of 400 or more is an error that names the call and Docker's message. */
    Response request(String method, String path, String json) {
        try {
            Response r = call(method, "/" + VERSION + path, json);
            if (r.status() >= 400) {
                throw new BenchException("Docker: " + method + " " + path + " gave " + r.status() + ": " + r.body().strip());
            }
            return r;
        } catch (IOException e) {
            throw new BenchException("Docker: " + method + " " + path + " on " + socket + " failed: " + e.getMessage());
        }
    }

    private Response call(String method, String path, String json) throws IOException {
        byte[] body = json == null ? new byte[0] : json.getBytes(StandardCharsets.UTF_8);
        String head = method + " " + path + " HTTP/1.1\r\nHost: docker\r\nConnection: close\r\n"
                + (json == null ? "" : "Content-Type: application/json\r\n")
                + "Content-Length: " + body.length + "\r\n\r\n";
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            ByteBuffer out = ByteBuffer.allocate(head.length() + body.length);
            out.put(head.getBytes(StandardCharsets.US_ASCII)).put(body).flip();
            while (out.hasRemaining()) {
                channel.write(out);
            }
            ByteBuffer in = ByteBuffer.allocate(8192);
            while (channel.read(in) >= 0) {
                received.write(in.array(), 0, in.position());
                in.clear();
            }
        }
        return parse(received.toByteArray());
    }

    /** Status line, headers, and a body that may be chunked (the wait call streams its answer). */
    static Response parse(byte[] raw) {
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        if (!text.startsWith("HTTP/1.") || end < 0) {
            throw new BenchException("Docker's answer is not HTTP: " + text.lines().findFirst().orElse("(nothing)"));
        }
        String[] headers = text.substring(0, end).split("\r\n");
        int status = Integer.parseInt(headers[0].split(" ")[1]);
        boolean chunked = false;
        for (String h : headers) {
            chunked |= h.toLowerCase(Locale.ROOT).replace(" ", "").equals("transfer-encoding:chunked");
        }
        String body = text.substring(end + 4);
        return new Response(status, new String((chunked ? unchunk(body) : body).getBytes(StandardCharsets.ISO_8859_1),
                StandardCharsets.UTF_8));
    }

    private static String unchunk(String body) {
        StringBuilder out = new StringBuilder();
        int at = 0;
        while (true) {
            int lineEnd = body.indexOf("\r\n", at);
            if (lineEnd < 0) {
                throw new BenchException("Docker's chunked answer ends in the middle of a chunk");
            }
            int size = Integer.parseInt(body.substring(at, lineEnd).split(";")[0].trim(), 16);
            if (size == 0) {
                return out.toString();
            }
            out.append(body, lineEnd + 2, lineEnd + 2 + size);
            at = lineEnd + 2 + size + 2;
        }
    }
}
