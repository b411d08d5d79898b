package dev.jbox.registry;

import static dev.jbox.registry.RegistryClient.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jbox.JboxException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS with certificates made by openssl, the refusal of plain HTTP off loopback, how the plain
 * port answers a TLS handshake, and the catalog. A client trusts the test's certificate only.
 */
class RegistryTransportTest {
    @TempDir
    Path dir;
    final List<AutoCloseable> servers = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable s : servers) {
            s.close();
        }
    }

    static void run(Path dir, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command) + ": " + out).isZero();
    }

    /** A self-signed certificate for 127.0.0.1 and localhost, and its key in the given openssl form. */
    static void makeCert(Path dir, String keyArgs) throws IOException, InterruptedException {
        run(dir, "sh", "-c", "openssl req -x509 -newkey " + keyArgs + " -nodes -keyout key.pem -out cert.pem -days 2"
                + " -subj /CN=localhost -addext subjectAltName=IP:127.0.0.1,DNS:localhost");
    }

    static SSLContext trusting(Path cert) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(cert)) {
            trust.setCertificateEntry("registry", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    RegistryClient tlsRegistry(Path key) throws Exception {
        RegistryClient reg = new RegistryClient(dir.resolve("store"), o -> o.tls(dir.resolve("cert.pem"), key),
                HttpClient.newBuilder().sslContext(trusting(dir.resolve("cert.pem"))));
        servers.add(reg);
        return reg;
    }

    @Test
    void servesHttpsWithAnRsaCertificateInPkcs8AndPkcs1() throws Exception {
        makeCert(dir, "rsa:2048");
        RegistryClient reg = tlsRegistry(dir.resolve("key.pem"));
        assertThat(reg.uri("/v2/").getScheme()).isEqualTo("https");
        assertThat(reg.send("GET", "/v2/").statusCode()).isEqualTo(200);
        reg.push("app", "over tls".getBytes(StandardCharsets.UTF_8));
        reg.close();
        servers.clear();

        run(dir, "openssl", "rsa", "-in", "key.pem", "-traditional", "-out", "key-pkcs1.pem");
        assertThat(Files.readString(dir.resolve("key-pkcs1.pem"))).startsWith("-----BEGIN RSA PRIVATE KEY-----");
        assertThat(tlsRegistry(dir.resolve("key-pkcs1.pem")).send("GET", "/v2/app/tags/list").statusCode()).as("store kept, TLS up").isEqualTo(200);
    }

    @Test
    void servesHttpsWithAnEcKey() throws Exception {
        makeCert(dir, "ec -pkeyopt ec_paramgen_curve:P-256");
        assertThat(tlsRegistry(dir.resolve("key.pem")).send("GET", "/v2/").statusCode()).isEqualTo(200);
    }

    @Test
    void aClientThatDoesNotTrustTheCertificateIsRefused() throws Exception {
        makeCert(dir, "rsa:2048");
        RegistryClient reg = tlsRegistry(dir.resolve("key.pem"));
        HttpClient untrusting = HttpClient.newHttpClient();
        assertThatThrownBy(() -> untrusting.send(java.net.http.HttpRequest.newBuilder(reg.uri("/v2/")).build(),
                HttpResponse.BodyHandlers.discarding())).isInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void badKeyFilesAreOneErrorEach() throws Exception {
        makeCert(dir, "rsa:2048");
        Path cert = dir.resolve("cert.pem");
        run(dir, "openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "other.pem");
        assertThatThrownBy(() -> PemKeyStore.load(cert, dir.resolve("other.pem"))).isInstanceOf(JboxException.class)
                .hasMessageContaining("is a EC key but --tls-cert");
        run(dir, "openssl", "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "sec1.pem");
        assertThatThrownBy(() -> PemKeyStore.load(cert, dir.resolve("sec1.pem"))).hasMessageContaining("openssl pkcs8 -topk8");
        run(dir, "openssl", "pkey", "-in", "key.pem", "-aes256", "-passout", "pass:x", "-out", "encrypted.pem");
        assertThatThrownBy(() -> PemKeyStore.load(cert, dir.resolve("encrypted.pem"))).hasMessageContaining("is encrypted");
        assertThatThrownBy(() -> PemKeyStore.load(dir.resolve("key.pem"), dir.resolve("key.pem"))).hasMessageContaining("--tls-cert");
        assertThatThrownBy(() -> PemKeyStore.load(cert, cert)).hasMessageContaining("holds no private key");
    }

    @Test
    void plainHttpOffLoopbackIsRefusedUnlessInsecure() {
        RegistryStore store = new RegistryStore(dir.resolve("store"));
        RegistryServer.Options everywhere = RegistryServer.Options.on(new InetSocketAddress(0));
        assertThatThrownBy(() -> RegistryServer.start(store, everywhere)).isInstanceOf(JboxException.class)
                .hasMessageContaining("refusing plain HTTP on 0.0.0.0").hasMessageContaining("--insecure");
        RegistryServer s = RegistryServer.start(store, everywhere.insecure(true)); // nothing half-done: the store is free
        servers.add(s);
        assertThat(s.port()).isPositive();
    }

    /** skopeo and docker try HTTPS first: the plain port must say no at once, not wait for more bytes. */
    @Test
    void thePlainPortRefusesATlsHandshakeAtOnce() throws Exception {
        RegistryClient reg = new RegistryClient(dir.resolve("store"));
        servers.add(reg);
        long start = System.nanoTime();
        try (Socket raw = new Socket("127.0.0.1", reg.server.port());
             SSLSocket tls = (SSLSocket) SSLContext.getDefault().getSocketFactory().createSocket(raw, "127.0.0.1", reg.server.port(), true)) {
            tls.setSoTimeout(5000);
            assertThatThrownBy(tls::startHandshake).isInstanceOf(IOException.class);
        }
        assertThat((System.nanoTime() - start) / 1_000_000).as("ms to refuse").isLessThan(3000);
    }

    @Test
    void theCatalogListsRepositoriesAPageAtATime() {
        RegistryClient reg = new RegistryClient(dir.resolve("store"));
        servers.add(reg);
        for (String repo : List.of("b/two", "a", "c")) {
            reg.push(repo, repo.getBytes(StandardCharsets.UTF_8));
        }
        assertThat(json(reg.send("GET", "/v2/_catalog")).path("repositories").toString()).isEqualTo("[\"a\",\"b/two\",\"c\"]");
        HttpResponse<byte[]> page = reg.send("GET", "/v2/_catalog?n=2");
        assertThat(json(page).path("repositories").toString()).isEqualTo("[\"a\",\"b/two\"]");
        assertThat(page.headers().firstValue("Link")).hasValue("</v2/_catalog?n=2&last=b%2Ftwo>; rel=\"next\"");
        assertThat(json(reg.send("GET", "/v2/_catalog?n=2&last=b%2Ftwo")).path("repositories").toString()).isEqualTo("[\"c\"]");
    }

    /** A request Jetty refuses before the router (a bad %-escape) still gets the spec's error body, not an HTML page. */
    @Test
    void refusalsBeforeTheRouterAreSpecErrorBodies() throws IOException {
        RegistryClient reg = new RegistryClient(dir.resolve("store"));
        servers.add(reg);
        try (Socket s = new Socket("127.0.0.1", reg.server.port())) {
            s.setSoTimeout(5000);
            s.getOutputStream().write("GET /v2/%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(answer).startsWith("HTTP/1.1 400").contains("Content-Type: application/json")
                    .contains("{\"errors\":[{\"code\":\"UNKNOWN\"");
        }
    }
}
