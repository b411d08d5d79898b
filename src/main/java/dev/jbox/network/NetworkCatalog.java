package dev.jbox.network;

import dev.jbox.LockFile;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.jbox.FileTrees;
import dev.jbox.JboxException;
import dev.jbox.DataRoot;
import dev.jbox.kernel.NetlinkRoute;
import dev.jbox.kernel.NetlinkRoute.Link;
import dev.jbox.kernel.NetlinkRoute.Route;
import java.io.IOException;
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
public final class NetworkCatalog implements AutoCloseable {
    public static final String BRIDGE = "bridge", HOST = "host", NONE = "none";
    /** Where user networks get a subnet when none is given: the lowest free /24 of 10.78.0.0/16. */
    static final Ipv4Subnet POOL = Ipv4Subnet.parse("10.78.0.0/16");
    static final int POOL_PREFIX = 24;
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]{0,62}");
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final String DEFINITION = "network.json";

    /** What {@code network.json} holds. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Definition(String name, String bridge, String subnet, String created) {
    }

    private final Path root;
    private final NetworkNames names;
    private final Ipv4Subnet defaultSubnet;
    private final Netns host;
    private final boolean ownsHost;

    private NetworkCatalog(Path root, NetworkNames names, Ipv4Subnet defaultSubnet, Netns host, boolean ownsHost) {
        this.root = root;
        this.names = names;
        this.defaultSubnet = defaultSubnet;
        this.host = host;
        this.ownsHost = ownsHost;
    }

    /** The store's networks, named after JBOX_NETWORK_PREFIX and JBOX_SUBNET, in the engine's network namespace. */
    public static NetworkCatalog open(DataRoot store) {
        NetworkNames names = NetworkNames.fromEnvironment();
        Ipv4Subnet subnet = NetworkConfig.defaultSubnet();
        return new NetworkCatalog(stateRoot(store), names, subnet, Netns.engine(), true);
    }

    /** Any names, any "host" namespace (tests use one of their own); {@code host} stays the caller's to close. */
    public static NetworkCatalog open(Path root, NetworkNames names, Ipv4Subnet defaultSubnet, Netns host) {
        return new NetworkCatalog(root, names, defaultSubnet, host, false);
    }

    static Path stateRoot(DataRoot store) {
        return store.root().resolve("networks");
    }

    /** bridge, host and none exist in every store and cannot be made or removed. */
    public static boolean isPredefined(String name) {
        return Set.of(BRIDGE, HOST, NONE).contains(name);
    }

    public NetworkNames names() {
        return names;
    }

    public NetworkConfig defaultNetwork() {
        return names.config(BRIDGE, names.bridge(0), defaultSubnet);
    }

    /** A network containers plug into ({@code bridge} or a user network); empty for host, none or an unknown name. */
    public Optional<NetworkConfig> find(String name) {
        if (name.equals(BRIDGE)) {
            return Optional.of(defaultNetwork());
        }
        if (isPredefined(name) || !NAME.matcher(name).matches()) {
            return Optional.empty();
        }
        return read(root.resolve(name).resolve(DEFINITION)).map(this::toConfig);
    }

    /** Like {@link #find}, but an unknown name is the user's error. */
    public NetworkConfig get(String name) {
        return find(name).orElseThrow(() -> new JboxException("no such network: '" + name
                + "'; 'jbox network ls' lists the networks, 'jbox network create " + name + "' makes it"));
    }

    /** The user networks, oldest first. */
    public List<NetworkConfig> userNetworks() {
        return definitions().stream().map(this::toConfig).toList();
    }

    /** When a user network was made (null for the default network). */
    public String created(String name) {
        return read(root.resolve(name).resolve(DEFINITION)).map(Definition::created).orElse(null);
    }

    public Networks networks(NetworkConfig config) {
        return Networks.open(root, config, host);
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
    public NetworkConfig create(String name, Ipv4Subnet requested) {
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
            List<NetworkConfig> existing = new ArrayList<>(userNetworks());
            existing.add(0, defaultNetwork());
            List<Route> routes;
            Set<String> links;
            try (NetlinkRoute onHost = host.netlink()) {
                routes = onHost.routes();
                links = onHost.links().stream().map(Link::name).collect(Collectors.toSet());
            }
            Ipv4Subnet subnet = requested != null ? checkFree(requested, existing, routes)
                    : choose(existing.stream().map(NetworkConfig::subnet).toList(), routes);
            NetworkConfig config = names.config(name, freeBridge(existing, links), subnet);
            write(root.resolve(name), new Definition(name, config.bridge(), subnet.toString(), Instant.now().toString()));
            try {
                networks(config).setUp();
            } catch (RuntimeException e) {
                try {
                    removeNetwork(config);
                } catch (RuntimeException undo) {
                    e.addSuppressed(undo);
                }
                throw e;
            }
            return config;
        });
    }

    private Ipv4Subnet checkFree(Ipv4Subnet subnet, List<NetworkConfig> existing, List<Route> routes) {
        if (subnet.prefixLength() > 30) {
            throw new JboxException("subnet " + subnet + " has no room for a bridge and a container; use /30 or wider");
        }
        for (NetworkConfig n : existing) {
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

    private String freeBridge(List<NetworkConfig> existing, Set<String> links) {
        for (int n = 1; ; n++) {
            String bridge = names.bridge(n);
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
            NetworkConfig config = get(name);
            int attached = networks(config).addresses().allocations().size();
            if (attached > 0) {
                throw new JboxException("network " + name + " has " + attached + " container(s) attached ("
                        + String.join(", ", attachedNames) + "); remove them first (jbox rm -f "
                        + String.join(" ", attachedNames) + ")");
            }
            removeNetwork(config);
            return null;
        });
    }

    private void removeNetwork(NetworkConfig config) {
        networks(config).remove();
        FileTrees.delete(root.resolve(config.name()));
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
            List<NetworkConfig> all = new ArrayList<>(userNetworks());
            all.add(0, defaultNetwork());
            for (NetworkConfig n : all) {
                Networks networks = networks(n);
                for (String id : networks.addresses().allocations().keySet()) {
                    networks.detach(id);
                    removed.add("removed the attachment of container " + id.substring(0, Math.min(12, id.length())) + " to " + n.name());
                }
            }
            // The chains go first, whatever they still hold; then each network finds no rules to delete.
            List<String> family = new Nat(defaultNetwork(), host, root).removeFamily();
            try (NetlinkRoute onHost = host.netlink()) {
                for (NetworkConfig n : all) {
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
                    networks(n).remove();
                    FileTrees.delete(root.resolve(n.name()));
                }
                for (Link l : onHost.links()) {
                    if ("veth".equals(l.kind()) && l.name().startsWith(names.vethPrefix())) {
                        Veth.delete(onHost, l.name());
                        removed.add("removed link " + l.name() + " (left over)");
                    }
                }
            }
            removed.addAll(family);
            return removed;
        });
    }

    private List<Definition> definitions() {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> dirs = Files.list(root)) {
            return dirs.map(d -> read(d.resolve(DEFINITION))).flatMap(Optional::stream)
                    .sorted(Comparator.comparing(Definition::created)).toList();
        } catch (IOException e) {
            throw new JboxException("cannot list " + root + ": " + e.getMessage());
        }
    }

    private NetworkConfig toConfig(Definition d) {
        return names.config(d.name(), d.bridge(), Ipv4Subnet.parse(d.subnet()));
    }

    private static Optional<Definition> read(Path file) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(file.toFile(), Definition.class));
        } catch (IOException e) {
            throw new JboxException("cannot read " + file + " (" + e.getMessage().lines().findFirst().orElse("")
                    + "); fix or remove it");
        }
    }

    private static void write(Path dir, Definition d) {
        try {
            Files.createDirectories(dir);
            Path tmp = dir.resolve(DEFINITION + ".tmp");
            JSON.writeValue(tmp.toFile(), d);
            Files.move(tmp, dir.resolve(DEFINITION), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new JboxException("cannot write " + dir.resolve(DEFINITION) + ": " + e.getMessage());
        }
    }


    /** Each network's attachments: container id to address, for {@code network ls} and {@code inspect}. */
    public Map<String, java.net.Inet4Address> attachments(NetworkConfig config) {
        return networks(config).addresses().allocations();
    }

    @Override
    public void close() {
        if (ownsHost) {
            host.close();
        }
    }
}
