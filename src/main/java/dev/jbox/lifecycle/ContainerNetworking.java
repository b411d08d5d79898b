package dev.jbox.lifecycle;

import static dev.jbox.network.EtcFiles.HOSTNAME;
import static dev.jbox.network.EtcFiles.HOSTS;
import static dev.jbox.network.EtcFiles.RESOLV_CONF;

import dev.jbox.DataRoot;
import dev.jbox.JboxException;
import dev.jbox.engine.EngineContext;
import dev.jbox.engine.Feature;
import dev.jbox.engine.RunRequest;
import dev.jbox.lifecycle.ContainerRecord.NetworkEndpoint;
import dev.jbox.network.Attachment;
import dev.jbox.network.EtcFiles;
import dev.jbox.network.Netns;
import dev.jbox.network.Network;
import dev.jbox.network.NetworkDefinition;
import dev.jbox.network.NetworkStore;
import dev.jbox.network.PortMapping;
import dev.jbox.spec.ContainerSpec;
import dev.jbox.spec.Namespace;
import java.io.IOException;
import java.net.Inet4Address;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Plugs a container into the network its record names, and unplugs it: where the lifecycle
 * meets {@link dev.jbox.network}. With no daemon, the work happens in whichever jbox command
 * is there: {@code run} plugs in (after the container is created, before it starts), and
 * {@code rm}, or the next command after the container ended, unplugs.
 *
 * <p>Names on a user network resolve through {@code /etc/hosts}: every member's file lists the
 * others, and is rewritten in place whenever a container joins or leaves (under the network
 * lock). Docker answers names from a DNS server inside its daemon; jbox has no process that
 * outlives a command to do that, and the files cost one small write per member per change.
 */
public final class ContainerNetworking implements Feature {
    private final ContainerStore containers;
    private final DataRoot store;

    public ContainerNetworking(EngineContext context) {
        this.containers = context.containers();
        this.store = context.root();
    }

    @Override
    public String name() {
        return "networking";
    }

    @Override
    public Set<String> options() {
        return Set.of("--network", "--net", "-p", "--publish");
    }

    // tag::prepare[]
    /**
     * Checks the network and ports before anything is made, and gives the container its
     * /etc/hosts, /etc/hostname and /etc/resolv.conf. With the host's network comes the host's
     * name, as in Docker (unless --hostname says otherwise), and no network namespace.
     */
    @Override
    public ContainerRecord prepare(RunRequest request, ContainerRecord record, ContainerSpec.Builder spec) {
        boolean ownNetns = request.namespaces() == null || request.namespaces().contains(Namespace.NET);
        String network = networkName(request.network(), ownNetns);
        if (network.equals(NetworkStore.HOST)) {
            spec.withoutNamespace(Namespace.NET);
            if (request.hostname() == null) {
                spec.hostname(hostHostname());
            }
        }
        record = record.toBuilder().network(network).ports(portSpecs(request.publish(), network)).build();
        String hostname = spec.build().hostname();
        for (Map.Entry<String, Path> f : prepareFiles(record, hostname).entrySet()) {
            spec.bindFile(f.getValue(), f.getKey());
        }
        return record;
    }
    // end::prepare[]

    @Override
    public ContainerRecord created(ContainerRecord record, int pid) {
        return connect(record, pid);
    }

    @Override
    public ContainerRecord release(ContainerRecord record) {
        return record.endpoint() == null ? record : disconnect(record);
    }

    /** The network to plug into, checked before anything is made; without a network namespace only the host's. */
    private String networkName(String requested, boolean ownNetns) {
        String n = requested != null ? requested : ownNetns ? NetworkStore.BRIDGE : NetworkStore.HOST;
        if (n.equals(NetworkStore.HOST)) {
            return n;
        }
        if (!ownNetns) {
            throw new JboxException("--network " + n + " needs a network namespace; add net to --namespaces, or use --network host");
        }
        if (!n.equals(NetworkStore.NONE)) {
            try (NetworkStore catalog = NetworkStore.open(store)) {
                catalog.get(n);
            }
        }
        return n;
    }

    /** The -p options, checked and written the one way ("127.0.0.1:8080:80/tcp"). */
    private static List<String> portSpecs(List<String> publish, String network) {
        if (publish.isEmpty()) {
            return List.of();
        }
        if (network.equals(NetworkStore.HOST) || network.equals(NetworkStore.NONE)) {
            throw new JboxException("-p needs a network with NAT: with --network " + network
                    + " there is nothing to publish (drop -p, or use --network bridge)");
        }
        List<String> specs = new ArrayList<>();
        for (String p : publish) {
            try {
                specs.add(PortMapping.parse(p).toString());
            } catch (IllegalArgumentException e) {
                throw new JboxException("invalid -p " + p + ": " + e.getMessage());
            }
        }
        return specs;
    }

