package dev.jbox.kernel;

import java.net.Inet4Address;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code ip link}, {@code ip addr} and {@code ip route} do, as rtnetlink requests on one
 * socket. Each method's comment gives the {@code ip} command it stands for. The socket, and so
 * every request, acts on the network namespace it was opened in: {@link #open()} for the
 * calling thread's, {@link #openInNetns} for another one.
 *
 * <p>Failures are {@link NetlinkException}s naming the request as it would be typed, e.g.
 * {@code RTM_NEWLINK veth jbox-a1b2c3 peer eth0: EEXIST (File exists)}.
 * Not thread-safe; open one per thread, they are cheap.
 */
public final class NetlinkRoute implements AutoCloseable {
    // Message types (linux/rtnetlink.h)
    static final int RTM_NEWLINK = 16, RTM_DELLINK = 17, RTM_GETLINK = 18, RTM_SETLINK = 19,
            RTM_NEWADDR = 20, RTM_GETADDR = 22, RTM_NEWROUTE = 24, RTM_GETROUTE = 26;
    // Request flags for "new" messages
    static final int NLM_F_EXCL = 0x200, NLM_F_CREATE = 0x400;
    // Families
    static final int AF_UNSPEC = 0, AF_INET = 2;
    // Link attributes (linux/if_link.h)
    static final int IFLA_IFNAME = 3, IFLA_MTU = 4, IFLA_MASTER = 10, IFLA_LINKINFO = 18,
            IFLA_NET_NS_FD = 28, IFLA_INFO_KIND = 1, IFLA_INFO_DATA = 2, VETH_INFO_PEER = 1;
    static final int IFF_UP = 0x1;
    // Address attributes (linux/if_addr.h)
    static final int IFA_ADDRESS = 1, IFA_LOCAL = 2;
    // Route attributes and values (linux/rtnetlink.h)
    static final int RTA_DST = 1, RTA_OIF = 4, RTA_GATEWAY = 5, RTA_TABLE = 15;
    public static final int RT_TABLE_MAIN = 254;
    static final int RTPROT_BOOT = 3, RT_SCOPE_UNIVERSE = 0, RTN_UNICAST = 1;
    private static final int IFINFOMSG_SIZE = 16, IFADDRMSG_SIZE = 8, RTMSG_SIZE = 12;
    private static final int IFNAMSIZ = 16; // with the terminating NUL

    /** A network interface, as {@code ip link show} lists it. {@code kind} is null for physical ones. */
    public record Link(int index, String name, String kind, int masterIndex, boolean up, int mtu) {
    }

    /** An IPv4 address on link {@code index}. */
    public record Address(int index, Inet4Address address, int prefixLength) {
        @Override
        public String toString() {
            return address.getHostAddress() + "/" + prefixLength;
        }
    }

    /**
     * An IPv4 route. {@code destination} is null for the default route; {@code gateway} is
     * null for a route to a directly attached network; {@code outputIndex} is 0 when none is set.
     */
    public record Route(int table, Inet4Address destination, int prefixLength, Inet4Address gateway, int outputIndex,
                        int type) {
        public boolean isDefault() {
            return prefixLength == 0;
        }

        @Override
        public String toString() {
            return (destination == null ? "default" : destination.getHostAddress() + "/" + prefixLength)
                    + (gateway == null ? "" : " via " + gateway.getHostAddress());
        }
    }

    private final NetlinkSocket socket;

    private NetlinkRoute(NetlinkSocket socket) {
        this.socket = socket;
    }

    /** A socket in the calling thread's network namespace. */
    public static NetlinkRoute open() {
        return new NetlinkRoute(NetlinkSocket.open());
    }

    /**
     * A socket in the network namespace {@code netnsFd} refers to (an open {@code /proc/PID/ns/net}
     * or {@code /run/netns/NAME}). A socket belongs to the namespace of the thread that creates
     * it, so a short-lived thread joins that namespace, opens the socket and ends; the socket
     * then works from any thread, and no engine thread ever changes namespace.
     */
    public static NetlinkRoute openInNetns(int netnsFd) {
        // JNA's Cleaner thread starts with the first native Memory. Started from the short-lived
        // thread below, it would inherit, and keep alive, the namespace that thread joins.
        Kernel.warmUp();
        return new NetlinkRoute(ContainerThread.call("netlink-netns-" + netnsFd, () -> {
            Kernel.setns(netnsFd, Kernel.CLONE_NEWNET, "network namespace");
            return NetlinkSocket.open();
        }));
    }

    // ---- Links ---------------------------------------------------------------------------

    // tag::create-bridge[]
    /** {@code ip link add NAME type bridge} */
    public void createBridge(String name) {
        socket.request(new NetlinkMessage(RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL)
                .ifinfomsg(AF_UNSPEC, 0, 0, 0)
                .string(IFLA_IFNAME, checkName(name))
                .begin(IFLA_LINKINFO).string(IFLA_INFO_KIND, "bridge").end(),
                "RTM_NEWLINK bridge " + name);
    }
    // end::create-bridge[]

    /** {@code ip link add NAME type veth peer name PEER}: both ends in this namespace. */
    public void createVeth(String name, String peer) {
        socket.request(veth(name, peer, -1), "RTM_NEWLINK veth " + name + " peer " + peer);
    }

    /**
     * {@code ip link add NAME type veth peer name PEER netns NS}: the peer is born inside the
     * namespace {@code peerNetnsFd}, already named there, in one request (no temporary name in
     * this namespace, nothing to move or rename afterwards).
     */
    public void createVeth(String name, String peer, int peerNetnsFd) {
        socket.request(veth(name, peer, peerNetnsFd),
                "RTM_NEWLINK veth " + name + " peer " + peer + " netns fd " + peerNetnsFd);
    }

    // tag::veth-message[]
    private static NetlinkMessage veth(String name, String peer, int peerNetnsFd) {
        NetlinkMessage m = new NetlinkMessage(RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL)
                .ifinfomsg(AF_UNSPEC, 0, 0, 0)
                .string(IFLA_IFNAME, checkName(name))
                .begin(IFLA_LINKINFO)
                .string(IFLA_INFO_KIND, "veth")
                .begin(IFLA_INFO_DATA)
                .begin(VETH_INFO_PEER)
                .ifinfomsg(AF_UNSPEC, 0, 0, 0) // the peer is described like a link of its own
                .string(IFLA_IFNAME, checkName(peer));
        if (peerNetnsFd >= 0) {
            m.u32(IFLA_NET_NS_FD, peerNetnsFd);
        }
        return m.end().end().end();
    }
    // end::veth-message[]

    /** {@code ip link del NAME} (deleting either end of a veth pair deletes both). */
    public void deleteLink(String name) {
        socket.request(new NetlinkMessage(RTM_DELLINK, 0)
                .ifinfomsg(AF_UNSPEC, 0, 0, 0)
                .string(IFLA_IFNAME, checkName(name)), "RTM_DELLINK " + name);
    }

    /** {@code ip link set NAME netns NS}: the link leaves this namespace for {@code netnsFd}'s. */
    public void moveToNetns(String name, int netnsFd) {
        socket.request(new NetlinkMessage(RTM_SETLINK, 0)
                .ifinfomsg(AF_UNSPEC, index(name), 0, 0)
                .u32(IFLA_NET_NS_FD, netnsFd), "RTM_SETLINK " + name + " netns fd " + netnsFd);
    }

    /** {@code ip link set NAME name NEW_NAME} (the link must be down). */
    public void rename(String name, String newName) {
        socket.request(new NetlinkMessage(RTM_SETLINK, 0)
                .ifinfomsg(AF_UNSPEC, index(name), 0, 0)
                .string(IFLA_IFNAME, checkName(newName)), "RTM_SETLINK " + name + " name " + newName);
    }

    /** {@code ip link set NAME up} */
    public void setUp(String name) {
        socket.request(new NetlinkMessage(RTM_SETLINK, 0)
                .ifinfomsg(AF_UNSPEC, index(name), IFF_UP, IFF_UP), "RTM_SETLINK " + name + " up");
    }

    /** {@code ip link set NAME master BRIDGE}: plugs the link into the bridge like a cable into a switch. */
    public void setMaster(String name, String bridge) {
        int master = index(bridge);
        socket.request(new NetlinkMessage(RTM_SETLINK, 0)
                .ifinfomsg(AF_UNSPEC, index(name), 0, 0)
                .u32(IFLA_MASTER, master), "RTM_SETLINK " + name + " master " + bridge);
    }

    /** {@code ip link show NAME}, or empty if there is no such link here. */
    public Optional<Link> link(String name) {
        try {
            return Optional.of(toLink(socket.get(new NetlinkMessage(RTM_GETLINK, 0)
                    .ifinfomsg(AF_UNSPEC, 0, 0, 0)
                    .string(IFLA_IFNAME, checkName(name)), "RTM_GETLINK " + name)));
        } catch (NetlinkException e) {
            if (e.errno() == Errno.ENODEV) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** {@code ip link show} */
    public List<Link> links() {
        List<Link> links = new ArrayList<>();
        for (NetlinkReply reply : socket.dump(new NetlinkMessage(RTM_GETLINK, 0)
                .ifinfomsg(AF_UNSPEC, 0, 0, 0), "RTM_GETLINK dump")) {
            if (reply.type() == RTM_NEWLINK) {
                links.add(toLink(reply));
            }
        }
        return links;
    }

    /**
     * The interface index of {@code name} in this socket's namespace. (libc's if_nametoindex
     * would ask the calling thread's namespace, which is not necessarily this one.)
     */
    public int index(String name) {
        return link(name).orElseThrow(() -> new NetlinkException("RTM_GETLINK " + name, Errno.ENODEV, null)).index();
    }

    private static Link toLink(NetlinkReply reply) {
        ByteBuffer p = reply.payload();
        Map<Integer, ByteBuffer> a = reply.attributes(IFINFOMSG_SIZE);
        String kind = null;
        if (a.containsKey(IFLA_LINKINFO)) {
            ByteBuffer k = NetlinkReply.parseAttributes(a.get(IFLA_LINKINFO), 0).get(IFLA_INFO_KIND);
            kind = k == null ? null : NetlinkReply.string(k);
        }
        return new Link(p.getInt(4), NetlinkReply.string(a.get(IFLA_IFNAME)), kind,
                a.containsKey(IFLA_MASTER) ? a.get(IFLA_MASTER).getInt(0) : 0,
                (p.getInt(8) & IFF_UP) != 0,
                a.containsKey(IFLA_MTU) ? a.get(IFLA_MTU).getInt(0) : 0);
    }

    // ---- Addresses -----------------------------------------------------------------------

    // tag::add-address[]
    /** {@code ip addr add ADDRESS/PREFIX dev NAME} */
    public void addAddress(String name, Inet4Address address, int prefixLength) {
        byte[] bytes = address.getAddress();
        socket.request(new NetlinkMessage(RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL)
                .ifaddrmsg(AF_INET, prefixLength, RT_SCOPE_UNIVERSE, index(name))
                .bytes(IFA_LOCAL, bytes)
                .bytes(IFA_ADDRESS, bytes),
                "RTM_NEWADDR " + address.getHostAddress() + "/" + prefixLength + " dev " + name);
    }
    // end::add-address[]

    /** {@code ip -4 addr show} */
    public List<Address> addresses() {
        List<Address> addresses = new ArrayList<>();
        for (NetlinkReply reply : socket.dump(new NetlinkMessage(RTM_GETADDR, 0)
                .ifaddrmsg(AF_INET, 0, 0, 0), "RTM_GETADDR dump")) {
            Map<Integer, ByteBuffer> a = reply.attributes(IFADDRMSG_SIZE);
            ByteBuffer local = a.getOrDefault(IFA_LOCAL, a.get(IFA_ADDRESS));
            if (local != null) {
                addresses.add(new Address(reply.payload().getInt(4), NetlinkReply.ipv4(local),
                        Byte.toUnsignedInt(reply.payload().get(1))));
            }
        }
        return addresses;
    }

    // ---- Routes --------------------------------------------------------------------------

    /** {@code ip route add default via GATEWAY} */
    public void addDefaultRoute(Inet4Address gateway) {
        socket.request(new NetlinkMessage(RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL)
                .rtmsg(AF_INET, 0, RT_TABLE_MAIN, RTPROT_BOOT, RT_SCOPE_UNIVERSE, RTN_UNICAST)
                .bytes(RTA_GATEWAY, gateway.getAddress()),
                "RTM_NEWROUTE default via " + gateway.getHostAddress());
    }

    /** {@code ip -4 route show table all}: every IPv4 route of every table. */
    public List<Route> routes() {
        List<Route> routes = new ArrayList<>();
        for (NetlinkReply reply : socket.dump(new NetlinkMessage(RTM_GETROUTE, 0)
                .rtmsg(AF_INET, 0, 0, 0, 0, 0), "RTM_GETROUTE dump")) {
            ByteBuffer p = reply.payload();
            Map<Integer, ByteBuffer> a = reply.attributes(RTMSG_SIZE);
            int table = a.containsKey(RTA_TABLE) ? a.get(RTA_TABLE).getInt(0) : Byte.toUnsignedInt(p.get(4));
            routes.add(new Route(table,
                    a.containsKey(RTA_DST) ? NetlinkReply.ipv4(a.get(RTA_DST)) : null,
                    Byte.toUnsignedInt(p.get(1)),
                    a.containsKey(RTA_GATEWAY) ? NetlinkReply.ipv4(a.get(RTA_GATEWAY)) : null,
                    a.containsKey(RTA_OIF) ? a.get(RTA_OIF).getInt(0) : 0,
                    Byte.toUnsignedInt(p.get(7))));
        }
        return routes;
    }

    /** The kernel answers a long name with ERANGE and "Attribute failed policy validation": say it plainly. */
    private static String checkName(String name) {
        if (name.isEmpty() || name.length() >= IFNAMSIZ || name.contains("/") || name.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("interface name \"" + name
                    + "\" must have 1 to 15 characters, no '/' and no spaces");
        }
        return name;
    }

    @Override
    public void close() {
        socket.close();
    }
}
