package dev.jbox.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.jbox.testing.Cli;
import dev.jbox.testing.DockerPeer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
 * The real peer Docker users have: Debian's dockerd (started by hand, in the host's network
 * namespace so that jbox's registry on the loopback is its loopback too, and with no bridge and
 * no iptables rules) pushes to and pulls from {@code jbox registry}, which Docker trusts over
 * plain HTTP because it is on 127.0.0.0/8. The manifest digest is the same on every side; what
 * Docker pushed runs in jbox, and what jbox pushed runs in Docker. And over TLS with a login.
 */
class DockerRegistryIT {
    private static final Pattern PUSHED = Pattern.compile("v1: digest: (sha256:[0-9a-f]{64}) size: \\d+");
    private static final Pattern PULLED = Pattern.compile("Digest: (sha256:[0-9a-f]{64})");

    @TempDir
    Path tmp;
    Path store;
    RegistryServer server;
    DockerPeer docker;
    String registry;

    @BeforeEach
    void start() throws Exception {
        assumeThat(DockerPeer.missing()).as("Docker is not installed (apt-get install -y docker.io): this peer's test is skipped")
                .isNull();
        store = Files.createDirectories(tmp.resolve("store"));
        server = RegistryServer.start(new RegistryStore(tmp.resolve("registry")), new InetSocketAddress("127.0.0.1", 0),
                RegistryServer.DEFAULT_UPLOAD_EXPIRY);
        registry = "127.0.0.1:" + server.port();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        if (store != null) {
            Cli.removeAll(store);
        }
    }

    private Cli.Result dockerOk(String... args) {
        Cli.Result r = docker.docker(args);
        assertThat(r.exitCode()).as("docker " + String.join(" ", args) + " -> " + r).isZero();
        return r;
    }

    private Cli.Result jbox(String... args) {
        return Cli.ok(store, args);
    }

    private static String match(Pattern p, String text) {
        Matcher m = p.matcher(text);
        assertThat(m.find()).as(text).isTrue();
        return m.group(1);
    }

    /** The digest jbox's registry answers for a manifest, from its Docker-Content-Digest header. */
    private String registryDigest(String repository, String tag) throws Exception {
        HttpResponse<Void> head = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://" + registry + "/v2/" + repository + "/manifests/" + tag))
                .header("Accept", "application/vnd.docker.distribution.manifest.v2+json, application/vnd.oci.image.manifest.v1+json")
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
        assertThat(head.statusCode()).isEqualTo(200);
        return head.headers().firstValue("Docker-Content-Digest").orElseThrow();
    }

    @Test
    void dockerPushesAndPullsWithTheDigestUnchangedAndJboxAndDockerRunWhatTheOtherPushed() throws Exception {
        // Closed in the test, not in @AfterEach: EachTestCleansUp checks right after the body that nothing is left.
        try (DockerPeer d = DockerPeer.start(Files.createDirectories(tmp.resolve("docker")),
                DockerPeer.Options.defaults().named("jboxtest-docker-reg").inHostNetwork())) {
            docker = d;
            pushAndPullBothWays();
        }
    }

    private void pushAndPullBothWays() throws Exception {
        // A two-layer image of Docker's own: jbox's busybox, loaded, and one layer committed on it.
        Path archive = tmp.resolve("bb.tar");
        jbox("save", "-o", archive.toString(), "busybox");
        dockerOk("load", "-i", archive.toString());
        dockerOk("run", "--network", "none", "--name", "c1", "busybox:latest", "sh", "-c", "echo made in docker > /made-by");
        dockerOk("commit", "c1", "dk/two:v1");
        dockerOk("rm", "c1");
        assertThat(dockerOk("image", "inspect", "--format", "{{len .RootFS.Layers}}", "dk/two:v1").stdout().strip()).isEqualTo("2");

        String ref = registry + "/dk/two:v1";
        dockerOk("tag", "dk/two:v1", ref);
        String pushed = match(PUSHED, dockerOk("push", ref).stdout());
        assertThat(registryDigest("dk/two", "v1")).isEqualTo(pushed);

        dockerOk("rmi", ref, "dk/two:v1");
        assertThat(docker.docker("image", "inspect", ref).exitCode()).isNotZero();
        assertThat(match(PULLED, dockerOk("pull", ref).stdout())).isEqualTo(pushed);
        assertThat(dockerOk("image", "inspect", "--format", "{{index .RepoDigests 0}}", ref).stdout().strip())
                .isEqualTo(registry + "/dk/two@" + pushed);
        assertThat(dockerOk("run", "--rm", "--network", "none", ref, "cat", "/made-by").stdout()).isEqualTo("made in docker\n");

        // What Docker pushed, pulled and run by jbox, the digest unchanged.
        jbox("pull", ref);
        assertThat(jbox("image", "inspect", ref).stdout()).contains("\"" + registry + "/dk/two@" + pushed + "\"");
        assertThat(jbox("run", "--rm", "--network", "none", ref, "cat", "/made-by").stdout()).isEqualTo("made in docker\n");

        // An image jbox made (a layer committed on its busybox), pushed by jbox and pulled and run by Docker.
        jbox("run", "--name", "c2", "--network", "none", "busybox", "sh", "-c", "echo made in jbox > /made-by");
        jbox("commit", "c2", registry + "/jb/two:v1");
        jbox("rm", "c2");
        jbox("push", registry + "/jb/two:v1");
        String jboxPushed = registryDigest("jb/two", "v1");
        assertThat(match(PULLED, dockerOk("pull", registry + "/jb/two:v1").stdout())).isEqualTo(jboxPushed);
        assertThat(dockerOk("run", "--rm", "--network", "none", registry + "/jb/two:v1", "cat", "/made-by").stdout())
                .isEqualTo("made in jbox\n");
    }

