package dev.jbox.kernel;

import static dev.jbox.network.NetTestSupport.inNetns;
import static dev.jbox.network.NetTestSupport.ip;
import static dev.jbox.network.NetTestSupport.sh;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jbox.kernel.NetlinkRoute.Link;
import dev.jbox.network.HostLeakCheck;
import dev.jbox.network.NetTestSupport;
import dev.jbox.network.Netns;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every rtnetlink request against the real kernel, checked with the real {@code ip} command.
 * Links are named jbt*, made in the host namespace only when they are a bridge or a veth of
 * the test's own, and deleted in finally blocks; {@link HostLeakCheck} proves nothing is left.
 */
@ExtendWith(HostLeakCheck.class)
class NetlinkRouteIT {
    private final String name = NetTestSupport.uniqueName();

    @BeforeAll
    static void warmUp() {
        Kernel.warmUp(); // start JNA's Cleaner here, not in a namespace-joining thread
    }

    @Test
    void createsABridgeAddressesItBringsItUpAndDeletesIt() {
        String bridge = name + "br";
        try (NetlinkRoute host = NetlinkRoute.open()) {
            try {
                host.createBridge(bridge);
                Link link = host.link(bridge).orElseThrow();
                assertThat(link.kind()).isEqualTo("bridge");
                assertThat(link.up()).isFalse();

                host.addAddress(bridge, ip("10.213.250.1"), 24);
                host.setUp(bridge);

                assertThat(host.link(bridge).orElseThrow().up()).isTrue();
                assertThat(host.addresses()).anyMatch(a -> a.index() == link.index()
                        && a.toString().equals("10.213.250.1/24"));
                assertThat(sh("ip", "-o", "-4", "addr", "show", "dev", bridge)).contains("inet 10.213.250.1/24");
                assertThat(sh("ip", "-d", "link", "show", bridge)).contains("bridge").contains(",UP");
                assertThat(host.routes()).anyMatch(r -> r.outputIndex() == link.index()
                        && r.table() == NetlinkRoute.RT_TABLE_MAIN && r.toString().equals("10.213.250.0/24"));
            } finally {
                host.deleteLink(bridge);
            }
            assertThat(host.link(bridge)).isEmpty();
        }
    }

    @Test
    void vethEndMovedIntoANamespaceIsRenamedAndConfiguredFromInside() throws IOException {
        String bridge = name + "br";
        String hostEnd = name + "h";
        String peer = name + "p";
        try (NetlinkRoute host = NetlinkRoute.open(); Netns container = Netns.create()) {
            try {
                host.createBridge(bridge);
                host.addAddress(bridge, ip("10.213.251.1"), 24);
                host.setUp(bridge);
                host.createVeth(hostEnd, peer);
                host.setMaster(hostEnd, bridge);
                host.setUp(hostEnd);
                host.moveToNetns(peer, container.fd());
                assertThat(host.link(peer)).isEmpty();

                try (NetlinkRoute inside = NetlinkRoute.openInNetns(container.fd())) {
                    inside.rename(peer, "eth0");
                    inside.setUp("lo");
                    inside.addAddress("eth0", ip("10.213.251.2"), 24);
                    inside.setUp("eth0");
                    inside.addDefaultRoute(ip("10.213.251.1"));
                    assertThat(inside.links()).extracting(Link::name).containsExactlyInAnyOrder("lo", "eth0");
                }

                assertThat(host.link(hostEnd).orElseThrow().masterIndex()).isEqualTo(host.index(bridge));
                assertThat(sh("ip", "-o", "link", "show", hostEnd)).contains("master " + bridge);
                assertThat(inNetns(container, "ip", "-o", "-4", "addr", "show", "dev", "eth0")).contains("inet 10.213.251.2/24");
                assertThat(inNetns(container, "ip", "route")).contains("default via 10.213.251.1 dev eth0");
                // the host reaches the namespace over the bridge
                try (ServerSocket server = NetTestSupport.tcpServer(container, ip("10.213.251.2"), 7000)) {
                    NetTestSupport.serveOnce(server, "inside");
                    assertThat(NetTestSupport.tcpAsk(Netns.engine(), new InetSocketAddress("10.213.251.2", 7000), "hi"))
                            .isEqualTo("inside saw 10.213.251.1: hi");
                }
            } finally {
                quietlyDelete(host, hostEnd); // takes the peer with it
                quietlyDelete(host, bridge);
            }
        }
    }

    @Test
    void vethPeerCanBeBornInsideTheNamespace() {
        String hostEnd = name + "h";
        try (NetlinkRoute host = NetlinkRoute.open(); Netns container = Netns.create()) {
            try {
                host.createVeth(hostEnd, "eth0", container.fd());
                assertThat(host.link("eth0").map(Link::kind)).isNotEqualTo(java.util.Optional.of("veth"));
                try (NetlinkRoute inside = NetlinkRoute.openInNetns(container.fd())) {
                    assertThat(inside.link("eth0").orElseThrow().kind()).isEqualTo("veth");
                }
            } finally {
                quietlyDelete(host, hostEnd);
            }
        }
    }

    @Test
    void kernelErrorsNameTheRequestAndItsArguments() {
        String bridge = name + "br";
        try (NetlinkRoute host = NetlinkRoute.open()) {
            try {
                host.createBridge(bridge);
                assertThatThrownBy(() -> host.createBridge(bridge))
                        .isInstanceOf(NetlinkException.class)
                        .hasMessageStartingWith("RTM_NEWLINK bridge " + bridge + ": EEXIST (File exists)")
                        .extracting(e -> ((NetlinkException) e).errno()).isEqualTo(Errno.EEXIST);
                assertThatThrownBy(() -> host.createVeth(bridge, name + "p"))
                        .hasMessageStartingWith("RTM_NEWLINK veth " + bridge + " peer " + name + "p: EEXIST (File exists)");
                assertThatThrownBy(() -> host.addAddress(bridge, ip("10.213.252.1"), 33))
                        .hasMessageStartingWith("RTM_NEWADDR 10.213.252.1/33 dev " + bridge + ": EINVAL (Invalid argument)");
                assertThatThrownBy(() -> host.setUp(name + "none"))
                        .hasMessage("RTM_GETLINK " + name + "none: ENODEV (No such device)");
            } finally {
                host.deleteLink(bridge);
            }
        }
    }

    @Test
    void aSocketOpenedInsideANamespaceSeesOnlyThatNamespace() {
        try (Netns empty = Netns.create(); NetlinkRoute inside = NetlinkRoute.openInNetns(empty.fd())) {
            assertThat(inside.links()).extracting(Link::name).containsExactly("lo");
            assertThat(inside.addresses()).isEmpty(); // lo is down: not even 127.0.0.1 yet
            inside.setUp("lo");
            assertThat(inside.addresses()).extracting(Object::toString).containsExactly("127.0.0.1/8");
        }
    }

    private static void quietlyDelete(NetlinkRoute host, String link) {
        try {
            host.deleteLink(link);
        } catch (NetlinkException e) {
            if (e.errno() != Errno.ENODEV) {
                throw e;
            }
        }
    }
}
