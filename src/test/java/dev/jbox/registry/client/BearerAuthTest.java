package dev.jbox.registry.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.jbox.registry.client.Authenticator.Scopes;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The token dance, against a stand-in for a registry and its token service (the flow Docker Hub
 * uses): a 401 with {@code Bearer realm,service,scope}, a token fetched for that scope with the
 * stored login or anonymously, the token sent, and cached per scope.
 */
class BearerAuthTest {
    @TempDir
    Path tmp;
    HttpServer server;
    String registry;
    final AtomicInteger tokensIssued = new AtomicInteger();
    final Map<String, String> issued = new ConcurrentHashMap<>(); // token -> scope
    final List<String> tokenQueries = new java.util.concurrent.CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        registry = "127.0.0.1:" + server.getAddress().getPort();
        server.createContext("/token", this::token);
        server.createContext("/v2/", this::api);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    /** The token service: student:s3cret gets push too; anyone gets pull on public/. */
    private void token(HttpExchange x) throws IOException {
        String query = x.getRequestURI().getRawQuery();
        tokenQueries.add(query);
        String auth = x.getRequestHeaders().getFirst("Authorization");
        boolean student = ("Basic " + new Credentials("student", "s3cret").basic()).equals(auth);
        if (auth != null && !student) {
            reply(x, 401, "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"bad password\"}]}");
            return;
        }
        String scope = java.net.URLDecoder.decode(query.replaceFirst(".*scope=", ""), StandardCharsets.UTF_8);
        String token = "t" + tokensIssued.incrementAndGet();
        issued.put(token, student ? scope : scope.replace("pull,push", "pull"));
        reply(x, 200, "{\"token\":\"" + token + "\",\"expires_in\":300}");
    }

    /** The registry: GET /v2/NAME/manifests/x needs a token with pull on NAME. */
    private void api(HttpExchange x) throws IOException {
        String path = x.getRequestURI().getPath();
        String name = path.equals("/v2/") ? null : path.substring(4, path.indexOf("/manifests/"));
        String scope = name == null ? "" : "repository:" + name + ":pull";
        String auth = x.getRequestHeaders().getFirst("Authorization");
        String granted = auth != null && auth.startsWith("Bearer ") ? issued.get(auth.substring(7)) : null;
        boolean ok = granted != null && (name == null || granted.contains("repository:" + name + ":pull"));
        if (!ok) {
            x.getResponseHeaders().add("WWW-Authenticate", "Bearer realm=\"http://" + registry + "/token\",service=\"test\""
                    + (name == null ? "" : ",scope=\"" + scope + "\""));
            reply(x, 401, "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\"}]}");
            return;
        }
        reply(x, 200, "{}");
    }

    private static void reply(HttpExchange x, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        x.sendResponseHeaders(status, b.length);
        try (var out = x.getResponseBody()) {
            out.write(b);
        }
    }

    private int get(RegistryTransport t, String name) {
        HttpResponse<InputStream> r = t.send(HttpRequest.newBuilder(t.uri("/v2/" + name + "/manifests/x")).GET(), Scopes.pull(name), true);
        BlobUploader.close(r);
        return r.statusCode();
    }

    @Test
    void anonymousTokensAreFetchedPerScopeAndCached() {
        RegistryTransport t = RegistryTransport.connect(registry, TestImages.NO_LOGINS_FAST_RETRY, null);
        assertThat(get(t, "public/app")).isEqualTo(200);
        assertThat(get(t, "public/app")).isEqualTo(200);
        assertThat(tokensIssued).as("the second request reuses the token").hasValue(1);
        assertThat(tokenQueries.get(0)).contains("service=test", "scope=repository%3Apublic%2Fapp%3Apull");
        assertThat(get(t, "public/other")).isEqualTo(200);
        assertThat(tokensIssued).as("another scope, another token").hasValue(2);
    }

    @Test
    void aLoginIsSentToTheTokenServiceAndAWrongOneIsOneClearError() {
        ClientConfig config = new ClientConfig(new CredentialStore(tmp.resolve("config.json")), new InsecureRegistries(List.of()),
                TestImages.NO_LOGINS_FAST_RETRY.retry(), List.of());
        Logins.login(registry, new Credentials("student", "s3cret"), config);
        assertThat(config.credentials().get(registry)).isEqualTo(new Credentials("student", "s3cret"));
        RegistryTransport t = RegistryTransport.connect(registry, config, null);
        assertThat(get(t, "private/app")).isEqualTo(200);
        assertThat(issued.values()).contains("repository:private/app:pull");

        assertThatThrownBy(() -> Logins.login(registry, new Credentials("student", "wrong"), config))
                .hasMessageContaining("refused the login of 'student'").hasMessageContaining("UNAUTHORIZED: bad password");
        assertThat(config.credentials().get(registry)).as("the good login stays").isEqualTo(new Credentials("student", "s3cret"));
    }
}
