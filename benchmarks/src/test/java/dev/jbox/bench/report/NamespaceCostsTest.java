package dev.jbox.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbox.bench.NamespaceResults;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class NamespaceCostsTest {
    /** A fork whose every sample is {@code ms}. */
    private static NamespaceResults.Fork fork(int round, String namespaces, double ms) {
        List<double[]> bins = new ArrayList<>();
        bins.add(new double[] {ms, 10});
        return new NamespaceResults.Fork(round, namespaces, bins);
    }

    private static NamespaceCosts costs(NamespaceResults.Fork... forks) {
        return new NamespaceCosts(new NamespaceResults(forks.length / 2, 1, 2, 1.0, List.of(forks)));
    }

    @Test
    void aDifferenceAboveZeroInEveryRoundIsACost() {
        NamespaceCosts costs = costs(fork(1, "none", 4.0), fork(1, "net", 4.5), fork(2, "none", 5.0), fork(2, "net", 5.2));
        NamespaceCosts.Cost net = costs.of("net").orElseThrow();
        assertTrue(net.measurable());
        // Pooled medians: none 4.5 (half its samples at 4.0, half at 5.0), net 4.85.
        assertEquals("0.350 (rounds 0.200 to 0.500)", net.cell());
    }

    @Test
    void aNegativeDifferenceIsNeverPrintedAsACost() {
        NamespaceCosts costs = costs(fork(1, "none", 4.0), fork(1, "pid", 3.3), fork(2, "none", 4.1), fork(2, "pid", 3.2));
        NamespaceCosts.Cost pid = costs.of("pid").orElseThrow();
        assertFalse(pid.measurable());
        assertEquals("within noise (rounds −0.900 to −0.700)", pid.cell());
    }

    @Test
    void aDifferenceThatChangesSignBetweenRoundsIsNoise() {
        NamespaceCosts costs = costs(fork(1, "none", 4.0), fork(1, "uts", 4.6), fork(2, "none", 4.0), fork(2, "uts", 3.9));
        assertFalse(costs.of("uts").orElseThrow().measurable());
        assertTrue(costs.of("uts").orElseThrow().cell().startsWith("within noise"));
    }
}
