package dev.jbox.network;

import dev.jbox.JboxException;
import dev.jbox.kernel.Errno;
import dev.jbox.kernel.NetlinkException;
import dev.jbox.kernel.NetlinkRoute;
import dev.jbox.kernel.NetlinkRoute.Link;
import dev.jbox.kernel.NetlinkRoute.Route;
import java.net.Inet4Address;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The host side of a network: a software switch (a Linux bridge) that every container's veth
 * plugs into, holding the subnet's first address so it is the containers' gateway.
 */
public final class Bridge {
    private Bridge() {
    }

    /**
     * Makes sure the bridge exists, holds the gateway address and is up; does only what is
     * missing, so it is cheap to call before every attach and safe when two engines race.
     * A new bridge is refused if its subnet overlaps one of the host's routes: containers would
     * shadow, or be shadowed by, a network the host already reaches.
     */
    public static Link ensure(NetlinkRoute host, NetworkDefinition config) {
        Optional<Link> existing = host.link(config.bridge());
        if (existing.isEmpty()) {
            refuseOverlap(host, config);
            ignoreExisting(() -> host.createBridge(config.bridge()));
        }
        Link bridge = host.link(config.bridge()).orElseThrow();
        if (!"bridge".equals(bridge.kind())) {
            throw new JboxException(config.bridge() + " exists but is a " + (bridge.kind() == null ? "device" : bridge.kind())
                    + ", not a bridge; delete it (ip link del " + config.bridge() + ") or name another bridge");
        }
        Inet4Address gateway = config.subnet().gateway();
        int prefix = config.subnet().prefixLength();
        boolean hasAddress = host.addresses().stream().anyMatch(a -> a.index() == bridge.index()
                && a.address().equals(gateway) && a.prefixLength() == prefix);
        if (!hasAddress) {
            ignoreExisting(() -> host.addAddress(config.bridge(), gateway, prefix));
        }
        if (!bridge.up()) {
            host.setUp(config.bridge());
        }
        return host.link(config.bridge()).orElseThrow();
    }

    /** Deletes the bridge if it exists (its address and route go with it). */
    public static void remove(NetlinkRoute host, NetworkDefinition config) {
        try {
            host.deleteLink(config.bridge());
        } catch (NetlinkException e) {
            if (e.errno() != Errno.ENODEV) {
                throw e;
            }
        }
    }

    /** The first route of the host, other than a default route or one through the bridge itself, that overlaps the subnet. */
    static Optional<Route> overlappingRoute(List<Route> routes, Ipv4Subnet subnet, int bridgeIndex) {
        return routes.stream()
                .filter(r -> !r.isDefault() && r.destination() != null)
                .filter(r -> bridgeIndex == 0 || r.outputIndex() != bridgeIndex)
                .filter(r -> Ipv4Subnet.of(r.destination(), r.prefixLength()).overlaps(subnet))
                .findFirst();
    }

    private static void refuseOverlap(NetlinkRoute host, NetworkDefinition config) {
        Optional<Route> clash = overlappingRoute(host.routes(), config.subnet(), 0);
        if (clash.isPresent()) {
            Map<Integer, String> names = host.links().stream().collect(Collectors.toMap(Link::index, Link::name));
            Route r = clash.get();
            String device = r.outputIndex() == 0 ? "" : " dev " + names.getOrDefault(r.outputIndex(), "#" + r.outputIndex());
            throw new JboxException("subnet " + config.subnet() + " of network " + config.name() + " overlaps the host's route "
                    + Ipv4Subnet.of(r.destination(), r.prefixLength()) + device
                    + "; choose a free subnet with JBOX_SUBNET (e.g. JBOX_SUBNET=10.78.0.0/16)");
        }
    }

    /** Runs a create request, accepting that another engine created the same thing first. */
    static void ignoreExisting(Runnable create) {
        try {
            create.run();
        } catch (NetlinkException e) {
            if (e.errno() != Errno.EEXIST) {
                throw e;
            }
        }
    }
}
