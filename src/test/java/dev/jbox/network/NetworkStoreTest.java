package dev.jbox.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jbox.JboxException;
import dev.jbox.kernel.NetlinkRoute.Route;
import java.util.List;
import org.junit.jupiter.api.Test;

class NetworkStoreTest {
    private static Route route(String cidr) {
        Ipv4Subnet s = Ipv4Subnet.parse(cidr);
        return new Route(254, s.address(0), s.prefixLength(), null, 2, 1);
    }

    @Test
    void aNewNetworkGetsTheLowestFreeSlash24OfThePool() {
        assertThat(NetworkStore.choose(List.of(Ipv4Subnet.parse("10.77.0.0/16")), List.of()))
                .isEqualTo(Ipv4Subnet.parse("10.78.0.0/24"));
        assertThat(NetworkStore.choose(List.of(Ipv4Subnet.parse("10.78.0.0/24"), Ipv4Subnet.parse("10.78.2.0/23")),
                List.of(route("10.78.1.0/24")))).isEqualTo(Ipv4Subnet.parse("10.78.4.0/24"));
        assertThatThrownBy(() -> NetworkStore.choose(List.of(Ipv4Subnet.parse("10.0.0.0/8")), List.of()))
                .isInstanceOf(JboxException.class).hasMessage("no free /24 left in 10.78.0.0/16; give one with --subnet");
    }

    @Test
    void namesComeFromOnePrefix() {
        NetworkPrefix prefix = new NetworkPrefix("jbox");
        NetworkDefinition c = prefix.definition("backend", prefix.bridge(1), Ipv4Subnet.parse("10.99.0.0/24"));
        assertThat(c).isEqualTo(new NetworkDefinition("backend", "jbox1", Ipv4Subnet.parse("10.99.0.0/24"), "jbox-", "JBOX", true));
        assertThat(Veth.hostName(c, "0123")).hasSize(15).startsWith("jbox-");
        assertThat(Veth.hostName(new NetworkPrefix("jboxt1a2").definition("x", "jboxt1a20", Ipv4Subnet.parse("10.1.0.0/24")), "0123"))
                .hasSize(15).startsWith("jboxt1a2-");
        assertThatThrownBy(() -> new NetworkPrefix("jbox-long-prefix")).isInstanceOf(JboxException.class)
                .hasMessageContaining("JBOX_NETWORK_PREFIX");
        assertThat(NetworkStore.isPredefined("bridge")).isTrue();
        assertThat(NetworkStore.isPredefined("backend")).isFalse();
    }

    @Test
    void twoMappingsClashOnTheSamePortProtocolAndAddress() {
        assertThat(HostPorts.clash(PortMapping.parse("8080:80"), PortMapping.parse("127.0.0.1:8080:81"))).isTrue();
        assertThat(HostPorts.clash(PortMapping.parse("127.0.0.2:8080:80"), PortMapping.parse("127.0.0.1:8080:81"))).isFalse();
        assertThat(HostPorts.clash(PortMapping.parse("8080:80"), PortMapping.parse("8080:80/udp"))).isFalse();
    }
}
