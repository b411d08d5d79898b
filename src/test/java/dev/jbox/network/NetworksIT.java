package dev.jbox.network;

import static dev.jbox.network.NetTestSupport.inNetns;
import static dev.jbox.network.NetTestSupport.ip;
import static dev.jbox.network.NetTestSupport.serveOnce;
import static dev.jbox.network.NetTestSupport.tcpAsk;
import static dev.jbox.network.NetTestSupport.tcpServer;
import static dev.jbox.network.NetTestSupport.udpAsk;
import static dev.jbox.network.NetTestSupport.udpServer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jbox.JboxException;
import dev.jbox.kernel.Kernel;
import dev.jbox.kernel.NetlinkRoute;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Containers plugged into a bridge, with real traffic. Two kinds of "host":
 * <ul>
 *   <li>the real host namespace, for bridge + veth + addresses without NAT: the test's own
 *       bridge (jbt*), its own namespaces, traffic only to and between them;</li>
 *   <li>a namespace of the test's own standing in for the host, for everything NAT: iptables
 *       rules, ip_forward and route_localnet are per namespace, so the real host's are never
 *       touched. A third namespace, "world", plays the outside network behind the host.</li>
 * </ul>
 * Every namespace here is anonymous and held by a descriptor: closing it (in finally, or when
 * the JVM dies) destroys it with everything in it. {@link HostLeakCheck} proves the host is as before.
 */
@ExtendWith(HostLeakCheck.class)
class NetworksIT {
    @TempDir
    Path state;

    private final String tag = NetTestSupport.uniqueName();

    @BeforeAll
    static void warmUp() throws Exception {
        Kernel.warmUp(); // JNA's Cleaner must not be born in a namespace-joining thread
        new ProcessBuilder("true").start().waitFor(); // nor the JDK's process reaper
    }

    private NetworkDefinition definition(Ipv4Subnet subnet, boolean nat) {
        return new NetworkDefinition(tag, tag + "br", subnet, tag, nat ? "JBOX" : tag.toUpperCase(), nat);
    }

    @Test
    void twoContainersTalkToTheHostAndToEachOtherOverTcpAndUdp() throws IOException {
        NetworkDefinition definition = definition(NetTestSupport.freeSubnet(), false);
        try (Netns host = Netns.engine(); Netns one = Netns.create(); Netns two = Netns.create()) {
            Network network = Network.open(state, definition, host);
            try {
                Attachment a = network.attach("one", one, List.of());
                Attachment b = network.attach("two", two, List.of());
                assertThat(a.address()).isEqualTo(definition.subnet().address(2));
                assertThat(b.address()).isEqualTo(definition.subnet().address(3));
                assertThat(a.gateway()).isEqualTo(definition.subnet().gateway());
                assertThat(NetTestSupport.sh("ip", "-o", "link", "show", "master", definition.bridge()))
                        .contains(a.hostVeth()).contains(b.hostVeth());
                assertThat(inNetns(one, "ip", "-o", "-4", "addr")).contains("inet " + a.address().getHostAddress() + "/24");

                // host -> one, TCP: "one" sees the bridge's address as the client
                try (ServerSocket server = tcpServer(one, a.address(), 8000)) {
                    serveOnce(server, "one");
                    assertThat(tcpAsk(host, new InetSocketAddress(a.address(), 8000), "from host"))
                            .isEqualTo("one saw " + definition.subnet().gateway().getHostAddress() + ": from host");
                }
                // two -> one, TCP, straight across the bridge
                try (ServerSocket server = tcpServer(one, a.address(), 8001)) {
                    serveOnce(server, "one");
                    assertThat(tcpAsk(two, new InetSocketAddress(a.address(), 8001), "from two"))
                            .isEqualTo("one saw " + b.address().getHostAddress() + ": from two");
                }
                // one -> host, TCP: a server on the bridge's address
                try (ServerSocket server = tcpServer(host, a.gateway(), 0)) {
                    serveOnce(server, "host");
                    assertThat(tcpAsk(one, new InetSocketAddress(a.gateway(), server.getLocalPort()), "from one"))
                            .isEqualTo("host saw " + a.address().getHostAddress() + ": from one");
                }
                // host -> two and one -> two, UDP
                try (DatagramSocket ignored = udpServer(two, b.address(), 5300, "two")) {
                    assertThat(udpAsk(host, new InetSocketAddress(b.address(), 5300), "ping"))
                            .isEqualTo("two saw " + a.gateway().getHostAddress() + ": ping");
                }
                try (DatagramSocket ignored = udpServer(two, b.address(), 5301, "two")) {
                    assertThat(udpAsk(one, new InetSocketAddress(b.address(), 5301), "ping"))
                            .isEqualTo("two saw " + a.address().getHostAddress() + ": ping");
                }
            } finally {
                network.detach("one");
                network.detach("two");
                network.remove();
            }
            assertThat(network.addresses().allocations()).isEmpty();
            try (NetlinkRoute onHost = NetlinkRoute.open()) {
                assertThat(onHost.link(definition.bridge())).isEmpty();
            }
        }
    }