    /**
     * Docker's secure path: jbox's registry over TLS with htpasswd users, on an address that is
     * not loopback (so Docker verifies the certificate, with the CA in
     * /etc/docker/certs.d/HOST:PORT/ca.crt, and never falls back to HTTP). The registry runs in the
     * daemon's own network namespace, on a veth pair that goes with it. Without a login
     * the push is refused; after docker login it goes through, and the pull gives the same digest.
     */
    @Test
    void dockerLogsInAndPushesOverTlsWithTheCaInCertsD() throws Exception {
        try (DockerPeer d = DockerPeer.start(Files.createDirectories(tmp.resolve("docker")),
                DockerPeer.Options.defaults().named("jboxtest-docker-tls"))) {
            docker = d;
            loginAndPushOverTls();
        }
    }

    private void loginAndPushOverTls() throws Exception {
        String ns = docker.netns().getFileName().toString();
        String ip = "192.0.2.10"; // TEST-NET-1, inside the daemon's namespace only
        run("ip", "-n", ns, "link", "add", "reg0", "type", "veth", "peer", "name", "reg1"); // both ends in the namespace
        run("ip", "-n", ns, "addr", "add", ip + "/32", "dev", "reg0");
        run("ip", "-n", ns, "link", "set", "reg0", "up");
        run("ip", "-n", ns, "link", "set", "reg1", "up");
        Path certs = Files.createDirectories(tmp.resolve("certs"));
        run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", certs.resolve("key.pem").toString(),
                "-out", certs.resolve("cert.pem").toString(), "-days", "2", "-subj", "/CN=" + ip, "-addext", "subjectAltName=IP:" + ip);
        Path htpasswd = tmp.resolve("htpasswd");
        Files.writeString(htpasswd, RegistryAuthTest.HTPASSWD);
        int port = 5443;
        String host = ip + ":" + port;
        Path certsD = Path.of("/etc/docker/certs.d", host);
        List<Path> madeDirs = new ArrayList<>();
        for (Path p = certsD; p != null && !Files.exists(p); p = p.getParent()) {
            madeDirs.add(p); // deepest first: removed in this order afterwards
        }
        Process tlsServer = null;
        try {
            tlsServer = new ProcessBuilder("nsenter", "--net=" + docker.netns(), Cli.REPO.resolve("jbox").toString(),
                    "registry", "serve", "--addr", host, "--root", tmp.resolve("tls-registry").toString(),
                    "--tls-cert", certs.resolve("cert.pem").toString(), "--tls-key", certs.resolve("key.pem").toString(),
                    "--htpasswd", htpasswd.toString()).redirectErrorStream(true)
                    .redirectOutput(tmp.resolve("tls-registry.log").toFile()).start();
            waitForLine(tlsServer, tmp.resolve("tls-registry.log"), "https://" + host);

            Path archive = tmp.resolve("bb.tar");
            jbox("save", "-o", archive.toString(), "busybox");
            dockerOk("load", "-i", archive.toString());
            String ref = host + "/secure/bb:v1";
            dockerOk("tag", "busybox:latest", ref);
            // Not loopback, so not insecure: without the CA Docker refuses the certificate, and never tries HTTP.
            Cli.Result untrusted = docker.docker("push", ref);
            assertThat(untrusted.exitCode()).as(untrusted.toString()).isNotZero();
            assertThat(untrusted.toString()).contains("x509");
            Files.createDirectories(certsD);
            Files.copy(certs.resolve("cert.pem"), certsD.resolve("ca.crt"));

            Cli.Result anonymous = docker.docker("push", ref);
            assertThat(anonymous.exitCode()).as(anonymous.toString()).isNotZero();
            assertThat(anonymous.toString()).containsIgnoringCase("no basic auth credentials");

            assertThat(dockerOk("login", "-u", "bob", "-p", "s3cret", host).stdout()).contains("Login Succeeded");
            String pushed = match(PUSHED, dockerOk("push", ref).stdout());
            dockerOk("rmi", ref);
            assertThat(match(PULLED, dockerOk("pull", ref).stdout())).isEqualTo(pushed);
            assertThat(dockerOk("run", "--rm", "--network", "none", ref, "echo", "pulled over TLS").stdout())
                    .isEqualTo("pulled over TLS\n");
            dockerOk("logout", host);
        } finally {
            if (tlsServer != null) {
                tlsServer.destroy();
                if (!tlsServer.waitFor(20, TimeUnit.SECONDS)) {
                    tlsServer.destroyForcibly().waitFor();
                }
            }
            Files.deleteIfExists(certsD.resolve("ca.crt"));
            for (Path p : madeDirs) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static void run(String... argv) {
        Cli.Result r = Cli.run(List.of(argv), Map.of());
        assertThat(r.exitCode()).as(String.join(" ", argv) + " -> " + r).isZero();
    }

    /** Waits until the server's log holds {@code text} (its "serving on" line), or fails with the log. */
    private static void waitForLine(Process p, Path log, String text) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.readString(log).contains(text)) {
            assertThat(p.isAlive() && System.nanoTime() < deadline).as("the registry did not start: " + Files.readString(log)).isTrue();
            Thread.sleep(100);
        }
    }
}
