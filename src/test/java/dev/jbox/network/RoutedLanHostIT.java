package dev.jbox.network;

import static dev.jbox.network.NetTestSupport.inNetns;
import static dev.jbox.network.NetTestSupport.ip;
import static dev.jbox.network.NetTestSupport.serveOnce;
import static dev.jbox.network.NetTestSupport.tcpServer;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jbox.Json;
import dev.jbox.kernel.Kernel;
import dev.jbox.kernel.NetlinkRoute;
import dev.jbox.testing.Cli;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9, item 2: another machine on the LAN that routes the container subnet through the jbox
 * host must reach published ports only. Two network namespaces of the test's own play the
 * machines, so the real host's FORWARD policy, ip_forward and rules are never touched:
 * <pre>
 *   "lan" (the neighbour)            "host" (runs ./jbox through nsenter)
 *   eth0 192.0.2.2/24  ==veth==  lan0 192.0.2.1/24        jbox bridge -- containers
 *   route SUBNET via 192.0.2.1    ip_forward=1, FORWARD policy ACCEPT: a router that forwards everything
 * </pre>
 * With that policy only jbox's own chains stand between the neighbour and the containers.
 * Everything lives in the two namespaces, which die when the test closes them; the test still
 * runs {@code jbox system reset} and checks that the host namespace holds none of jbox's rules.
 */
@ExtendWith(HostLeakCheck.class)
class RoutedLanHostIT {
    private static final String HOST_ON_LAN = "192.0.2.1", NEIGHBOUR = "192.0.2.2";
    private static final int PUBLISHED = 8080, LOOPBACK_ONLY = 8082;

    @TempDir
    Path store;

    private Netns host;
    private Netns lan;

    @BeforeAll
    static void warmUp() throws Exception {
        Kernel.warmUp(); // JNA's Cleaner must not be born in a namespace-joining thread
        new ProcessBuilder("true").start().waitFor(); // nor the JDK's process reaper
    }

    @BeforeEach
    void twoMachines() {
        host = Netns.create();
        lan = Netns.create();
        try (NetlinkRoute onHost = host.netlink(); NetlinkRoute onLan = lan.netlink()) {
            onHost.setUp("lo");
            onHost.createVeth("lan0", "eth0", lan.fd());
            onHost.addAddress("lan0", ip(HOST_ON_LAN), 24);
            onHost.setUp("lan0");
            onLan.addAddress("eth0", ip(NEIGHBOUR), 24);
            onLan.setUp("eth0");
        }
        // The neighbour sends the container subnet to the host, as a LAN router or a static route would.
        inNetns(lan, "ip", "route", "add", Cli.DEFAULT_SUBNET, "via", HOST_ON_LAN);
        // The host is a router already, with nothing in FORWARD to stop it.
        inNetns(host, "sysctl", "-qw", "net.ipv4.ip_forward=1");
        inNetns(host, "iptables", "-P", "FORWARD", "ACCEPT");
    }

    @AfterEach
    void resetAndClose() {
        try {
            Cli.Result reset = jbox("system", "reset");
            assertThat(reset.exitCode()).as("jbox system reset: " + reset).isZero();
            assertThat(inNetns(host, "iptables-save")).as("the host's rules after reset")
                    .doesNotContain(Cli.NETWORK_PREFIX.toUpperCase());
        } finally {
            lan.close();
            host.close();
        }
    }

    @Test
    void theNeighbourReachesPublishedPortsAndAnswersButNothingElse() throws Exception {
        ok("run", "-d", "--name", "web", "-p", PUBLISHED + ":80", "busybox", "sh", "-c",
                "httpd -p 81 -h /etc && exec httpd -f -p 80 -h /etc");
        String web = Json.mapper().readTree(ok("inspect", "web").stdout()).get(0)
                .get("NetworkSettings").get("Networks").get("bridge").get("IPAddress").asText();
        assertThat(inNetns(host, "iptables", "-S", "FORWARD")).startsWith("-P FORWARD ACCEPT");

        // The host itself reaches every port of the container: its packets are not forwarded.
        assertThat(httpGet(host, web, 80)).isEqualTo("web\n");
        assertThat(httpGet(host, web, 81)).isEqualTo("web\n");

        // The neighbour reaches the published port, through the host's address.
        assertThat(httpGet(lan, HOST_ON_LAN, PUBLISHED)).isEqualTo("web\n");
        // It does not reach the container's address, neither an unpublished port nor the
        // container side of a published one: that is not what was published.
        assertThat(connects(lan, web, 81)).as("unpublished port 81, straight to " + web).isFalse();
        assertThat(connects(lan, web, 80)).as("port 80, straight to " + web).isFalse();

        // Answers to what the container opened come back in.
        try (ServerSocket server = tcpServer(lan, ip(NEIGHBOUR), 9000)) {
            serveOnce(server, "lan");
            assertThat(ok("run", "--rm", "busybox", "sh", "-c", "echo hello | nc " + NEIGHBOUR + " 9000").stdout())
                    .isEqualTo("lan saw " + HOST_ON_LAN + ": hello\n");
        }
        ok("rm", "-f", "web");
    }

