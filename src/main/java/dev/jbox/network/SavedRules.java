package dev.jbox.network;

import dev.jbox.network.IptablesRules.Rule;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code iptables-save} printed, by table ({@code nat}: its {@code :CHAIN} and {@code -A}
 * lines), read once per change so that every question about it is a string comparison.
 */
final class SavedRules {
    private final Map<String, List<String>> byTable;

    private SavedRules(Map<String, List<String>> byTable) {
        this.byTable = byTable;
    }

    static SavedRules read(Iptables iptables) {
        return parse(iptables.save());
    }

    static SavedRules parse(List<String> lines) {
        Map<String, List<String>> tables = new LinkedHashMap<>();
        List<String> current = null;
        for (String line : lines) {
            if (line.startsWith("*")) {
                current = tables.computeIfAbsent(line.substring(1).trim(), t -> new ArrayList<>());
            } else if (current != null && !line.startsWith("#") && !line.equals("COMMIT")) {
                current.add(line.trim());
            }
        }
        return new SavedRules(tables);
    }

    /** The table's chain declarations and rules, in iptables-save's order. */
    List<String> lines(String table) {
        return byTable.getOrDefault(table, List.of());
    }

    List<String> tables() {
        return List.copyOf(byTable.keySet());
    }

    boolean has(Rule rule) {
        return lines(rule.table()).contains(rule.saved());
    }

    boolean hasChain(String table, String chain) {
        return lines(table).stream().anyMatch(l -> l.startsWith(":" + chain + " "));
    }

    /** The rules of {@code chain}, as {@code -A CHAIN ...} lines. */
    List<String> rulesOf(String table, String chain) {
        return lines(table).stream().filter(l -> l.startsWith("-A " + chain + " ")).toList();
    }
}
