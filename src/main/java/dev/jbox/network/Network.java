package dev.jbox.network;

import dev.jbox.LockFile;
import dev.jbox.JboxException;
import dev.jbox.kernel.NetlinkRoute;
import java.net.Inet4Address;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * One network as it lives on the host: its bridge, its rules, the addresses of its containers.
 * It plugs containers in and unplugs them: what the engine calls at run and rm.
 *
 * <pre>
 *   host namespace                                 container namespace
 *   jbox0 (bridge, 10.77.0.1/16) -- jbox-3fa81c ==veth== eth0 (10.77.0.2/16, default via 10.77.0.1)
 *   iptables: JBOX (published ports), JBOX-POSTROUTING (masquerade), JBOX-FORWARD, JBOX-ISOLATION,
 *   JBOX-PREROUTING
 * </pre>
 *
 * Attach before the container's command starts (while its init waits for "go"), so the command
 * finds {@code eth0} ready. State lives under {@code STATE/NAME/} (the address file), beside
 * {@code STATE/lock} and {@code STATE/ip_forward.before}, which all networks of a store share;
 * published ports are read back from iptables, tagged with the container id, so
 * {@link #detach} needs nothing but the id, even from another process or after a crash.
 */
public final class Network {
    private final NetworkDefinition definition;
    private final Netns host;
    private final Path lock;
    private final IpAllocator addresses;
    private final Firewall firewall;
    private final IpForwarding forwarding;

    private Network(Path stateRoot, NetworkDefinition definition, Netns host) {
        this.definition = definition;
        this.host = host;
        // One lock for all networks of the store: they share the iptables chains (and so the check
        // that a host port is published once) and the ip_forward record.
        this.lock = stateRoot.resolve("lock");
        this.addresses = new IpAllocator(stateRoot.resolve(definition.name()), definition.subnet());
        this.firewall = definition.nat() ? Firewall.in(host, definition) : null;
        this.forwarding = new IpForwarding(host, stateRoot);
    }

    /**
     * The network {@code definition}, with its state under {@code stateRoot} and its bridge in
     * {@code host} (tests use a namespace of their own as the "host"). {@code host} stays the
     * caller's to close.
     */
    public static Network open(Path stateRoot, NetworkDefinition definition, Netns host) {
        return new Network(stateRoot, definition, host);
    }

    public NetworkDefinition definition() {
        return definition;
    }

    public IpAllocator addresses() {
        return addresses;
    }

    /** The network's firewall (NAT, published ports, filtering), or empty if the network has no NAT. */
    public Optional<Firewall> firewall() {
        return Optional.ofNullable(firewall);
    }

    IpForwarding forwarding() {
        return forwarding;
    }

    /**
     * Runs {@code action} holding the lock that every change to this store's networks takes:
     * what must stay consistent with attachments (e.g. the containers' /etc/hosts) is done in it.
     */
    public <T> T locked(Supplier<T> action) {
        try (LockFile ignored = LockFile.acquire(lock)) {
            return action.get();
        }
    }

    /** Makes sure the bridge, its address and this network's iptables rules exist (cheap if they do). */
    public void setUp() {
        try (LockFile ignored = LockFile.acquire(lock); NetlinkRoute onHost = host.netlink()) {
            Bridge.ensure(onHost, definition);
            if (firewall != null) {
                firewall.ensure();
                enableForwarding();
            }
        }
    }

    /**
     * Gives the container an address, makes sure the bridge (and NAT) exist, creates the veth
     * pair with {@code eth0} inside {@code container}, configures eth0, lo and the default route
     * there, and publishes {@code ports} (refused if a program of the host already uses one).
     * On failure, undoes what it did and rethrows.
     */
    // tag::attach[]
    public Attachment attach(String containerId, Netns container, List<PortMapping> ports) {
        if (!ports.isEmpty() && firewall == null) {
            throw new JboxException("network " + definition.name() + " has no NAT, so it cannot publish ports " + ports);
        }
        String veth = Veth.hostName(definition, containerId);
        Inet4Address gateway = definition.subnet().gateway();
        int prefix = definition.subnet().prefixLength();
        try (LockFile ignored = LockFile.acquire(lock)) {
            Inet4Address address = addresses.allocate(containerId);
            boolean vethMade = false;
            try (NetlinkRoute onHost = host.netlink()) {
                try {
                    Bridge.ensure(onHost, definition);
                    // After the bridge, whose address may be the one a port is published on.
                    HostPorts.checkFree(host, ports);
                    Veth.create(onHost, veth, container, Veth.CONTAINER_INTERFACE);
                    vethMade = true;
                    onHost.setMaster(veth, definition.bridge());
                    onHost.setUp(veth);
                    try (NetlinkRoute inside = container.netlink()) {
                        Veth.configureContainerSide(inside, Veth.CONTAINER_INTERFACE, address, prefix, gateway);
                    }
                    if (firewall != null) {
                        firewall.ensureAndPublish(containerId, address, ports);
                        enableForwarding();
                    }
                } catch (RuntimeException e) {
                    undo(e, () -> {
                        if (firewall != null) {
                            firewall.unpublish(containerId);
                        }
                    });
                    if (vethMade) {
                        undo(e, () -> Veth.delete(onHost, veth));
                    }
                    undo(e, () -> addresses.release(containerId));
                    throw e;
                }
            }
            return new Attachment(containerId, definition.name(), veth, Veth.CONTAINER_INTERFACE, address, prefix, gateway,
                    ports);
        }
    }
    // end::attach[]

    /**
     * Unplugs the container: its published ports, its veth pair (already gone if its namespace
     * died with it) and its address. Safe to call twice, or for a container never attached.
     */
    public void detach(String containerId) {
        detach(containerId, true);
    }

    /**
     * {@link #detach(String)}, skipping the read of the iptables rules (a process, about 4 ms)
     * when the caller knows the container published no port.
     */
    public void detach(String containerId, boolean publishedPorts) {
        try (LockFile ignored = LockFile.acquire(lock)) {
            if (firewall != null && publishedPorts) {
                firewall.unpublish(containerId);
            }
            try (NetlinkRoute onHost = host.netlink()) {
                Veth.delete(onHost, Veth.hostName(definition, containerId));
            }
            addresses.release(containerId);
        }
    }

    /**
     * Deletes the bridge and this network's rules, and with the last network the chains, and
     * restores ip_forward: the network as if it had never been used. Refused while containers
     * are attached.
     */
    public void remove() {
        try (LockFile ignored = LockFile.acquire(lock)) {
            int attached = addresses.allocations().size();
            if (attached > 0) {
                throw new JboxException("network " + definition.name() + " still has " + attached
                        + " container(s) attached; remove them first");
            }
            if (firewall != null && firewall.remove()) {
                forwarding.restore();
            }
            try (NetlinkRoute onHost = host.netlink()) {
                Bridge.remove(onHost, definition);
            }
        }
    }

    /**
     * What NAT needs of the kernel besides rules: forwarding, and route_localnet on the bridge,
     * so that connections from the host's 127.0.0.1 to a published port may leave through it.
     */
    private void enableForwarding() {
        Sysctl.write(host, "net.ipv4.conf." + definition.bridge() + ".route_localnet", "1");
        forwarding.enable();
    }

    /** Runs one step of a rollback; its failure is attached to the error that caused the rollback. */
    private static void undo(RuntimeException cause, Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            cause.addSuppressed(e);
        }
    }
}
