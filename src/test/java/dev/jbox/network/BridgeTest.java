package dev.jbox.network;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jbox.kernel.NetlinkRoute.Route;
import java.util.List;
import org.junit.jupiter.api.Test;

class BridgeTest {
    private static Route route(String cidr, int oif) {
        Ipv4Subnet s = Ipv4Subnet.parse(cidr);
        return new Route(254, s.prefixLength() == 0 ? null : s.address(0), s.prefixLength(), null, oif, 1);
    }

    @Test
    void aDefaultRouteOrTheBridgesOwnRouteIsNoClash() {
        List<Route> routes = List.of(route("0.0.0.0/0", 2), route("192.0.2.0/24", 2), route("10.77.0.0/16", 9));
        assertThat(Bridge.overlappingRoute(routes, Ipv4Subnet.parse("10.77.0.0/16"), 9)).isEmpty();
    }

    @Test
    void anyOtherOverlapIsOne() {
        List<Route> routes = List.of(route("0.0.0.0/0", 2), route("10.0.0.0/8", 3));
        assertThat(Bridge.overlappingRoute(routes, Ipv4Subnet.parse("10.77.0.0/16"), 0))
                .map(Route::toString).contains("10.0.0.0/8");
        assertThat(Bridge.overlappingRoute(List.of(route("10.77.5.0/24", 3)), Ipv4Subnet.parse("10.77.0.0/16"), 0))
                .isPresent();
    }
}
