package dev.jbox.network;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.jbox.FileTrees;
import dev.jbox.JboxException;
import dev.jbox.Json;
import dev.jbox.LockFile;
import dev.jbox.DataRoot;
import dev.jbox.kernel.NetlinkRoute;
import dev.jbox.kernel.NetlinkRoute.Link;
import dev.jbox.kernel.NetlinkRoute.Route;
import java.io.IOException;
import java.net.Inet4Address;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The networks of a store, by name, as Docker names them: {@code bridge} (the default, on
 * {@code jbox0}), {@code host} (the host's own network namespace), {@code none} (loopback only),
 * and user networks made with {@code jbox network create}, each on a bridge of its own, whose
 * containers find each other by name and cannot reach the containers of other networks.
 *
 * <p>A user network is a file, {@code networks/NAME/network.json}, plus its bridge and its
 * rules, made at once (as {@code docker network create} makes its bridge). The default network
 * is made on first use. Everything here is undone by {@link #reset}.
 */
public final class NetworkStore implements AutoCloseable {
    public static final String BRIDGE = "bridge", HOST = "host", NONE = "none";
    /** Where user networks get a subnet when none is given: the lowest free /24 of 10.78.0.0/16. */
    static final Ipv4Subnet POOL = Ipv4Subnet.parse("10.78.0.0/16");
    static final int POOL_PREFIX = 24;
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]{0,62}");
    private static final String DEFINITION = "network.json";

    /** What {@code network.json} holds. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record DefinitionFile(String name, String bridge, String subnet, String created) {
    }

    private final Path root;
    private final NetworkPrefix prefix;
    private final Ipv4Subnet defaultSubnet;
    private final Netns host;
    private final boolean ownsHost;

    private NetworkStore(Path root, NetworkPrefix prefix, Ipv4Subnet defaultSubnet, Netns host, boolean ownsHost) {
        this.root = root;
        this.prefix = prefix;
        this.defaultSubnet = defaultSubnet;
        this.host = host;
        this.ownsHost = ownsHost;
    }

    /** The store's networks, named after JBOX_NETWORK_PREFIX and JBOX_SUBNET, in the engine's network namespace. */
    public static NetworkStore open(DataRoot store) {
        return new NetworkStore(stateRoot(store), NetworkPrefix.fromEnvironment(), NetworkDefinition.defaultSubnet(),
                Netns.engine(), true);
    }

    /** Any prefix, any "host" namespace (tests use one of their own); {@code host} stays the caller's to close. */
    public static NetworkStore open(Path root, NetworkPrefix prefix, Ipv4Subnet defaultSubnet, Netns host) {
        return new NetworkStore(root, prefix, defaultSubnet, host, false);
    }

    static Path stateRoot(DataRoot store) {
        return store.root().resolve("networks");
    }

    /** bridge, host and none exist in every store and cannot be made or removed. */
    public static boolean isPredefined(String name) {
        return Set.of(BRIDGE, HOST, NONE).contains(name);
    }

    public NetworkPrefix prefix() {
        return prefix;
    }

    public NetworkDefinition defaultNetwork() {
        return prefix.definition(BRIDGE, prefix.bridge(0), defaultSubnet);
    }

    /** A network containers plug into ({@code bridge} or a user network); empty for host, none or an unknown name. */
    public Optional<NetworkDefinition> find(String name) {
        if (name.equals(BRIDGE)) {
            return Optional.of(defaultNetwork());
        }
        if (isPredefined(name) || !NAME.matcher(name).matches()) {
            return Optional.empty();
        }
        return read(root.resolve(name).resolve(DEFINITION)).map(this::toDefinition);
    }

    /** Like {@link #find}, but an unknown name is the user's error. */
    public NetworkDefinition get(String name) {
        return find(name).orElseThrow(() -> new JboxException("no such network: '" + name
                + "'; 'jbox network ls' lists the networks, 'jbox network create " + name + "' makes it"));
    }

    /** The user networks, oldest first. */
    public List<NetworkDefinition> userNetworks() {
        return definitions().stream().map(this::toDefinition).toList();
    }

    /** When a user network was made (null for the default network). */
    public String created(String name) {
        return read(root.resolve(name).resolve(DEFINITION)).map(DefinitionFile::created).orElse(null);
    }

    /** The network {@code definition} as it lives on the host, to plug containers in. */
    public Network network(NetworkDefinition definition) {
        return Network.open(root, definition, host);
    }

    /** Runs {@code action} under the lock every change to the store's networks takes. */
    public <T> T locked(Supplier<T> action) {
        try (LockFile ignored = LockFile.acquire(root.resolve("lock"))) {
            return action.get();
        }
    }

    /**
     * Makes a user network: checks the name and the subnet (given, or the lowest free /24 of
     * 10.78.0.0/16), writes its definition, creates its bridge and its rules. On failure nothing
     * of it is left.
     */
    public NetworkDefinition create(String name, Ipv4Subnet requested) {
        if (isPredefined(name)) {
            throw new JboxException("'" + name + "' is a pre-defined network (bridge, host, none); choose another name");
        }
        if (!NAME.matcher(name).matches()) {
            throw new JboxException("invalid network name '" + name
                    + "': use letters, digits, '_', '.' and '-', starting with a letter or digit");
        }
        return locked(() -> {
            if (find(name).isPresent()) {
                throw new JboxException("network '" + name + "' already exists; remove it first (jbox network rm " + name
                        + ") or choose another name");
            }
            List<NetworkDefinition> existing = new ArrayList<>(userNetworks());
            existing.add(0, defaultNetwork());
            List<Route> routes;
            Set<String> links;
            try (NetlinkRoute onHost = host.netlink()) {
                routes = onHost.routes();
                links = onHost.links().stream().map(Link::name).collect(Collectors.toSet());
            }
            Ipv4Subnet subnet = requested != null ? checkFree(requested, existing, routes)
                    : choose(existing.stream().map(NetworkDefinition::subnet).toList(), routes);
            NetworkDefinition definition = prefix.definition(name, freeBridge(existing, links), subnet);
            write(root.resolve(name), new DefinitionFile(name, definition.bridge(), subnet.toString(), Instant.now().toString()));
            try {
                network(definition).setUp();
            } catch (RuntimeException e) {
                try {
                    removeNetwork(definition);
                } catch (RuntimeException undo) {
                    e.addSuppressed(undo);
                }
                throw e;
            }
            return definition;
        });
    }

    private Ipv4Subnet checkFree(Ipv4Subnet subnet, List<NetworkDefinition> existing, List<Route> routes) {
        if (subnet.prefixLength() > 30) {
            throw new JboxException("subnet " + subnet + " has no room for a bridge and a container; use /30 or wider");
        }
        for (NetworkDefinition n : existing) {
            if (n.subnet().overlaps(subnet)) {
                throw new JboxException("subnet " + subnet + " overlaps network " + n.name() + " (" + n.subnet()
                        + "); choose another with --subnet");
            }
        }
        Optional<Route> clash = Bridge.overlappingRoute(routes, subnet, 0);
        if (clash.isPresent()) {
            Route r = clash.get();
            throw new JboxException("subnet " + subnet + " overlaps the host's route " + Ipv4Subnet.of(r.destination(),
                    r.prefixLength()) + "; choose another with --subnet");
        }
        return subnet;
    }

    /** The lowest /24 of the pool that overlaps neither a network of the store nor a route of the host. */
    static Ipv4Subnet choose(List<Ipv4Subnet> taken, List<Route> routes) {
        for (long n = 0; n < POOL.size(); n += 1L << (32 - POOL_PREFIX)) {
            Ipv4Subnet candidate = Ipv4Subnet.of(POOL.address(n), POOL_PREFIX);
            if (taken.stream().noneMatch(candidate::overlaps) && Bridge.overlappingRoute(routes, candidate, 0).isEmpty()) {
                return candidate;
            }
        }
        throw new JboxException("no free /" + POOL_PREFIX + " left in " + POOL + "; give one with --subnet");
    }

    private String freeBridge(List<NetworkDefinition> existing, Set<String> links) {
        for (int n = 1; ; n++) {
            String bridge = prefix.bridge(n);
            if (existing.stream().noneMatch(c -> c.bridge().equals(bridge)) && !links.contains(bridge)) {
                return bridge;
            }
        }
    }

    /**
     * Removes a user network: its rules, its bridge and its definition. Refused while containers
     * are attached ({@code attachedNames} names them for the message).
     */
    public void remove(String name, List<String> attachedNames) {
        if (isPredefined(name)) {
            throw new JboxException("'" + name + "' is a pre-defined network and cannot be removed");
        }
        locked(() -> {
            NetworkDefinition definition = get(name);
            int attached = network(definition).addresses().allocations().size();
            if (attached > 0) {
                throw new JboxException("network " + name + " has " + attached + " container(s) attached ("
                        + String.join(", ", attachedNames) + "); remove them first (jbox rm -f "
                        + String.join(" ", attachedNames) + ")");
            }
            removeNetwork(definition);
            return null;
        });
    }

    private void removeNetwork(NetworkDefinition definition) {
        network(definition).remove();
        FileTrees.delete(root.resolve(definition.name()));
    }

    /**
     * Removes every network of the store, whatever is still attached: the veths on their bridges,
     * the bridges, the address files, jbox's iptables chains, and puts ip_forward back. Returns a
     * line per thing done, for the user ("removed network front (bridge jbox1, 10.78.0.0/24)").
     * Containers should be gone first (their veths die with them).
     */
    public List<String> reset() {
        return locked(() -> {
            List<String> removed = new ArrayList<>();
            List<NetworkDefinition> all = new ArrayList<>(userNetworks());
            all.add(0, defaultNetwork());
            for (NetworkDefinition n : all) {
                Network network = network(n);
                for (String id : network.addresses().allocations().keySet()) {
                    network.detach(id);
                    removed.add("removed the attachment of container " + id.substring(0, Math.min(12, id.length())) + " to " + n.name());
                }
            }
            // The chains go first, whatever they still hold; then each network finds no rules to delete.
            List<String> family = new ArrayList<>(Firewall.in(host, defaultNetwork()).removeFamily());
            new IpForwarding(host, root).restore()
                    .ifPresent(before -> family.add("put " + IpForwarding.KEY + " back to " + before));
            try (NetlinkRoute onHost = host.netlink()) {
                for (NetworkDefinition n : all) {
                    Optional<Link> bridge = onHost.link(n.bridge());
                    if (bridge.isPresent()) {
                        for (Link l : onHost.links()) {
                            if (l.masterIndex() == bridge.get().index()) {
                                Veth.delete(onHost, l.name());
                                removed.add("removed link " + l.name() + " (left on " + n.bridge() + ")");
                            }
                        }
                    }
                    if (bridge.isPresent() || !n.name().equals(BRIDGE)) {
                        removed.add("removed network " + n.name() + " (bridge " + n.bridge() + ", " + n.subnet() + ")");
                    }
                    network(n).remove();
                    FileTrees.delete(root.resolve(n.name()));
                }
                for (Link l : onHost.links()) {
                    if ("veth".equals(l.kind()) && l.name().startsWith(prefix.vethPrefix())) {
                        Veth.delete(onHost, l.name());
                        removed.add("removed link " + l.name() + " (left over)");
                    }
                }
            }
            removed.addAll(family);
            return removed;
        });
    }

    private List<DefinitionFile> definitions() {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> dirs = Files.list(root)) {
            return dirs.map(d -> read(d.resolve(DEFINITION))).flatMap(Optional::stream)
                    .sorted(Comparator.comparing(DefinitionFile::created)).toList();
        } catch (IOException e) {
            throw new JboxException("cannot list " + root + ": " + e.getMessage());
        }
    }

    private NetworkDefinition toDefinition(DefinitionFile d) {
        return prefix.definition(d.name(), d.bridge(), Ipv4Subnet.parse(d.subnet()));
    }

    private static Optional<DefinitionFile> read(Path file) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Json.mapper().readValue(file.toFile(), DefinitionFile.class));
        } catch (IOException e) {
            throw new JboxException("cannot read " + file + " (" + e.getMessage().lines().findFirst().orElse("")
                    + "); fix or remove it");
        }
    }

    private static void write(Path dir, DefinitionFile d) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new JboxException("cannot create " + dir + ": " + e.getMessage());
        }
        Json.writeAtomically(dir.resolve(DEFINITION), d);
    }

    /** Each network's attachments: container id to address, for {@code network ls} and {@code inspect}. */
    public Map<String, Inet4Address> attachments(NetworkDefinition definition) {
        return network(definition).addresses().allocations();
    }

    @Override
    public void close() {
        if (ownsHost) {
            host.close();
        }
    }
}
