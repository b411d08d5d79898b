package dev.jbox.network;

import java.util.List;

/**
 * What jbox needs of iptables: read every rule, apply a batch of changes. {@link Firewall}
 * decides what to change; this only carries it out, so a recording fake
 * ({@code RecordingIptables} in the tests) can stand in for it and show, without root, exactly
 * which rules jbox would write.
 */
interface Iptables {
    /** iptables acting on {@code netns}: the real programs, {@link IptablesProgram}. */
    static Iptables in(Netns netns) {
        return IptablesProgram.in(netns);
    }

    /** Every rule of every table, as {@code iptables-save} prints them ({@code *nat}, {@code :CHAIN ...}, {@code -A ...}). */
    List<String> save();

    /**
     * Applies {@code script} (iptables-restore's format: {@code *table}, command lines, {@code COMMIT})
     * in one transaction, leaving every rule it does not name alone.
     */
    void restore(String script);
}