    private static String hostHostname() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
        } catch (IOException e) {
            throw new JboxException("cannot read the host's name from /proc/sys/kernel/hostname: " + e.getMessage());
        }
    }

    /** Whether the container has an interface on a bridge (bridge or a user network), not host's or none. */
    public static boolean plugsIn(ContainerRecord c) {
        return !c.networkName().equals(NetworkStore.HOST) && !c.networkName().equals(NetworkStore.NONE);
    }

    /**
     * Writes the container's /etc/hosts (without its address yet), /etc/hostname and
     * /etc/resolv.conf into its directory, and says where the runtime must mount each.
     */
    // tag::prepare-files[]
    private Map<String, Path> prepareFiles(ContainerRecord c, String hostname) {
        Path dir = containers.dirOf(c);
        Map<String, String> content = new LinkedHashMap<>();
        if (c.networkName().equals(NetworkStore.HOST)) {
            // The host's network, so the host's names and its resolver, loopback ones included.
            content.put(HOSTS, EtcFiles.hostFile(HOSTS));
            content.put(RESOLV_CONF, EtcFiles.hostFile(RESOLV_CONF));
        } else {
            content.put(HOSTS, EtcFiles.hosts(null, c.networkName(), List.of()));
            content.put(RESOLV_CONF, EtcFiles.resolvConf());
        }
        content.put(HOSTNAME, hostname + "\n");
        EtcFiles.writeAll(dir, content);
        Map<String, Path> mounts = new LinkedHashMap<>();
        mounts.put("/etc/hosts", dir.resolve(HOSTS));
        mounts.put("/etc/hostname", dir.resolve(HOSTNAME));
        mounts.put("/etc/resolv.conf", dir.resolve(RESOLV_CONF));
        return mounts;
    }
    // end::prepare-files[]

    /**
     * Plugs the created (not yet started) container whose first process is {@code pid} into its
     * network, publishes its ports and writes the /etc/hosts files; returns the record with its
     * endpoint. On failure nothing of the attachment is left.
     */
    // tag::connect[]
    public ContainerRecord connect(ContainerRecord c, int pid) {
        if (!plugsIn(c)) {
            return c;
        }
        List<PortMapping> ports = c.ports().stream().map(PortMapping::parse).toList();
        try (NetworkStore networks = NetworkStore.open(store)) {
            NetworkDefinition definition = networks.get(c.networkName());
            Network network = networks.network(definition);
            return network.locked(() -> {
                Attachment a;
                try (Netns netns = Netns.ofProcess(pid)) {
                    a = network.attach(c.id(), netns, ports);
                }
                try {
                    writeHosts(network, definition, c.id());
                } catch (RuntimeException e) {
                    network.detach(c.id(), !ports.isEmpty());
                    throw e;
                }
                return c.withEndpoint(new NetworkEndpoint(a.address().getHostAddress(), a.gateway().getHostAddress(),
                        a.prefixLength(), a.hostVeth()));
            });
        }
    }
    // end::connect[]

    /**
     * Unplugs the container (safe when it was never plugged in, or when it is half gone) and
     * takes it out of the other members' /etc/hosts; returns the record without its endpoint.
     */
    public ContainerRecord disconnect(ContainerRecord c) {
        if (!plugsIn(c)) {
            return c;
        }
        try (NetworkStore networks = NetworkStore.open(store)) {
            Optional<NetworkDefinition> definition = networks.find(c.networkName());
            if (definition.isPresent()) {
                Network network = networks.network(definition.get());
                network.locked(() -> {
                    network.detach(c.id(), !c.ports().isEmpty());
                    writeHosts(network, definition.get(), null);
                    return null;
                });
            }
        }
        return c.withEndpoint(null);
    }

    /**
     * Rewrites /etc/hosts of the joining container ({@code joining}) and, on a user network, of
     * every member so that each lists the others. The default network resolves no names, as
     * Docker's: there only the joining container's own line is written.
     */
    private void writeHosts(Network network, NetworkDefinition definition, String joining) {
        Map<String, Inet4Address> members = network.addresses().allocations();
        Map<String, ContainerRecord> records = containers.list().stream()
                .filter(r -> members.containsKey(r.id()))
                .collect(Collectors.toMap(ContainerRecord::id, Function.identity(), (a, b) -> a, LinkedHashMap::new));
        boolean resolvesNames = !definition.name().equals(NetworkStore.BRIDGE);
        for (ContainerRecord member : records.values()) {
            if (!member.id().equals(joining) && !resolvesNames) {
                continue;
            }
            Path file = containers.dirOf(member).resolve(HOSTS);
            if (!Files.exists(file)) {
                continue; // being removed right now
            }
            List<EtcFiles.Entry> peers = new ArrayList<>();
            if (resolvesNames) {
                records.values().stream().filter(r -> !r.id().equals(member.id()))
                        .forEach(r -> peers.add(new EtcFiles.Entry(members.get(r.id()), List.of(r.name()))));
            }
            EtcFiles.Entry self = new EtcFiles.Entry(members.get(member.id()), List.of(member.hostname(), member.name()));
            EtcFiles.writeInPlace(file, EtcFiles.hosts(self, definition.name(), peers));
        }
    }
}
