package dev.jbox.network;

import dev.jbox.network.IptablesRules.Rule;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A batch of changes in iptables-restore's format: per table, {@code *TABLE}, the commands,
 * {@code COMMIT}. iptables-restore applies each table's part at once, so no packet ever meets a
 * half-written set of rules.
 */
final class RestoreScript {
    private final Map<String, List<String>> byTable = new LinkedHashMap<>();

    RestoreScript add(String table, String command) {
        byTable.computeIfAbsent(table, t -> new ArrayList<>()).add(command);
        return this;
    }

    /** Declares a new chain. (For a chain that exists, iptables-restore --noflush would empty it: never that.) */
    RestoreScript declare(String table, String chain) {
        return add(table, ":" + chain + " - [0:0]");
    }

    RestoreScript write(Rule rule) {
        return add(rule.table(), rule.command());
    }

    RestoreScript delete(Rule rule) {
        return add(rule.table(), rule.deletion());
    }

    /** Deletes a rule given as iptables-save printed it ({@code -A CHAIN ...}). */
    RestoreScript deleteSaved(String table, String savedLine) {
        return add(table, "-D" + savedLine.substring(2));
    }

    boolean isEmpty() {
        return byTable.values().stream().allMatch(List::isEmpty);
    }

    /** Applies the script in one iptables-restore, or does nothing if it is empty. */
    void applyTo(Iptables iptables) {
        if (!isEmpty()) {
            iptables.restore(toString());
        }
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        byTable.forEach((table, commands) -> {
            if (!commands.isEmpty()) {
                text.append('*').append(table).append('\n');
                commands.forEach(c -> text.append(c).append('\n'));
                text.append("COMMIT\n");
            }
        });
        return text.toString();
    }
}