    @Test
    void detachWorksAfterTheContainersNamespaceIsGone() throws InterruptedException {
        NetworkDefinition definition = definition(NetTestSupport.freeSubnet(), false);
        try (Netns host = Netns.engine()) {
            Network network = Network.open(state, definition, host);
            try {
                String veth;
                try (Netns container = Netns.create()) {
                    veth = network.attach("gone", container, List.of()).hostVeth();
                }
                // the container's namespace died, and with it its end of the cable, and so the whole pair
                try (NetlinkRoute onHost = NetlinkRoute.open()) {
                    long deadline = System.nanoTime() + 10_000_000_000L;
                    while (onHost.link(veth).isPresent() && System.nanoTime() < deadline) {
                        Thread.sleep(20);
                    }
                    assertThat(onHost.link(veth)).isEmpty();
                }
                network.detach("gone");
                network.detach("gone"); // twice is fine
                assertThat(network.addresses().allocations()).isEmpty();
            } finally {
                network.detach("gone");
                network.remove();
            }
        }
    }

    @Test
    void natPublishesPortsMasqueradesAndCleansUpInASandboxHost() throws Exception {
        Ipv4Subnet subnet = Ipv4Subnet.parse("10.77.0.0/16"); // the real default: safe inside the sandbox
        NetworkDefinition definition = definition(subnet, true);
        try (Netns sandbox = Netns.create(); Netns world = Netns.create(); Netns c = Netns.create()) {
            Network network = Network.open(state, definition, sandbox);
            connectWorld(sandbox, world);
            // A FORWARD policy of DROP, as Docker leaves it: our own FORWARD chain must be enough.
            inNetns(sandbox, "iptables", "-P", "FORWARD", "DROP");
            // A new namespace copies ip_forward from the host's (net.core.devconf_inherit_init_net=0),
            // which another jbox may have turned on: start from a machine that does not forward.
            inNetns(sandbox, "sysctl", "-qw", "net.ipv4.ip_forward=0");
            assertThat(Sysctl.read(sandbox, IpForwarding.KEY)).isEqualTo("0");
            Firewall firewall = network.firewall().orElseThrow();
            String hostForwarding = Files.readString(Path.of("/proc/sys/net/ipv4/ip_forward"));
            try {
                Attachment a = network.attach("web", c, List.of(PortMapping.parse("8080:80"), PortMapping.parse("5353:53/udp")));
                String gateway = a.gateway().getHostAddress();
                assertThat(Sysctl.read(sandbox, IpForwarding.KEY)).isEqualTo("1");
                assertThat(network.forwarding().changedByJbox()).isTrue();
                assertThat(Files.readString(Path.of("/proc/sys/net/ipv4/ip_forward")))
                        .as("the real host's ip_forward").isEqualTo(hostForwarding);
                assertThat(firewall.published()).containsExactly(
                        new PublishedPorts.Published("web", PortMapping.parse("8080:80")),
                        new PublishedPorts.Published("web", PortMapping.parse("5353:53/udp")));

                // world -> host:8080 reaches the container's port 80 (DNAT keeps the client's address)
                try (ServerSocket server = tcpServer(c, a.address(), 80)) {
                    serveOnce(server, "web");
                    assertThat(tcpAsk(world, new InetSocketAddress("198.51.100.1", 8080), "GET /"))
                            .isEqualTo("web saw 198.51.100.2: GET /");
                }
                // the host's own 127.0.0.1:8080 reaches it too (route_localnet + masquerade to the bridge's address)
                try (ServerSocket server = tcpServer(c, a.address(), 80)) {
                    serveOnce(server, "web");
                    assertThat(tcpAsk(sandbox, new InetSocketAddress("127.0.0.1", 8080), "GET /local"))
                            .isEqualTo("web saw " + gateway + ": GET /local");
                }
                // UDP: world -> host:5353 -> container:53
                try (DatagramSocket ignored = udpServer(c, a.address(), 53, "dns")) {
                    assertThat(udpAsk(world, new InetSocketAddress("198.51.100.1", 5353), "query"))
                            .isEqualTo("dns saw 198.51.100.2: query");
                }
                // container -> world: masqueraded, the world sees the host's address
                try (ServerSocket server = tcpServer(world, ip("198.51.100.2"), 9000)) {
                    serveOnce(server, "world");
                    assertThat(tcpAsk(c, new InetSocketAddress("198.51.100.2", 9000), "hello"))
                            .isEqualTo("world saw 198.51.100.1: hello");
                }
                // a second container: base rules are not duplicated, its port may not clash
                try (Netns d = Netns.create()) {
                    List<String> before = firewall.rules();
                    network.attach("other", d, List.of());
                    assertThat(firewall.rules()).isEqualTo(before);
                    assertThatThrownBy(() -> firewall.publish("other", ip("10.77.0.3"), List.of(PortMapping.parse("8080:81"))))
                            .isInstanceOf(JboxException.class)
                            .hasMessage("host port 8080/tcp is already published by container web; choose another host port");
                    network.detach("other");
                }

                network.detach("web");
                assertThat(firewall.published()).isEmpty();
            } finally {
                network.detach("web");
                network.detach("other");
                network.remove();
            }
            assertThat(firewall.rules()).isEmpty();
            assertThat(inNetns(sandbox, "iptables-save")).doesNotContain("JBOX");
            assertThat(Sysctl.read(sandbox, IpForwarding.KEY)).isEqualTo("0");
            assertThat(network.forwarding().changedByJbox()).isFalse();
            try (NetlinkRoute inSandbox = sandbox.netlink()) {
                assertThat(inSandbox.link(definition.bridge())).isEmpty();
            }
        }
    }

