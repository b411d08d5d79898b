package dev.jbox.network;

import dev.jbox.LockFile;
import dev.jbox.JboxException;
import dev.jbox.DataRoot;
import dev.jbox.kernel.NetlinkRoute;
import java.net.Inet4Address;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Plugs containers into one network and unplugs them: what the engine calls at run and rm.
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
public final class Networks implements AutoCloseable {
    private final NetworkConfig config;
    private final Netns host;
    private final boolean ownsHost;
    private final Path directory;
    private final Path lock;
    private final IpAllocator addresses;
    private final Nat nat;

    private Networks(Path stateRoot, NetworkConfig config, Netns host, boolean ownsHost) {
        this.config = config;
        this.host = host;
        this.ownsHost = ownsHost;
        this.directory = stateRoot.resolve(config.name());
        // One lock for all networks of the store: they share the iptables chains (and so the check
        // that a host port is published once) and the ip_forward record.
        this.lock = stateRoot.resolve("lock");
        this.addresses = new IpAllocator(directory, config.subnet());
        this.nat = config.nat() ? new Nat(config, host, stateRoot) : null;
    }

    /** jbox's default network ({@link NetworkConfig#defaults()}) in the engine's own namespace. */
    public static Networks open(DataRoot store) {
        return new Networks(NetworkCatalog.stateRoot(store), NetworkConfig.defaults(), Netns.engine(), true);
    }

    /**
     * Any network, with its bridge in {@code host} (tests use a namespace of their own as the
     * "host"). {@code host} stays the caller's to close.
     */
    public static Networks open(Path stateRoot, NetworkConfig config, Netns host) {
        return new Networks(stateRoot, config, host, false);
    }

    public NetworkConfig config() {
        return config;
    }

    public IpAllocator addresses() {
        return addresses;
    }

    /** The network's NAT, or empty if the network has none. */
    public Optional<Nat> nat() {
        return Optional.ofNullable(nat);
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
            Bridge.ensure(onHost, config);
            if (nat != null) {
                nat.ensure();
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
        if (!ports.isEmpty() && nat == null) {
            throw new JboxException("network " + config.name() + " has no NAT, so it cannot publish ports " + ports);
        }
        String veth = Veth.hostName(config, containerId);
        Inet4Address gateway = config.subnet().gateway();
        int prefix = config.subnet().prefixLength();
        try (LockFile ignored = LockFile.acquire(lock)) {
            Inet4Address address = addresses.allocate(containerId);
            boolean vethMade = false;
            try (NetlinkRoute onHost = host.netlink()) {
                try {
                    Bridge.ensure(onHost, config);
                    // After the bridge, whose address may be the one a port is published on.
                    HostPorts.checkFree(host, ports);
                    Veth.create(onHost, veth, container, Veth.CONTAINER_INTERFACE);
                    vethMade = true;
                    onHost.setMaster(veth, config.bridge());
                    onHost.setUp(veth);
                    try (NetlinkRoute inside = container.netlink()) {
                        Veth.configureContainerSide(inside, Veth.CONTAINER_INTERFACE, address, prefix, gateway);
                    }
                    if (nat != null) {
                        nat.ensureAndPublish(containerId, address, ports);
                    }
                } catch (RuntimeException e) {
                    undo(e, () -> {
                        if (nat != null) {
                            nat.unpublish(containerId);
                        }
                    });
                    if (vethMade) {
                        undo(e, () -> Veth.delete(onHost, veth));
                    }
                    undo(e, () -> addresses.release(containerId));
                    throw e;
                }
            }
            return new Attachment(containerId, config.name(), veth, Veth.CONTAINER_INTERFACE, address, prefix, gateway,
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
            if (nat != null && publishedPorts) {
                nat.unpublish(containerId);
            }
            try (NetlinkRoute onHost = host.netlink()) {
                Veth.delete(onHost, Veth.hostName(config, containerId));
            }
            addresses.release(containerId);
        }
    }

    /**
     * Deletes the bridge and the NAT chains and restores ip_forward: the network as if it had
     * never been used. Refused while containers are attached.
     */
    public void remove() {
        try (LockFile ignored = LockFile.acquire(lock)) {
            int attached = addresses.allocations().size();
            if (attached > 0) {
                throw new JboxException("network " + config.name() + " still has " + attached
                        + " container(s) attached; remove them first");
            }
            if (nat != null) {
                nat.remove();
            }
            try (NetlinkRoute onHost = host.netlink()) {
                Bridge.remove(onHost, config);
            }
        }
    }

    @Override
    public void close() {
        if (ownsHost) {
            host.close();
        }
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
