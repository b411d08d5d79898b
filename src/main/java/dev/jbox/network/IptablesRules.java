package dev.jbox.network;

import java.net.Inet4Address;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The iptables rules jbox wants, as data: for the chains every network shares, for one network,
 * and for one published port. Nothing here reads or changes the machine; {@link Firewall}
 * compares these rules with what iptables shows and writes the difference.
 *
 * <p>All networks share one family of chains of jbox's own, named from one prefix ({@code JBOX}),
 * as Docker's networks share its DOCKER chains, so jbox never edits a rule it did not write:
 * <ul>
 *   <li>nat {@code JBOX}: one DNAT rule per published port, tagged {@code jbox:CONTAINER};</li>
 *   <li>nat {@code JBOX-POSTROUTING}: masquerade for containers' traffic leaving their bridge,
 *       for connections to a published port from the host's own 127.0.0.1, and for a container
 *       reaching a published port of its own network through a host address (hairpin);</li>
 *   <li>filter {@code JBOX-FORWARD}: what may enter and leave each bridge, whatever the FORWARD
 *       policy; traffic between two networks goes to {@code JBOX-ISOLATION}, which drops it
 *       (Docker's DOCKER-ISOLATION);</li>
 *   <li>raw {@code JBOX-PREROUTING}: the guard that makes route_localnet safe.</li>
 * </ul>
 *
 * <p>Publishing on 127.0.0.1: a connection the host makes to 127.0.0.1:8080 is DNATed in the
 * nat OUTPUT hook to 10.77.0.2:80 and leaves through the bridge with source 127.0.0.1. The
 * kernel drops such a packet as a "martian" unless {@code route_localnet} is set on the bridge;
 * then the source must be rewritten to the bridge's address (the 127.0.0.0/8 masquerade rule),
 * or the container would answer its own loopback. A userland proxy (Docker's docker-proxy)
 * would need a process per port that outlives {@code jbox run -d}; jbox has no daemon, so
 * kernel DNAT it is. route_localnet's known risk (CVE-2020-8558) is that a container could
 * reach services the host binds to 127.0.0.1 by sending packets to 127.0.0.1 through the
 * bridge; the raw-table rule drops exactly those.
 */
final class IptablesRules {
    /** How a rule names the container it was written for, so that {@code rm} finds it from the id alone. */
    static final String CONTAINER_TAG = "jbox:";

    /**
     * A rule as iptables-save prints it, so that its presence is a string comparison.
     * {@code first}: inserted at the top of its chain rather than appended.
     */
    record Rule(String table, String chain, String spec, boolean first) {
        String saved() {
            return "-A " + chain + " " + spec;
        }

        String command() {
            return (first ? "-I " + chain + " 1 " : "-A " + chain + " ") + spec;
        }

        String deletion() {
            return "-D " + chain + " " + spec;
        }
    }

    private final NetworkDefinition network;

    IptablesRules(NetworkDefinition network) {
        this.network = network;
    }

    String dnatChain() {
        return network.chainPrefix();
    }

    String postroutingChain() {
        return network.chainPrefix() + "-POSTROUTING";
    }

    String forwardChain() {
        return network.chainPrefix() + "-FORWARD";
    }

    String isolationChain() {
        return network.chainPrefix() + "-ISOLATION";
    }

    String rawChain() {
        return network.chainPrefix() + "-PREROUTING";
    }

    /** jbox's chains by table, in a fixed order (what {@code system reset} prints follows it). */
    Map<String, List<String>> chains() {
        Map<String, List<String>> chains = new LinkedHashMap<>();
        chains.put("nat", List.of(dnatChain(), postroutingChain()));
        chains.put("filter", List.of(forwardChain(), isolationChain()));
        chains.put("raw", List.of(rawChain()));
        return chains;
    }

    // tag::nat-rules[]
    /** The jumps from the kernel's chains into jbox's: one each, shared by every network. */
    List<Rule> jumps() {
        return List.of(
                // Packets for any of the host's own addresses go through the published ports first: from
                // other machines (PREROUTING), and made on the host itself, to 127.0.0.1 too (OUTPUT).
                // From other machines, 127.0.0.0/8 is left out: a port published on 127.0.0.1 is the
                // host's own, and a neighbour on the LAN could send packets for 127.0.0.1 to this host.
                // Jumps sit at the top of the kernel's chains so that other tools' rules cannot hide
                // containers' traffic.
                new Rule("nat", "PREROUTING", "! -d 127.0.0.0/8 -m addrtype --dst-type LOCAL -j " + dnatChain(), true),
                new Rule("nat", "OUTPUT", "-m addrtype --dst-type LOCAL -j " + dnatChain(), true),
                new Rule("nat", "POSTROUTING", "-j " + postroutingChain(), true),
                new Rule("filter", "FORWARD", "-j " + forwardChain(), true),
                new Rule("raw", "PREROUTING", "-j " + rawChain(), true));
    }

    /** This network's rules in the shared chains, in the order they must appear. */
    List<Rule> networkRules() {
        String bridge = network.bridge();
        String subnet = network.subnet().toString();
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

    // tag::published-port[]
    /** Connections to {@code port} of the host go to the container's port instead. */
    Rule publishedPort(String containerId, Inet4Address address, PortMapping port) {
        return new Rule("nat", dnatChain(),
                (port.hostAddress() == null ? "" : "-d " + port.hostAddress().getHostAddress() + "/32 ")
                        + "-p " + port.protocol() + " -m " + port.protocol() + " --dport " + port.hostPort()
                        + " -m comment --comment \"" + CONTAINER_TAG + containerId + "\""
                        + " -j DNAT --to-destination " + address.getHostAddress() + ":" + port.containerPort(), false);
    }
    // end::published-port[]
}