    /**
     * route_localnet lets a container that rewrites its own routes send packets to the host's
     * 127.0.0.1 (CVE-2020-8558). Shown with UDP, where one packet is enough: with the raw-table
     * guard the host's loopback-only service hears nothing; without it, it does.
     */
    @Test
    void aContainerCannotReachTheHostsLoopbackDespiteRouteLocalnet() throws Exception {
        NetworkDefinition definition = definition(Ipv4Subnet.parse("10.77.0.0/16"), true);
        try (Netns sandbox = Netns.create(); Netns c = Netns.create()) {
            Network network = Network.open(state, definition, sandbox);
            try (NetlinkRoute inSandbox = sandbox.netlink()) {
                inSandbox.setUp("lo");
            }
            try {
                Attachment a = network.attach("attacker", c, List.of(PortMapping.parse("127.0.0.1:8080:80")));
                // the attacker (root in its container) routes 127.0.0.1 to the gateway
                inNetns(c, "ip", "route", "del", "local", "127.0.0.0/8", "dev", "lo", "table", "local");
                inNetns(c, "ip", "route", "del", "local", "127.0.0.1", "dev", "lo", "table", "local");
                inNetns(c, "ip", "route", "add", "127.0.0.1/32", "via", a.gateway().getHostAddress(), "dev", "eth0");
                inNetns(c, "sysctl", "-qw", "net.ipv4.conf.eth0.route_localnet=1");

                assertThat(loopbackServiceHears(sandbox, c)).as("with the guard").isFalse();
                inNetns(sandbox, "iptables", "-t", "raw", "-D", "JBOX-PREROUTING", "-d", "127.0.0.0/8", "-i",
                        definition.bridge(), "-j", "DROP");
                assertThat(loopbackServiceHears(sandbox, c)).as("without the guard").isTrue();
            } finally {
                network.detach("attacker");
                network.remove();
            }
        }
    }

    private static boolean loopbackServiceHears(Netns host, Netns attacker) throws IOException {
        try (DatagramSocket service = host.call(() -> new DatagramSocket(new InetSocketAddress("127.0.0.1", 7777)))) {
            service.setSoTimeout(1000);
            DatagramSocket sender = attacker.call(DatagramSocket::new);
            try (sender) {
                byte[] bytes = "reboot".getBytes(StandardCharsets.UTF_8);
                sender.send(new DatagramPacket(bytes, bytes.length, new InetSocketAddress("127.0.0.1", 7777)));
            }
            try {
                service.receive(new DatagramPacket(new byte[64], 64));
                return true;
            } catch (SocketTimeoutException e) {
                return false;
            }
        }
    }

    @Test
    void aSubnetThatOverlapsAHostRouteIsRefusedWithOneLine() {
        try (Netns sandbox = Netns.create(); Netns c = Netns.create(); Netns world = Netns.create()) {
            connectWorld(sandbox, world); // the sandbox host has 198.51.100.0/24 on up0
            NetworkDefinition definition = definition(Ipv4Subnet.parse("198.51.0.0/16"), false);
            Network network = Network.open(state, definition, sandbox);
            assertThatThrownBy(() -> network.attach("c", c, List.of()))
                    .isInstanceOf(JboxException.class)
                    .hasMessage("subnet 198.51.0.0/16 of network " + tag + " overlaps the host's route 198.51.100.0/24 dev up0;"
                            + " choose a free subnet with JBOX_SUBNET (e.g. JBOX_SUBNET=10.78.0.0/16)");
            assertThat(network.addresses().allocations()).isEmpty(); // the address went back
        }
    }

    /** The sandbox host's "uplink": up0 198.51.100.1/24 <-> world's eth0 198.51.100.2/24 (TEST-NET-2). */
    private static void connectWorld(Netns sandbox, Netns world) {
        try (NetlinkRoute inSandbox = sandbox.netlink(); NetlinkRoute inWorld = world.netlink()) {
            inSandbox.setUp("lo");
            inSandbox.createVeth("up0", "eth0", world.fd());
            inSandbox.addAddress("up0", ip("198.51.100.1"), 24);
            inSandbox.setUp("up0");
            inWorld.setUp("lo");
            inWorld.addAddress("eth0", ip("198.51.100.2"), 24);
            inWorld.setUp("eth0");
        }
    }
}