    /**
     * A port published on 127.0.0.1 is the host's own. The kernel drops a packet for 127.0.0.1
     * that arrives on another interface, but only after the nat table has seen it: DNATed to a
     * container there, it would be a plain forwarded packet. Root on a machine of the same LAN can
     * send such packets (a route to 127.0.0.1 through the host).
     */
    @Test
    void aPortPublishedOnTheHostsLoopbackIsNotTheNeighbours() throws Exception {
        ok("run", "-d", "--name", "admin", "-p", "127.0.0.1:" + LOOPBACK_ONLY + ":80", "busybox", "httpd", "-f", "-p", "80",
                "-h", "/etc");
        assertThat(httpGet(host, "127.0.0.1", LOOPBACK_ONLY)).isEqualTo("admin\n");

        inNetns(lan, "ip", "route", "add", "127.0.0.1/32", "via", HOST_ON_LAN, "dev", "eth0");
        inNetns(lan, "sysctl", "-qw", "net.ipv4.conf.eth0.route_localnet=1");
        assertThat(connects(lan, "127.0.0.1", LOOPBACK_ONLY)).as("127.0.0.1:" + LOOPBACK_ONLY + " from the LAN").isFalse();
        ok("rm", "-f", "admin");
    }

    private Cli.Result jbox(String... args) {
        List<String> argv = new ArrayList<>(List.of("nsenter", "--net=" + host.path(), Cli.REPO.resolve("jbox").toString()));
        argv.addAll(List.of(args));
        return Cli.run(argv, Cli.environment(store));
    }

    private Cli.Result ok(String... args) {
        Cli.Result r = jbox(args);
        assertThat(r.exitCode()).as("jbox " + String.join(" ", args) + " -> " + r).isZero();
        return r;
    }

    /**
     * A socket connected from {@code from} to {@code address:port} within {@code timeoutMillis}.
     * Java creates the socket itself only when it connects, so the connect must happen there.
     */
    private static Socket connect(Netns from, String address, int port, int timeoutMillis) throws IOException {
        try {
            return from.call(() -> {
                Socket s = new Socket();
                try {
                    s.connect(new InetSocketAddress(address, port), timeoutMillis);
                    s.setSoTimeout(5_000);
                    return s;
                } catch (IOException e) {
                    s.close();
                    throw e;
                }
            });
        } catch (IllegalStateException e) {
            if (e.getCause() instanceof IOException io) {
                throw io; // what the connect said, unwrapped from the thread that made it
            }
            throw e;
        }
    }

    /** Whether a TCP connection from {@code from} is answered; a dropped SYN times out after 2 s. */
    private static boolean connects(Netns from, String address, int port) throws IOException {
        try (Socket ignored = connect(from, address, port, 2_000)) {
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        }
    }

    /** The body of {@code GET /hostname}, retried for 10 s while the container's server starts. */
    private static String httpGet(Netns from, String address, int port) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (true) {
            try (Socket s = connect(from, address, port, 5_000)) {
                s.getOutputStream().write("GET /hostname HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                String response = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(response).as("answer of " + address + ":" + port).matches("(?s)HTTP/1\\.[01] 200 .*").contains("\r\n\r\n");
                return response.substring(response.indexOf("\r\n\r\n") + 4);
            } catch (ConnectException e) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError(address + ":" + port + " refused for 10 s", e);
                }
                Thread.sleep(50);
            } catch (IOException e) {
                throw new UncheckedIOException(address + ":" + port, e);
            }
        }
    }
}
