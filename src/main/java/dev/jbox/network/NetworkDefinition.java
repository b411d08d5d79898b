package dev.jbox.network;

/**
 * A network's definition: its name, its bridge (which holds the subnet's first address), its
 * subnet, and the names jbox gives to what it creates for it, so that tests can use names of
 * their own beside a real jbox0. {@link Network} is the network as it lives on the host.
 *
 * <p>The default subnet is 10.77.0.0/16. 10.88.0.0/16 is podman's default and 10.89.x its
 * next networks; 172.17-172.31/16 are Docker's default pool (172.30.0.0/16 is also OpenShift's
 * service network); 10.42/10.43 are k3s', 10.244 flannel's, 10.96.0.0/12 Kubernetes' services,
 * 192.168.122 libvirt's and 192.168.56 VirtualBox's. None of those defaults uses 10.77. The
 * bridge still refuses to come up on a subnet that overlaps a route of the host
 * ({@link Bridge#ensure}), and {@code JBOX_SUBNET} chooses another one.
 *
 * @param name        the network's name, used for its files under the store
 * @param bridge      the bridge's interface name (at most 15 characters)
 * @param subnet      containers get addresses from here; the bridge gets the first one
 * @param vethPrefix  host-side veth names are this plus a hash of the container id
 * @param chainPrefix iptables chains are this, this-POSTROUTING, this-FORWARD, this-ISOLATION, this-PREROUTING
 * @param nat         whether to masquerade containers' traffic leaving the host and to publish
 *                    ports (iptables, ip_forward); without it containers reach the host and each
 *                    other only
 */
public record NetworkDefinition(String name, String bridge, Ipv4Subnet subnet, String vethPrefix, String chainPrefix,
                            boolean nat) {
    public static final Ipv4Subnet DEFAULT_SUBNET = Ipv4Subnet.parse("10.77.0.0/16");
    static final int IFNAMSIZ = 15; // the kernel's limit on an interface name, without its NUL
    static final int VETH_HASH_CHARS = 6;

    public NetworkDefinition {
        if (bridge.isEmpty() || bridge.length() > IFNAMSIZ) {
            throw new IllegalArgumentException("bridge name \"" + bridge + "\" must have 1 to 15 characters");
        }
        if (vethPrefix.length() > IFNAMSIZ - VETH_HASH_CHARS) {
            throw new IllegalArgumentException("veth prefix \"" + vethPrefix + "\" is longer than "
                    + (IFNAMSIZ - VETH_HASH_CHARS) + " characters");
        }
        if (subnet.prefixLength() > 30) {
            throw new IllegalArgumentException("subnet " + subnet + " has no room for a bridge and a container; use /30 or wider");
        }
    }

    /** {@code JBOX_SUBNET}, or 10.77.0.0/16. */
    public static Ipv4Subnet defaultSubnet() {
        String subnet = System.getenv("JBOX_SUBNET");
        if (subnet == null || subnet.isBlank()) {
            return DEFAULT_SUBNET;
        }
        try {
            return Ipv4Subnet.parse(subnet.trim());
        } catch (IllegalArgumentException e) {
            throw new dev.jbox.JboxException("JBOX_SUBNET: " + e.getMessage());
        }
    }
}
