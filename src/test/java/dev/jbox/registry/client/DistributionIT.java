package dev.jbox.registry.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.jbox.image.Digest;
import dev.jbox.image.ImageStore;
import dev.jbox.image.Reference;
import dev.jbox.image.StoredImage;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real peer: jbox push and pull against Distribution, the reference registry (Debian's
 * docker-registry), on a free loopback port with a temporary storage directory. The image comes
 * back with the digest it left with; mounts and chunked uploads work there too.
 */
class DistributionIT {
    private static final Path DISTRIBUTION = Path.of("/usr/bin/docker-registry");

    @TempDir
    Path tmp;
    Process server;
    String registry;

    @BeforeEach
    void needsDistribution() {
        assumeThat(Files.isExecutable(DISTRIBUTION))
                .as("Distribution is not installed (apt-get install -y docker-registry): the interop test is skipped").isTrue();
    }

    /** Starts Distribution with {@code extraConfig} (YAML lines at the top level) added to a minimal config. */
    private void startDistribution(String... extraConfig) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Path config = tmp.resolve("config.yml");
        Files.writeString(config, String.join("\n",
                "version: 0.1",
                "log:",
                "  level: warn",
                "storage:",
                "  filesystem:",
                "    rootdirectory: " + tmp.resolve("storage"),
                "http:",
                "  addr: 127.0.0.1:" + port,
                String.join("\n", extraConfig),
                ""));
        server = new ProcessBuilder(DISTRIBUTION.toString(), "serve", config.toString())
                .redirectErrorStream(true).redirectOutput(tmp.resolve("distribution.log").toFile()).start();
        registry = "127.0.0.1:" + port;
        awaitReady();
    }

    private void awaitReady() throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create("http://" + registry + "/v2/")).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200 || r.statusCode() == 401) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            if (!server.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("Distribution did not start: " + Files.readString(tmp.resolve("distribution.log")));
            }
            Thread.sleep(100);
        }
    }

    @AfterEach
    void stopDistribution() throws InterruptedException {
        if (server != null) {
            server.destroy();
            if (!server.waitFor(10, TimeUnit.SECONDS)) {
                server.destroyForcibly().waitFor();
            }
        }
    }

    @Test
    void pushThenPullKeepsTheDigest() throws Exception {
        startDistribution();
        ImageStore source = TestImages.store(tmp.resolve("a"));
        StoredImage made = TestImages.image(source, registry + "/team/app:v1", "amd64",
                TestImages.bytes(11, 200_000), TestImages.bytes(12, 3_000_000));
        Digest pushed = new ImagePusher(source, TestImages.NO_LOGINS_FAST_RETRY, new TestImages.Recorded().progress(), 1 << 20)
                .push(Reference.parse(registry + "/team/app:v1")); // the 3 MB layer in 1 MiB chunks
        assertThat(pushed).isEqualTo(made.manifestDigest());

        TestImages.image(source, registry + "/mirror/app:v1", "amd64", TestImages.bytes(11, 200_000), TestImages.bytes(12, 3_000_000));
        TestImages.Recorded mounted = new TestImages.Recorded();
        new ImagePusher(source, TestImages.NO_LOGINS_FAST_RETRY, mounted.progress(), 0).push(Reference.parse(registry + "/mirror/app:v1"));
        assertThat(mounted.text()).contains("Mounted from team/app").doesNotContain(": Pushed");

        ImageStore target = TestImages.store(tmp.resolve("b"));
        TestImages.Recorded lines = new TestImages.Recorded();
        StoredImage pulled = new ImagePuller(target, TestImages.NO_LOGINS_FAST_RETRY, lines.progress(), Platform.host())
                .pull(Reference.parse(registry + "/team/app:v1"));
        assertThat(pulled.manifestDigest()).isEqualTo(made.manifestDigest());
        assertThat(pulled.id()).isEqualTo(made.id());
        assertThat(lines.text()).contains("Digest: " + made.manifestDigest());
        StoredImage byDigest = new ImagePuller(TestImages.store(tmp.resolve("c")), TestImages.NO_LOGINS_FAST_RETRY,
                new TestImages.Recorded().progress(), Platform.host()).pull(Reference.parse(registry + "/mirror/app@" + made.manifestDigest()));
        assertThat(byDigest.manifestDigest()).isEqualTo(made.manifestDigest());
    }

    @Test
    void aLoginIsCheckedStoredMode0600AndUsedForPushAndPull() throws Exception {
        Path htpasswd = tmp.resolve("htpasswd");
        Process hash = new ProcessBuilder("python3", "-W", "ignore", "-c",
                "import crypt; print('student:' + crypt.crypt('s3cret', crypt.mksalt(crypt.METHOD_BLOWFISH)))")
                .redirectOutput(htpasswd.toFile()).start();
        assumeThat(hash.waitFor() == 0 && Files.readString(htpasswd).startsWith("student:$2"))
                .as("python3's crypt makes the bcrypt htpasswd line; without it the login test is skipped").isTrue();
        startDistribution("auth:", "  htpasswd:", "    realm: jbox-test", "    path: " + htpasswd);
        CredentialStore logins = new CredentialStore(tmp.resolve("home/.jbox/config.json"));
        ClientConfig config = new ClientConfig(logins, new InsecureRegistries(List.of()), TestImages.NO_LOGINS_FAST_RETRY.retry(), List.of());
        ImageStore source = TestImages.store(tmp.resolve("a"));
        StoredImage made = TestImages.image(source, registry + "/private/app:v1", "amd64", TestImages.bytes(13, 500_000));

        assertThatThrownBy(() -> new ImagePusher(source, config, new TestImages.Recorded().progress(), 0)
                .push(Reference.parse(registry + "/private/app:v1")))
                .hasMessageContaining(registry + " wants a login").hasMessageContaining("jbox login " + registry);
        assertThatThrownBy(() -> Logins.login(registry, new Credentials("student", "wrong"), config))
                .hasMessageContaining("refused the login");
        assertThat(logins.file()).doesNotExist();

        Logins.login(registry, new Credentials("student", "s3cret"), config);
        assertThat(Files.getPosixFilePermissions(logins.file())).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.readString(logins.file())).contains("\"" + registry + "\"", new Credentials("student", "s3cret").basic());

        assertThat(new ImagePusher(source, config, new TestImages.Recorded().progress(), 0)
                .push(Reference.parse(registry + "/private/app:v1"))).isEqualTo(made.manifestDigest());
        StoredImage pulled = new ImagePuller(TestImages.store(tmp.resolve("b")), config, new TestImages.Recorded().progress(), Platform.host())
                .pull(Reference.parse(registry + "/private/app:v1"));
        assertThat(pulled.manifestDigest()).isEqualTo(made.manifestDigest());

        assertThat(Logins.logout(registry, config)).isTrue();
        assertThat(Logins.logout(registry, config)).isFalse();
        assertThat(logins.get(registry)).isNull();
    }
}
