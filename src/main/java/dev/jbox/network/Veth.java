package dev.jbox.network;

import dev.jbox.kernel.Errno;
import dev.jbox.kernel.NetlinkException;
import dev.jbox.kernel.NetlinkRoute;
import java.net.Inet4Address;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A veth pair is a virtual cable: what goes in one end comes out of the other. One end stays
 * on the host, plugged into the bridge; the other lives in the container's network namespace
 * as its {@code eth0}.
 */
public final class Veth {
    public static final String CONTAINER_INTERFACE = "eth0";

    private Veth() {
    }

    /** The host end's name: the network's prefix plus a hash of the container id, e.g. {@code jbox-3fa81c}. */
    public static String hostName(NetworkDefinition config, String containerId) {
        int room = NetworkDefinition.IFNAMSIZ - config.vethPrefix().length();
        return config.vethPrefix() + sha256Hex(containerId).substring(0, room);
    }

    /**
     * Creates the pair in one request, the container's end born inside {@code container}
     * already named {@code containerName}: no temporary name on the host that could clash.
     */
    public static void create(NetlinkRoute host, String hostName, Netns container, String containerName) {
        host.createVeth(hostName, containerName, container.fd());
    }

    /**
     * The same result in the three steps most tutorials show ({@code ip link add ... peer ...},
     * {@code ip link set ... netns ...}, {@code ip netns exec ... ip link set ... name eth0}),
     * for comparison: three requests, two sockets, and a temporary name on the host.
     */
    public static void createMoveRename(NetlinkRoute host, String hostName, Netns container, String containerName) {
        String temporary = ("t" + hostName).substring(0, Math.min(hostName.length() + 1, NetworkDefinition.IFNAMSIZ));
        host.createVeth(hostName, temporary);
        try {
            host.moveToNetns(temporary, container.fd());
            try (NetlinkRoute inside = container.netlink()) {
                inside.rename(temporary, containerName);
            }
        } catch (RuntimeException e) {
            delete(host, hostName);
            throw e;
        }
    }

    /**
     * Inside the container: loopback up, the address on {@code name}, {@code name} up, and the
     * default route through the bridge. {@code inside} must be a socket in the container's namespace.
     */
    public static void configureContainerSide(NetlinkRoute inside, String name, Inet4Address address, int prefixLength,
                                              Inet4Address gateway) {
        inside.setUp("lo");
        inside.addAddress(name, address, prefixLength);
        inside.setUp(name);
        inside.addDefaultRoute(gateway);
    }

    /** Deletes the pair through its host end; false if it was already gone (as when the container's namespace died). */
    public static boolean delete(NetlinkRoute host, String hostName) {
        try {
            host.deleteLink(hostName);
            return true;
        } catch (NetlinkException e) {
            if (e.errno() == Errno.ENODEV) {
                return false;
            }
            throw e;
        }
    }

    private static String sha256Hex(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
