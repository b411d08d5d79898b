package dev.jbox.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jbox.Json;
import dev.jbox.testing.Cli;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real peer: skopeo pushes an image made by umoci to {@code ./jbox registry serve} and pulls
 * it back, and the manifest's digest is the same at every step. Loopback only, a free port.
 */
class RegistrySkopeoIT {
    private static final Pattern SERVING = Pattern.compile("on https?://127\\.0\\.0\\.1:(\\d+)");

    @TempDir
    Path tmp;
    Process server;
    int port;

    @BeforeEach
    void needSkopeo() {
        assumeThat(Files.isExecutable(Path.of("/usr/bin/skopeo")) && Files.isExecutable(Path.of("/usr/bin/umoci")))
                .as("skopeo and umoci are not installed (apt-get install -y skopeo umoci): the interop test is skipped").isTrue();
    }

    /** Starts {@code ./jbox registry serve} on a free loopback port with {@code flags}; its port is read from its first line. */
    void startServer(String... flags) throws IOException {
        List<String> argv = new java.util.ArrayList<>(List.of(Cli.REPO.resolve("jbox").toString(), "registry", "serve",
                "--addr", "127.0.0.1:0", "--root", tmp.resolve("registry").toString()));
        argv.addAll(List.of(flags));
        server = new ProcessBuilder(argv).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        Matcher m = SERVING.matcher(String.valueOf(line));
        assertThat(m.find()).as("the server's first line: " + line).isTrue();
        port = Integer.parseInt(m.group(1));
    }

    @AfterEach
    void stopServer() throws InterruptedException {
        if (server != null) {
            server.destroy(); // SIGTERM: the shutdown hook stops the server and removes unfinished uploads
            if (!server.waitFor(20, TimeUnit.SECONDS)) {
                server.destroyForcibly().waitFor();
            }
        }
    }

    private static Cli.Result ok(String... argv) {
        Cli.Result r = Cli.run(List.of(argv), Map.of());
        assertThat(r.exitCode()).as(String.join(" ", argv) + " -> " + r).isZero();
        return r;
    }

    /** The digest of the manifest that an OCI layout's index.json names (it holds one). */
    private static String manifestDigest(Path layout) throws IOException {
        JsonNode index = Json.mapper().readTree(layout.resolve("index.json").toFile());
        assertThat(index.path("manifests")).hasSize(1);
        return index.path("manifests").get(0).path("digest").asText();
    }

    /** A one-layer image made by umoci, cleaned to one manifest by skopeo: its OCI layout. */
    private Path image() throws IOException {
        Path layout = tmp.resolve("image");
        ok("umoci", "init", "--layout", layout.toString());
        ok("umoci", "new", "--image", layout + ":base");
        Path file = tmp.resolve("hello.txt");
        Files.writeString(file, "hello from a jbox registry test\n".repeat(1000));
        ok("umoci", "insert", "--image", layout + ":base", file.toString(), "/hello.txt");
        // insert leaves the old manifest in the index beside the new one under the same tag; keep one
        Path clean = tmp.resolve("clean");
        ok("skopeo", "copy", "--preserve-digests", "oci:" + layout + ":base", "oci:" + clean + ":base");
        return clean;
    }

    @Test
    void skopeoCopiesAnImageInAndOutWithItsDigestUnchanged() throws Exception {
        startServer();
        Path clean = image();
        String pushed = manifestDigest(clean);

        String ref = "docker://127.0.0.1:" + port + "/jbox/test:v1";
        ok("skopeo", "copy", "--preserve-digests", "--dest-tls-verify=false", "oci:" + clean + ":base", ref);

        HttpResponse<String> head = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/v2/jbox/test/manifests/v1")).method("HEAD", HttpRequest.BodyPublishers.noBody())
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValue("Docker-Content-Digest")).hasValue(pushed);
        assertThat(ok("skopeo", "inspect", "--tls-verify=false", "--format", "{{.Digest}}", ref).stdout().strip()).isEqualTo(pushed);

        Path back = tmp.resolve("back");
        ok("skopeo", "copy", "--preserve-digests", "--src-tls-verify=false", ref, "oci:" + back + ":v1");
        assertThat(manifestDigest(back)).isEqualTo(pushed);

        // A second push of the same image finds every blob there already, and changes nothing.
        ok("skopeo", "copy", "--preserve-digests", "--dest-tls-verify=false", "oci:" + clean + ":base",
                "docker://127.0.0.1:" + port + "/jbox/other:v1");
        assertThat(ok("skopeo", "inspect", "--tls-verify=false", "--format", "{{.Digest}}",
                "docker://127.0.0.1:" + port + "/jbox/other:v1").stdout().strip()).isEqualTo(pushed);
        assertThat(ok("skopeo", "list-tags", "--tls-verify=false", "docker://127.0.0.1:" + port + "/jbox/test").stdout())
                .contains("\"v1\"");
    }

    /**
     * The Docker Hub flow over TLS: skopeo trusts the test's certificate (--cert-dir), is sent to
     * /token by the challenge, gets a token with the htpasswd user's password, and pushes and
     * pulls with it; without credentials it is refused.
     */
    @Test
    void skopeoPushesAndPullsOverTlsWithTokens() throws Exception {
        Path certs = Files.createDirectories(tmp.resolve("certs"));
        RegistryTransportTest.makeCert(certs, "rsa:2048");
        Files.copy(certs.resolve("cert.pem"), certs.resolve("ca.crt")); // what skopeo's --cert-dir trusts
        Path htpasswd = tmp.resolve("htpasswd");
        Files.writeString(htpasswd, RegistryAuthTest.HTPASSWD);
        startServer("--tls-cert", certs.resolve("cert.pem").toString(), "--tls-key", certs.resolve("key.pem").toString(),
                "--htpasswd", htpasswd.toString(), "--auth", "token");
        Path clean = image();
        String pushed = manifestDigest(clean);
        String ref = "docker://127.0.0.1:" + port + "/jbox/secure:v1";
        String certDir = certs.toString();

        Cli.Result anonymous = Cli.run(List.of("skopeo", "copy", "--dest-cert-dir", certDir, "oci:" + clean + ":base", ref), Map.of());
        assertThat(anonymous.exitCode()).as(anonymous.toString()).isNotZero();
        assertThat(anonymous.toString()).containsIgnoringCase("unauthorized");

        ok("skopeo", "copy", "--preserve-digests", "--dest-cert-dir", certDir, "--dest-creds", "bob:s3cret", "oci:" + clean + ":base", ref);
        assertThat(ok("skopeo", "inspect", "--cert-dir", certDir, "--creds", "alice:wonder land", "--format", "{{.Digest}}", ref)
                .stdout().strip()).isEqualTo(pushed);
        Path back = tmp.resolve("back");
        ok("skopeo", "copy", "--preserve-digests", "--src-cert-dir", certDir, "--src-creds", "bob:s3cret", ref, "oci:" + back + ":v1");
        assertThat(manifestDigest(back)).isEqualTo(pushed);
    }
}
