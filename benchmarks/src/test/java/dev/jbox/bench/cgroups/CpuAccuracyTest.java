package dev.jbox.bench.cgroups;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class CpuAccuracyTest {
    @Test
    void cpusUsedIsCpuTimeOverWallTime() {
        // Half a second of CPU time over two seconds: a quarter of one CPU.
        assertEquals(0.25, CpuAccuracy.cpus(1_000_000_000L, 1_500_000_000L, 2_000_000_000L), 1e-12);
        // Two busy loops for a second: two CPUs.
        assertEquals(2.0, CpuAccuracy.cpus(0, 2_000_000_000L, 1_000_000_000L), 1e-12);
    }

    @Test
    void aCounterThatWentBackIsAnErrorNotANegativeShare() {
        assertThrows(IllegalArgumentException.class, () -> CpuAccuracy.cpus(5, 4, 1_000));
        assertThrows(IllegalArgumentException.class, () -> CpuAccuracy.cpus(0, 4, 0));
    }

    @Test
    void sharesAreTheRatioOfTheTwoContainersCpu() {
        assertEquals(2.0, CpuAccuracy.share(0.6, 0.3), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> CpuAccuracy.share(1.0, 0.0));
    }

    @Test
    void theLimitedWorkloadsRunLessWorkUnderEmulation() {
        assertEquals(java.util.List.of("cpu-int=128", "mem-copy=40"), LimitedWorkloads.arguments(false));
        assertEquals(java.util.List.of("cpu-int=48", "mem-copy=4"), LimitedWorkloads.arguments(true));
    }
}
