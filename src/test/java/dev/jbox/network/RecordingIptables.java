package dev.jbox.network;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A fake of iptables for unit tests of the rule policy, with no root and no kernel: it records
 * every script jbox applies, and keeps the rules in memory, so that what {@link #save} prints
 * afterwards is what the real iptables-save would print. It applies the commands jbox writes the
 * way {@code iptables-restore --noflush} does, each table's part at once, and refuses what the
 * real one refuses (deleting a missing rule or a chain still in use, jumping to a chain that
 * does not exist) so that a wrong order fails here too. Anything else it does not know fails
 * the test.
 */
final class RecordingIptables implements Iptables {
    private static final Set<String> TARGETS = Set.of("ACCEPT", "DROP", "RETURN", "REJECT", "MASQUERADE", "DNAT", "SNAT");
    private static final Map<String, List<String>> BUILT_IN = Map.of(
            "raw", List.of("PREROUTING", "OUTPUT"),
            "nat", List.of("PREROUTING", "INPUT", "OUTPUT", "POSTROUTING"),
            "filter", List.of("INPUT", "FORWARD", "OUTPUT"));

    /** table -> chain -> rules (without "-A CHAIN"), in iptables-save's order of tables. */
    private final Map<String, Map<String, List<String>>> tables = new LinkedHashMap<>();
    private final List<String> scripts = new ArrayList<>();

    RecordingIptables() {
        for (String table : List.of("raw", "nat", "filter")) {
            Map<String, List<String>> chains = new LinkedHashMap<>();
            BUILT_IN.get(table).forEach(c -> chains.put(c, new ArrayList<>()));
            tables.put(table, chains);
        }
    }

    /** Every script applied so far, in order. */
    List<String> scripts() {
        return List.copyOf(scripts);
    }

    /** Adds a rule as another program (or an older jbox) would have. */
    void given(String table, String chain, String spec) {
        tables.get(table).computeIfAbsent(chain, c -> new ArrayList<>()).add(spec);
    }

    @Override
    public List<String> save() {
        List<String> lines = new ArrayList<>();
        tables.forEach((table, chains) -> {
            lines.add("*" + table);
            chains.keySet().forEach(c -> lines.add(":" + c + (BUILT_IN.get(table).contains(c) ? " ACCEPT" : " -") + " [0:0]"));
            chains.forEach((c, rules) -> rules.forEach(r -> lines.add("-A " + c + " " + r)));
            lines.add("COMMIT");
        });
        return lines;
    }

    @Override
    public void restore(String script) {
        scripts.add(script);
        Map<String, List<String>> working = null;
        String table = null;
        for (String line : script.lines().toList()) {
            if (line.startsWith("*")) {
                table = line.substring(1);
                working = copy(tables.get(table));
            } else if (line.equals("COMMIT")) {
                tables.put(table, working);
                working = null;
            } else if (working == null) {
                throw new IllegalArgumentException("outside a table: " + line);
            } else {
                apply(working, line);
            }
        }
        if (working != null) {
            throw new IllegalArgumentException("no COMMIT for table " + table);
        }
    }

    private static void apply(Map<String, List<String>> chains, String line) {
        String[] words = line.split(" ", 3);
        String chain = words[0].startsWith(":") ? words[0].substring(1) : words[1];
        if (words[0].startsWith(":")) {
            chains.put(chain, new ArrayList<>()); // --noflush still empties a declared chain
            return;
        }
        List<String> rules = chains.get(chain);
        if (rules == null) {
            throw new IllegalArgumentException("no chain " + chain + ": " + line);
        }
        switch (words[0]) {
            case "-A" -> rules.add(checkTarget(chains, words[2], line));
            case "-I" -> {
                String[] rest = words[2].split(" ", 2);
                rules.add(Integer.parseInt(rest[0]) - 1, checkTarget(chains, rest[1], line));
            }
            case "-D" -> {
                if (!rules.remove(words[2])) {
                    throw new IllegalArgumentException("Bad rule (does a matching rule exist in that chain?): " + line);
                }
            }
            case "-F" -> rules.clear();
            case "-X" -> {
                boolean referenced = chains.values().stream().flatMap(List::stream).anyMatch(r -> (" " + r).endsWith(" -j " + chain));
                if (!rules.isEmpty() || referenced) {
                    throw new IllegalArgumentException("chain " + chain + " is not empty or still referenced: " + line);
                }
                chains.remove(chain);
            }
            default -> throw new IllegalArgumentException("the fake does not know: " + line);
        }
    }

    private static String checkTarget(Map<String, List<String>> chains, String spec, String line) {
        String padded = " " + spec;
        int j = padded.lastIndexOf(" -j ");
        String target = (j < 0 ? "" : padded.substring(j + 4)).split(" ")[0];
        if (!TARGETS.contains(target) && !chains.containsKey(target)) {
            throw new IllegalArgumentException("no target or chain " + target + ": " + line);
        }
        return spec;
    }

    private static Map<String, List<String>> copy(Map<String, List<String>> chains) {
        Map<String, List<String>> copy = new LinkedHashMap<>();
        chains.forEach((c, rules) -> copy.put(c, new ArrayList<>(rules)));
        return copy;
    }
}
