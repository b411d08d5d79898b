package dev.jbox.network;

import dev.jbox.JboxException;
import dev.jbox.network.IptablesRules.Rule;
import dev.jbox.network.PublishedPorts.Published;
import java.net.Inet4Address;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Makes the host's iptables rules what {@link IptablesRules} wants for one network and its
 * containers' published ports: each change reads the rules once ({@code iptables-save}) and
 * writes only the difference, in one transaction ({@code iptables-restore}). Cleaning up is
 * deleting a network's rules, and with the last network the chains and the jumps to them.
 */
public final class Firewall {
    private final IptablesRules rules;
    private final Iptables iptables;

    Firewall(NetworkDefinition network, Iptables iptables) {
        this.rules = new IptablesRules(network);
        this.iptables = iptables;
    }

    /** The firewall of {@code network} in the network namespace {@code host}. */
    static Firewall in(Netns host, NetworkDefinition network) {
        return new Firewall(network, Iptables.in(host));
    }

    /** Installs what is missing of the chains, the jumps and this network's rules. */
    public void ensure() {
        missingBase(SavedRules.read(iptables)).applyTo(iptables);
    }

    /**
     * Adds a DNAT rule per port towards {@code address}, tagged with the container id. Refuses
     * a host port that another container already publishes (for the same protocol and address).
     */
    public void publish(String containerId, Inet4Address address, List<PortMapping> ports) {
        SavedRules saved = SavedRules.read(iptables);
        addPorts(new RestoreScript(), saved, containerId, address, ports).applyTo(iptables);
    }

    /** {@link #ensure} and {@link #publish} with one read and one transaction: what an attach costs. */
    public void ensureAndPublish(String containerId, Inet4Address address, List<PortMapping> ports) {
        SavedRules saved = SavedRules.read(iptables);
        addPorts(missingBase(saved), saved, containerId, address, ports).applyTo(iptables);
    }

    /** Removes every rule written for the container (none is fine). */
    public void unpublish(String containerId) {
        PublishedPorts.checkId(containerId);
        SavedRules saved = SavedRules.read(iptables);
        RestoreScript script = new RestoreScript();
        rules.chains().forEach((table, chains) -> {
            for (String chain : chains) {
                saved.rulesOf(table, chain).stream().filter(l -> PublishedPorts.isFor(l, containerId))
                        .forEach(l -> script.deleteSaved(table, l));
            }
        });
        script.applyTo(iptables);
    }

    /** Every port published on the networks of this chain family, read back from the rules. */
    public List<Published> published() {
        return PublishedPorts.in(SavedRules.read(iptables), rules.dnatChain());
    }

    /** Every line of iptables-save that names one of jbox's chains, as "TABLE: LINE": empty once the family is gone. */
    public List<String> rules() {
        List<String> names = rules.chains().values().stream().flatMap(List::stream).toList();
        SavedRules saved = SavedRules.read(iptables);
        List<String> lines = new ArrayList<>();
        for (String table : saved.tables()) {
            saved.lines(table).stream()
                    .filter(l -> names.stream().anyMatch(n -> l.startsWith(":" + n + " ") || l.contains(" " + n + " ")
                            || l.endsWith(" " + n)))
                    .forEach(l -> lines.add(table + ": " + l));
        }
        return lines;
    }

    /**
     * Deletes this network's rules; if no other network has rules left in the chains, deletes
     * the jumps and the chains too, and returns true. Published ports are the containers':
     * detach them first.
     */
    public boolean remove() {
        SavedRules saved = SavedRules.read(iptables);
        RestoreScript script = new RestoreScript();
        List<String> mine = new ArrayList<>();
        for (Rule rule : rules.networkRules()) {
            if (saved.has(rule)) {
                script.delete(rule);
                mine.add(rule.saved());
            }
        }
        boolean othersLeft = rules.chains().entrySet().stream().anyMatch(e -> e.getValue().stream()
                .flatMap(chain -> saved.rulesOf(e.getKey(), chain).stream())
                .anyMatch(l -> !mine.contains(l)));
        if (othersLeft) {
            script.applyTo(iptables);
            return false;
        }
        removeFamily(saved, script).applyTo(iptables);
        return true;
    }

