package dev.jbox.network;

import dev.jbox.JboxException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Address translation and filtering for the networks of one engine, in iptables chains of jbox's
 * own so that jbox never edits a rule it did not write. All networks share one family of chains
 * (with chain prefix {@code JBOX}), as Docker's networks share its DOCKER chains; each network
 * adds its own rules to them and takes them away when it is removed:
 * <ul>
 *   <li>nat {@code JBOX}: one DNAT rule per published port, tagged {@code jbox:CONTAINER};</li>
 *   <li>nat {@code JBOX-POSTROUTING}: masquerade for containers' traffic leaving their bridge,
 *       for connections to a published port from the host's own 127.0.0.1, and for a container
 *       reaching a published port of its own network through a host address (hairpin);</li>
 *   <li>filter {@code JBOX-FORWARD}: lets containers' traffic through a FORWARD policy of DROP
 *       (which Docker sets), after sending traffic between two networks to
 *       {@code JBOX-ISOLATION}, which drops it (Docker's DOCKER-ISOLATION);</li>
 *   <li>raw {@code JBOX-PREROUTING}: the guard that makes route_localnet safe (see below).</li>
 * </ul>
 * Cleaning up is deleting a network's rules, and with the last network the chains and the one
 * jump to each.
 *
 * <p>Publishing on 127.0.0.1: a connection the host makes to 127.0.0.1:8080 is DNATed in the
 * nat OUTPUT hook to 10.77.0.2:80 and leaves through the bridge with source 127.0.0.1. The
 * kernel drops such a packet as a "martian" unless {@code route_localnet} is set on the bridge;
 * then the source must be rewritten to the bridge's address (the 127.0.0.0/8 masquerade rule),
 * or the container would answer its own loopback. Measured here: without route_localnet the
 * connection times out, with it it works. The alternative, a userland proxy (Docker's
 * docker-proxy), needs a process per port that outlives {@code jbox run -d}; jbox has no
 * daemon, so kernel DNAT it is. route_localnet's known risk (CVE-2020-8558) is that a neighbour
 * on the bridge - a container - could reach services the host binds to 127.0.0.1 by sending
 * packets to 127.0.0.1 through the bridge; the raw-table rule drops exactly those.
 *
 * <p>{@code net.ipv4.ip_forward} is needed for traffic that crosses the host: containers
 * reaching other networks, published ports reached from other machines or from containers.
 * jbox turns it on only when it is off, and records that in {@code DIR/ip_forward.before} so
 * that removing the last network puts it back.
 */
public final class Nat {
    static final String IP_FORWARD = "net.ipv4.ip_forward";
    private static final Pattern PUBLISHED = Pattern.compile(
            "^-A (\\S+) (?:-d (\\S+)/32 )?-p (tcp|udp) -m \\3 --dport (\\d+) -m comment --comment \"?jbox:([^\" ]+)\"? ");
    private static final Pattern CONTAINER_ID = Pattern.compile("[A-Za-z0-9_.-]+");

    private final NetworkConfig config;
    private final Netns host;
    private final Iptables iptables;
    private final Path forwardingRecord;

    /**
     * {@code host}: the namespace the bridge lives in; {@code stateDirectory}: where to note a
     * changed ip_forward, shared by every network of the same chain family.
     */
    public Nat(NetworkConfig config, Netns host, Path stateDirectory) {
        this.config = config;
        this.host = host;
        this.iptables = Iptables.in(host);
        this.forwardingRecord = stateDirectory.resolve("ip_forward.before");
    }

    private String dnatChain() {
        return config.chainPrefix();
    }

    private String postroutingChain() {
        return config.chainPrefix() + "-POSTROUTING";
    }

    private String forwardChain() {
        return config.chainPrefix() + "-FORWARD";
    }

    private String rawChain() {
        return config.chainPrefix() + "-PREROUTING";
    }

    private String isolationChain() {
        return config.chainPrefix() + "-ISOLATION";
    }

    /** A rule as iptables-save prints it, so presence is a string comparison; {@code first}: insert at the top. */
    private record Rule(String table, String chain, String spec, boolean first) {
        String saved() {
            return "-A " + chain + " " + spec;
        }

        String command() {
            return (first ? "-I " + chain + " 1 " : "-A " + chain + " ") + spec;
        }
    }

    /** jbox's chains by table, in a fixed order (what {@code system reset} prints follows it). */
    private Map<String, List<String>> chains() {
        Map<String, List<String>> chains = new LinkedHashMap<>();
        chains.put("nat", List.of(dnatChain(), postroutingChain()));
        chains.put("filter", List.of(forwardChain(), isolationChain()));
        chains.put("raw", List.of(rawChain()));
        return chains;
    }

    // tag::nat-rules[]
    /** The jumps from the kernel's chains into jbox's: one each, shared by every network. */
    private List<Rule> familyRules() {
        return List.of(
                // Packets for any of the host's own addresses (from outside, or made on the host itself,
                // 127.0.0.1 included) go through the published ports first. Jumps sit at the top of the
                // built-in chains so that rules inserted by other tools cannot hide containers' traffic.
                new Rule("nat", "PREROUTING", "-m addrtype --dst-type LOCAL -j " + dnatChain(), true),
                new Rule("nat", "OUTPUT", "-m addrtype --dst-type LOCAL -j " + dnatChain(), true),
                new Rule("nat", "POSTROUTING", "-j " + postroutingChain(), true),
                new Rule("filter", "FORWARD", "-j " + forwardChain(), true),
                new Rule("raw", "PREROUTING", "-j " + rawChain(), true));
    }

    /** This network's rules in the shared chains, in the order they must appear. */
    private List<Rule> networkRules() {
        String bridge = config.bridge();
        String subnet = config.subnet().toString();
        return List.of(
                // Containers' packets leaving through any other interface take the host's address on
                // it, so answers find their way back (and conntrack undoes it for them).
                new Rule("nat", postroutingChain(), "-s " + subnet + " ! -o " + bridge + " -j MASQUERADE", false),
                // A connection from the host's 127.0.0.1 to a published port leaves through the bridge
                // with the bridge's address instead, or the container would answer its own loopback.
                new Rule("nat", postroutingChain(), "-s 127.0.0.0/8 -o " + bridge + " -j MASQUERADE", false),
                // A container that reaches a published port of its own network through a host address
                // (hairpin): the server must answer through the host, which undoes the DNAT, not
                // straight across the bridge to a client that never spoke to it.
                new Rule("nat", postroutingChain(), "-s " + subnet + " -o " + bridge
                        + " -m conntrack --ctstate DNAT -j MASQUERADE", false),
                // Traffic from this network to another jbox network goes to the isolation chain, which
                // drops it - unless it is for a published port (DNAT): those are the host's services.
                new Rule("filter", forwardChain(), "-i " + bridge + " ! -o " + bridge
                        + " -m conntrack ! --ctstate DNAT -j " + isolationChain(), false),
                // From containers: to each other (bridged traffic passes FORWARD when br_netfilter is on)
                // and out of the host.
                new Rule("filter", forwardChain(), "-i " + bridge + " -j ACCEPT", false),
                // To containers: answers to their connections, and connections to published ports.
                new Rule("filter", forwardChain(), "-o " + bridge + " -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT", false),
                new Rule("filter", forwardChain(), "-o " + bridge + " -m conntrack --ctstate DNAT -j ACCEPT", false),
                // Nothing else from another interface reaches a container: not from a machine of the LAN
                // that routes the subnet through this host, whatever the FORWARD policy (Docker's DOCKER
                // chain ends the same way).
                new Rule("filter", forwardChain(), "! -i " + bridge + " -o " + bridge + " -j DROP", false),
                // Whatever another jbox network sends towards this bridge stops here.
                new Rule("filter", isolationChain(), "-o " + bridge + " -j DROP", false),
                // route_localnet's guard: nothing arriving from the bridge may be addressed to the host's loopback.
                new Rule("raw", rawChain(), "-d 127.0.0.0/8 -i " + bridge + " -j DROP", false));
    }
    // end::nat-rules[]

    /**
     * Installs what is missing of the chains, jumps and base rules, sets route_localnet on the
     * bridge (which must exist) and turns on ip_forward if it is off. Reads the rules once and
     * writes only the difference, in one transaction.
     */
    public void ensure() {
        apply(missingBase(savedByTable()));
        setSysctls();
    }

    /**
     * Adds a DNAT rule per port towards {@code address}, tagged with the container id. Refuses
     * a host port that another container already publishes (for the same protocol and address).
     */
    public void publish(String containerId, Inet4Address address, List<PortMapping> ports) {
        Map<String, List<String>> saved = savedByTable();
        apply(Map.of("nat", publishCommands(saved, containerId, address, ports)));
    }

    /** {@link #ensure} and {@link #publish} with one read and one transaction: what an attach costs. */
    public void ensureAndPublish(String containerId, Inet4Address address, List<PortMapping> ports) {
        Map<String, List<String>> saved = savedByTable();
        Map<String, List<String>> script = missingBase(saved);
        script.computeIfAbsent("nat", t -> new ArrayList<>()).addAll(publishCommands(saved, containerId, address, ports));
        apply(script);
        setSysctls();
    }

    /**
     * What makes the family and this network complete: missing chains and jumps are added; if any
     * of the network's rules is missing, all of them are written again in order (appending only
     * the missing one could put an ACCEPT before the isolation jump).
     */
    private Map<String, List<String>> missingBase(Map<String, List<String>> saved) {
        Map<String, List<String>> script = new LinkedHashMap<>();
        chains().forEach((table, names) -> {
            for (String chain : names) {
                if (!hasChain(saved, table, chain)) {
                    // Declares a new chain. (For a chain that exists, --noflush would empty it: never here.)
                    script.computeIfAbsent(table, t -> new ArrayList<>()).add(":" + chain + " - [0:0]");
                }
            }
        });
        for (Rule rule : familyRules()) {
            if (!has(saved, rule)) {
                script.computeIfAbsent(rule.table(), t -> new ArrayList<>()).add(rule.command());
            }
        }
        List<Rule> mine = networkRules();
        if (!mine.stream().allMatch(r -> has(saved, r))) {
            for (Rule rule : mine) {
                if (has(saved, rule)) {
                    script.computeIfAbsent(rule.table(), t -> new ArrayList<>()).add("-D " + rule.chain() + " " + rule.spec());
                }
            }
            for (Rule rule : mine) {
                script.computeIfAbsent(rule.table(), t -> new ArrayList<>()).add(rule.command());
            }
        }
        return script;
    }

    private static boolean has(Map<String, List<String>> saved, Rule rule) {
        return saved.getOrDefault(rule.table(), List.of()).contains(rule.saved());
    }

    private static boolean hasChain(Map<String, List<String>> saved, String table, String chain) {
        return saved.getOrDefault(table, List.of()).stream().anyMatch(l -> l.startsWith(":" + chain + " "));
    }

    private void setSysctls() {
        Sysctl.write(host, "net.ipv4.conf." + config.bridge() + ".route_localnet", "1");
        enableForwarding();
    }

    private List<String> publishCommands(Map<String, List<String>> saved, String containerId, Inet4Address address,
                                         List<PortMapping> ports) {
        checkId(containerId);
        List<Published> existing = published(saved);
        List<String> lines = new ArrayList<>();
        for (PortMapping port : ports) {
            for (Published p : existing) {
                if (HostPorts.clash(p.port(), port)) {
                    throw new JboxException("host port " + port.hostPort() + "/" + port.protocol()
                            + " is already published by container " + p.containerId().substring(0, Math.min(12, p.containerId().length()))
                            + "; choose another host port");
                }
            }
            // Connections to this port of the host go to the container's port instead.
            lines.add("-A " + dnatChain() + " "
                    + (port.hostAddress() == null ? "" : "-d " + port.hostAddress().getHostAddress() + "/32 ")
                    + "-p " + port.protocol() + " -m " + port.protocol() + " --dport " + port.hostPort()
                    + " -m comment --comment \"jbox:" + containerId + "\""
                    + " -j DNAT --to-destination " + address.getHostAddress() + ":" + port.containerPort());
        }
        return lines;
    }

    /** Removes the container's DNAT rules (none is fine). */
    public void unpublish(String containerId) {
        checkId(containerId);
        List<String> deletions = new ArrayList<>();
        for (String line : savedByTable().getOrDefault("nat", List.of())) {
            Matcher m = PUBLISHED.matcher(line);
            if (m.find() && m.group(1).equals(dnatChain()) && m.group(5).equals(containerId)) {
                deletions.add("-D" + line.substring(2));
            }
        }
        apply(Map.of("nat", deletions));
    }

    /** A published port found in the rules, with the container it leads to. */
    public record Published(String containerId, PortMapping port) {
    }

    /** Every port published on this network, read back from the rules. */
    public List<Published> published() {
        return published(savedByTable());
    }

    private List<Published> published(Map<String, List<String>> saved) {
        List<Published> result = new ArrayList<>();
        for (String line : saved.getOrDefault("nat", List.of())) {
            Matcher m = PUBLISHED.matcher(line);
            Matcher to = Pattern.compile("--to-destination \\S+:(\\d+)").matcher(line);
            if (m.find() && m.group(1).equals(dnatChain()) && to.find()) {
                result.add(new Published(m.group(5), new PortMapping(
                        m.group(2) == null ? null : Ipv4Subnet.parseAddress(m.group(2)),
                        Integer.parseInt(m.group(4)), Integer.parseInt(to.group(1)), m.group(3))));
            }
        }
        return result;
    }

    /** Every line of iptables-save that names one of this network's chains: empty once {@link #remove} ran. */
    public List<String> rules() {
        List<String> names = chains().values().stream().flatMap(List::stream).toList();
        List<String> lines = new ArrayList<>();
        savedByTable().forEach((table, saved) -> saved.stream()
                .filter(l -> names.stream().anyMatch(n -> l.startsWith(":" + n + " ") || l.contains(" " + n + " ")
                        || l.endsWith(" " + n)))
                .forEach(l -> lines.add(table + ": " + l)));
        return lines;
    }

    /**
     * Deletes this network's rules; if no other network has rules left in the chains, deletes
     * the jumps and the chains too and puts ip_forward back if jbox changed it. Published ports
     * are the containers': detach them first.
     */
    public void remove() {
        Map<String, List<String>> saved = savedByTable();
        Map<String, List<String>> script = new LinkedHashMap<>();
        List<String> mine = new ArrayList<>();
        for (Rule rule : networkRules()) {
            if (has(saved, rule)) {
                script.computeIfAbsent(rule.table(), t -> new ArrayList<>()).add("-D " + rule.chain() + " " + rule.spec());
                mine.add(rule.saved());
            }
        }
        boolean othersLeft = chains().entrySet().stream().anyMatch(e -> saved.getOrDefault(e.getKey(), List.of()).stream()
                .filter(l -> !mine.contains(l))
                .anyMatch(l -> e.getValue().stream().anyMatch(chain -> l.startsWith("-A " + chain + " "))));
        if (othersLeft) {
            apply(script);
        } else {
            apply(withFamilyRemoved(saved, script));
            restoreForwarding();
        }
    }

    /**
     * Deletes the jumps and the chains whatever they hold, and puts ip_forward back if jbox
     * changed it: what {@code jbox system reset} does once every network is gone. Returns what
     * it deleted, as lines for the user (empty if there was nothing).
     */
    public List<String> removeFamily() {
        Map<String, List<String>> saved = savedByTable();
        Map<String, List<String>> script = withFamilyRemoved(saved, new LinkedHashMap<>());
        List<String> removed = new ArrayList<>();
        chains().forEach((table, names) -> names.stream().filter(c -> hasChain(saved, table, c))
                .forEach(c -> removed.add("removed iptables chain " + c + " (" + table + " table)")));
        apply(script);
        String before = forwardingBefore();
        if (before != null) {
            restoreForwarding();
            removed.add("put " + IP_FORWARD + " back to " + before);
        }
        return removed;
    }

    private Map<String, List<String>> withFamilyRemoved(Map<String, List<String>> saved,
                                                        Map<String, List<String>> script) {
        for (Rule rule : familyRules()) {
            if (has(saved, rule)) {
                script.computeIfAbsent(rule.table(), t -> new ArrayList<>()).add("-D " + rule.chain() + " " + rule.spec());
            }
        }
        // Flush every chain first, then delete them: a chain still referenced by a jump cannot be deleted.
        chains().forEach((table, names) -> {
            for (String chain : names) {
                if (hasChain(saved, table, chain)) {
                    script.computeIfAbsent(table, t -> new ArrayList<>()).add("-F " + chain);
                }
            }
            for (String chain : names) {
                if (hasChain(saved, table, chain)) {
                    script.computeIfAbsent(table, t -> new ArrayList<>()).add("-X " + chain);
                }
            }
        });
        return script;
    }

    /** Whether jbox turned ip_forward on (and will turn it off again in {@link #remove}). */
    public boolean changedForwarding() {
        return Files.exists(forwardingRecord);
    }

    private void enableForwarding() {
        String before = Sysctl.read(host, IP_FORWARD);
        if ("1".equals(before)) {
            return;
        }
        try {
            Files.createDirectories(forwardingRecord.getParent());
            if (!Files.exists(forwardingRecord)) {
                Files.writeString(forwardingRecord, before + "\n");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + forwardingRecord, e);
        }
        Sysctl.write(host, IP_FORWARD, "1");
    }

    /** The value ip_forward had before jbox turned it on, or null if jbox did not change it. */
    private String forwardingBefore() {
        try {
            return Files.exists(forwardingRecord) ? Files.readString(forwardingRecord).trim() : null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + forwardingRecord, e);
        }
    }

    private void restoreForwarding() {
        if (!Files.exists(forwardingRecord)) {
            return;
        }
        try {
            Sysctl.write(host, IP_FORWARD, Files.readString(forwardingRecord).trim());
            Files.delete(forwardingRecord);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + forwardingRecord, e);
        }
    }

    private Map<String, List<String>> savedByTable() {
        Map<String, List<String>> tables = new LinkedHashMap<>();
        List<String> current = null;
        for (String line : iptables.save()) {
            if (line.startsWith("*")) {
                current = tables.computeIfAbsent(line.substring(1).trim(), t -> new ArrayList<>());
            } else if (current != null && !line.startsWith("#") && !line.equals("COMMIT")) {
                current.add(line.trim());
            }
        }
        return tables;
    }

    private void apply(Map<String, List<String>> commandsByTable) {
        StringBuilder script = new StringBuilder();
        commandsByTable.forEach((table, commands) -> {
            if (!commands.isEmpty()) {
                script.append('*').append(table).append('\n');
                commands.forEach(c -> script.append(c).append('\n'));
                script.append("COMMIT\n");
            }
        });
        if (!script.isEmpty()) {
            iptables.restore(script.toString());
        }
    }

    private static void checkId(String containerId) {
        if (!CONTAINER_ID.matcher(containerId).matches()) {
            throw new IllegalArgumentException("container id \"" + containerId + "\" may hold only letters, digits, '_', '.', '-'");
        }
    }
}
