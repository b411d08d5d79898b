package dev.jbox.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jbox.Json;
import dev.jbox.image.Digest;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.UnaryOperator;

/**
 * A registry on a free loopback port, in a temporary store, and the JDK's HTTP client to talk to
 * it: the tests speak the wire protocol itself, so what they check is what skopeo or docker sees.
 */
final class RegistryClient implements AutoCloseable {
    final RegistryStore store;
    final RegistryServer server;
    final HttpClient http;
    /** Sent with every request when set (an Authorization header, for the auth tests). */
    String authorization;

    RegistryClient(Path root) {
        this(root, o -> o, HttpClient.newBuilder());
    }

    /** A server with the options {@code configure} makes from the defaults, and a client built by {@code client}. */
    RegistryClient(Path root, UnaryOperator<RegistryServer.Options> configure, HttpClient.Builder client) {
        store = new RegistryStore(root);
        server = RegistryServer.start(store, configure.apply(RegistryServer.Options.on(new InetSocketAddress("127.0.0.1", 0))));
        http = client.connectTimeout(Duration.ofSeconds(5)).build();
    }

    URI uri(String pathAndQuery) {
        return URI.create(server.scheme() + "://127.0.0.1:" + server.port() + pathAndQuery);
    }

    HttpResponse<byte[]> send(String method, String pathAndQuery, BodyPublisher body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(pathAndQuery)).timeout(Duration.ofSeconds(60)).method(method, body);
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        try {
            return http.send(b.build(), BodyHandlers.ofByteArray());
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(method + " " + pathAndQuery + " failed: " + e, e);
        }
    }

    HttpResponse<byte[]> send(String method, String pathAndQuery, String... headers) {
        return send(method, pathAndQuery, BodyPublishers.noBody(), headers);
    }

    HttpResponse<byte[]> send(String method, String pathAndQuery, byte[] body, String... headers) {
        return send(method, pathAndQuery, BodyPublishers.ofByteArray(body), headers);
    }

    /** Pushes a blob in one request and returns its digest. */
    Digest push(String repo, byte[] blob) {
        Digest d = Digest.sha256(blob);
        HttpResponse<byte[]> r = send("POST", "/v2/" + repo + "/blobs/uploads/?digest=" + d, blob);
        assertThat(r.statusCode()).as(text(r)).isEqualTo(201);
        return d;
    }

    /** Opens an upload session and returns its Location path. */
    String startUpload(String repo) {
        HttpResponse<byte[]> r = send("POST", "/v2/" + repo + "/blobs/uploads/", new byte[0]);
        assertThat(r.statusCode()).as(text(r)).isEqualTo(202);
        return location(r);
    }

    static String location(HttpResponse<?> r) {
        return r.headers().firstValue("Location").orElseThrow(() -> new AssertionError("no Location in " + r));
    }

    static String withQuery(String location, String query) {
        return location + (location.contains("?") ? "&" : "?") + query;
    }

    static String text(HttpResponse<byte[]> r) {
        return r.statusCode() + " " + new String(r.body(), StandardCharsets.UTF_8);
    }

    /** The code of the first error of a spec error body. */
    static String errorCode(HttpResponse<byte[]> r) {
        try {
            JsonNode body = Json.mapper().readTree(r.body());
            assertThat(body.path("errors").get(0).path("message").asText()).isNotEmpty();
            return body.path("errors").get(0).path("code").asText();
        } catch (IOException e) {
            throw new AssertionError("not an error body: " + text(r), e);
        }
    }

    static JsonNode json(HttpResponse<byte[]> r) {
        try {
            return Json.mapper().readTree(r.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + text(r), e);
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