    /**
     * Deletes the jumps and the chains, whatever they hold: what {@code jbox system reset} does
     * once every network is gone. Returns what it deleted, as lines for the user.
     */
    public List<String> removeFamily() {
        SavedRules saved = SavedRules.read(iptables);
        List<String> removed = new ArrayList<>();
        rules.chains().forEach((table, chains) -> chains.stream().filter(c -> saved.hasChain(table, c))
                .forEach(c -> removed.add("removed iptables chain " + c + " (" + table + " table)")));
        removeFamily(saved, new RestoreScript()).applyTo(iptables);
        return removed;
    }

    /**
     * What makes the family and this network complete: stale jumps (an older jbox's) go, missing
     * chains and jumps are added; if any of the network's rules is missing, all of them are
     * written again in order (appending only the missing one could put an ACCEPT before the
     * isolation jump).
     */
    private RestoreScript missingBase(SavedRules saved) {
        RestoreScript script = new RestoreScript();
        staleJumps(saved).forEach((table, lines) -> lines.forEach(l -> script.deleteSaved(table, l)));
        rules.chains().forEach((table, chains) -> chains.stream().filter(c -> !saved.hasChain(table, c))
                .forEach(c -> script.declare(table, c)));
        rules.jumps().stream().filter(r -> !saved.has(r)).forEach(script::write);
        List<Rule> mine = rules.networkRules();
        if (!mine.stream().allMatch(saved::has)) {
            mine.stream().filter(saved::has).forEach(script::delete);
            mine.forEach(script::write);
        }
        return script;
    }

    private RestoreScript addPorts(RestoreScript script, SavedRules saved, String containerId, Inet4Address address,
                                   List<PortMapping> ports) {
        PublishedPorts.checkId(containerId);
        List<Published> existing = PublishedPorts.in(saved, rules.dnatChain());
        for (PortMapping port : ports) {
            for (Published p : existing) {
                if (HostPorts.clash(p.port(), port)) {
                    throw new JboxException("host port " + port.hostPort() + "/" + port.protocol()
                            + " is already published by container " + p.containerId().substring(0, Math.min(12, p.containerId().length()))
                            + "; choose another host port");
                }
            }
            script.write(rules.publishedPort(containerId, address, port));
        }
        return script;
    }

    /** Every jump into a chain of the family from a chain of the kernel's, by table: the current ones and any older ones. */
    private Map<String, List<String>> jumpsIntoFamily(SavedRules saved) {
        Map<String, List<String>> jumps = new java.util.LinkedHashMap<>();
        List<String> family = rules.chains().values().stream().flatMap(List::stream).toList();
        for (String table : rules.chains().keySet()) {
            List<String> found = saved.lines(table).stream()
                    .filter(l -> l.startsWith("-A ") && family.stream().noneMatch(c -> l.startsWith("-A " + c + " ")))
                    .filter(l -> family.stream().anyMatch(c -> l.endsWith(" -j " + c)))
                    .toList();
            jumps.put(table, found);
        }
        return jumps;
    }

    private Map<String, List<String>> staleJumps(SavedRules saved) {
        List<String> current = rules.jumps().stream().map(Rule::saved).toList();
        Map<String, List<String>> stale = jumpsIntoFamily(saved);
        stale.replaceAll((table, lines) -> lines.stream().filter(l -> !current.contains(l)).toList());
        return stale;
    }

    private RestoreScript removeFamily(SavedRules saved, RestoreScript script) {
        jumpsIntoFamily(saved).forEach((table, lines) -> lines.forEach(l -> script.deleteSaved(table, l)));
        // Flush every chain first, then delete them: a chain still referenced by a jump cannot be deleted.
        rules.chains().forEach((table, chains) -> {
            chains.stream().filter(c -> saved.hasChain(table, c)).forEach(c -> script.add(table, "-F " + c));
            chains.stream().filter(c -> saved.hasChain(table, c)).forEach(c -> script.add(table, "-X " + c));
        });
        return script;
    }
}
