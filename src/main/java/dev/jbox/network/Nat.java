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
 * Address translation for one network, in iptables chains of jbox's own so that jbox never
 * edits a rule it did not write, and cleaning up is deleting its chains and the one jump to
 * each (with chain prefix {@code JBOX}):
 * <ul>
 *   <li>nat {@code JBOX}: one DNAT rule per published port, tagged {@code jbox:CONTAINER};</li>
 *   <li>nat {@code JBOX-POSTROUTING}: masquerade for containers' traffic leaving the host and
 *       for connections to a published port from the host's own 127.0.0.1;</li>
 *   <li>filter {@code JBOX-FORWARD}: lets containers' traffic through a FORWARD policy of DROP
 *       (which Docker sets);</li>
 *   <li>raw {@code JBOX-PREROUTING}: the guard that makes route_localnet safe (see below).</li>
 * </ul>
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
 * <p>{@code net.ipv4.ip_forward} is needed only for traffic that crosses the host: containers
 * reaching other networks, and published ports reached from other machines. Host-to-container
 * traffic and 127.0.0.1 publishing work without it. jbox turns it on only when it is off, and
 * records that in {@code DIR/ip_forward.before} so that {@link #remove} can put it back.
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

    /** {@code host}: the namespace the bridge lives in; {@code stateDirectory}: where to note a changed ip_forward. */
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

    /** A rule as iptables-save prints it, so presence is a string comparison; {@code first}: insert at the top. */
    private record Rule(String table, String chain, String spec, boolean first) {
        String saved() {
            return "-A " + chain + " " + spec;
        }

        String command() {
            return (first ? "-I " + chain + " 1 " : "-A " + chain + " ") + spec;
        }
    }

    private Map<String, List<String>> chains() {
        return Map.of("nat", List.of(dnatChain(), postroutingChain()), "filter", List.of(forwardChain()),
                "raw", List.of(rawChain()));
    }

    // tag::nat-rules[]
    private List<Rule> baseRules() {
        String bridge = config.bridge();
        String subnet = config.subnet().toString();
        return List.of(
                // Packets for any of the host's own addresses (from outside, or made on the host itself,
                // 127.0.0.1 included) go through the published ports first. Jumps sit at the top of the
                // built-in chains so that rules inserted by other tools cannot hide containers' traffic.
                new Rule("nat", "PREROUTING", "-m addrtype --dst-type LOCAL -j " + dnatChain(), true),
                new Rule("nat", "OUTPUT", "-m addrtype --dst-type LOCAL -j " + dnatChain(), true),
                new Rule("nat", "POSTROUTING", "-j " + postroutingChain(), true),
                // Containers' packets leaving the host through any other interface take the host's
                // address on it, so answers find their way back (and conntrack undoes it for them).
                new Rule("nat", postroutingChain(), "-s " + subnet + " ! -o " + bridge + " -j MASQUERADE", false),
                // A connection from the host's 127.0.0.1 to a published port leaves through the bridge
                // with the bridge's address instead, or the container would answer its own loopback.
                new Rule("nat", postroutingChain(), "-s 127.0.0.0/8 -o " + bridge + " -j MASQUERADE", false),
                new Rule("filter", "FORWARD", "-j " + forwardChain(), true),
                // From containers: to each other (bridged traffic passes FORWARD when br_netfilter is on)
                // and out of the host.
                new Rule("filter", forwardChain(), "-i " + bridge + " -j ACCEPT", false),
                // To containers: answers to their connections, and connections to published ports.
                new Rule("filter", forwardChain(), "-o " + bridge + " -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT", false),
                new Rule("filter", forwardChain(), "-o " + bridge + " -m conntrack --ctstate DNAT -j ACCEPT", false),
                new Rule("raw", "PREROUTING", "-j " + rawChain(), true),
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

    private Map<String, List<String>> missingBase(Map<String, List<String>> saved) {
        Map<String, List<String>> script = new LinkedHashMap<>();
        chains().forEach((table, names) -> {
            for (String chain : names) {
                if (saved.getOrDefault(table, List.of()).stream().noneMatch(l -> l.startsWith(":" + chain + " "))) {
                    // Declares a new chain. (For a chain that exists, --noflush would empty it: never here.)
                    script.computeIfAbsent(table, t -> new ArrayList<>()).add(":" + chain + " - [0:0]");
                }
            }
        });
        for (Rule rule : baseRules()) {
            if (!saved.getOrDefault(rule.table(), List.of()).contains(rule.saved())) {
                script.computeIfAbsent(rule.table(), t -> new ArrayList<>()).add(rule.command());
            }
        }
        return script;
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
                if (p.port().protocol().equals(port.protocol()) && p.port().hostPort() == port.hostPort()
                        && (p.port().hostAddress() == null || port.hostAddress() == null
                        || p.port().hostAddress().equals(port.hostAddress()))) {
                    throw new JboxException("host port " + port.hostPort() + "/" + port.protocol()
                            + " is already published by container " + p.containerId() + "; choose another host port");
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

    /** Deletes the jumps and the chains, and puts ip_forward back if jbox changed it. */
    public void remove() {
        Map<String, List<String>> saved = savedByTable();
        Map<String, List<String>> script = new LinkedHashMap<>();
        for (Rule rule : baseRules()) {
            if (rule.first() && saved.getOrDefault(rule.table(), List.of()).contains(rule.saved())) {
                script.computeIfAbsent(rule.table(), t -> new ArrayList<>()).add("-D " + rule.chain() + " " + rule.spec());
            }
        }
        chains().forEach((table, names) -> {
            for (String chain : names) {
                if (saved.getOrDefault(table, List.of()).stream().anyMatch(l -> l.startsWith(":" + chain + " "))) {
                    script.computeIfAbsent(table, t -> new ArrayList<>()).addAll(List.of("-F " + chain, "-X " + chain));
                }
            }
        });
        apply(script);
        restoreForwarding();
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
