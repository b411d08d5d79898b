package dev.jbox.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbox.bench.Json;
import dev.jbox.bench.registry.RegistryResults;
import dev.jbox.bench.registry.RegistryResults.Transfer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Chapter5Test {
    private static final long MIB = 1 << 20;

    @TempDir
    Path dir;

    /** Push of the big image: seconds by client and server; the rest of the grid absent. */
    private Chapter5 chapter5(double jboxOnJbox, double jboxOnDistribution, double skopeoOnJbox, double skopeoOnDistribution) {
        List<Transfer> t = new ArrayList<>();
        for (int round = 1; round <= 2; round++) {
            t.add(push("jbox", "jbox", round, jboxOnJbox, 150_000));
            t.add(push("jbox", "distribution", round, jboxOnDistribution, 25_000));
            t.add(push("skopeo", "jbox", round, skopeoOnJbox, 160_000));
            t.add(push("skopeo", "distribution", round, skopeoOnDistribution, 26_000));
        }
        List<Double> ms = IntStream.rangeClosed(1, 100).mapToObj(i -> (double) i).toList();
        RegistryResults r = new RegistryResults("2.00 1.00 0.50 1/100 1", "3.00 2.00 1.00 1/100 2",
                new RegistryResults.Setup(2, 200 * MIB + 10_240, 20, 100 * MIB, 262_144, 100, "distribution 2.8", "skopeo 1.9",
                        "OpenJDK 17", List.of("a note")),
                t, List.of(new RegistryResults.Floor("jbox", 1, 0.5, 0.8, 2.0), new RegistryResults.Floor("skopeo", 1, 0.01, 0.01, 2.0)),
                List.of(new RegistryResults.BlobGet("jbox", 1, 200_000_000L, 0.25, 0.1, 2.0),
                        new RegistryResults.BlobGet("distribution", 1, 200_000_000L, 0.5, 0.1, 2.0)),
                List.of(new RegistryResults.Concurrent("jbox", 1, ms, 2.0), new RegistryResults.Concurrent("distribution", 1, ms, 2.0)),
                List.of(new RegistryResults.Memory("jbox", 1, 120 * 1024, 180 * 1024),
                        new RegistryResults.Memory("distribution", 1, 20 * 1024, 50 * 1024)));
        Json.write(dir.resolve(ResultFiles.REGISTRY), r);
        return new Chapter5(new ResultFiles(dir));
    }

    private static Transfer push(String client, String server, int round, double seconds, long peakKiB) {
        return new Transfer("push", "big", client, server, round, seconds, seconds / 2, 100_000, 0.5, peakKiB, peakKiB - 1000, 2.0);
    }

    @Test
    void theServerTableDividesJboxsServerByDistributionForEachClient() {
        String md = chapter5(2.0, 4.0, 1.5, 1.0).servers().markdown();
        assertTrue(md.contains("| push 1 × 200 MiB | `jbox` (process) | 2.00 | 4.00 | 0.50 |"), md);
        assertTrue(md.contains("| push 1 × 200 MiB | `skopeo copy` | 1.50 | 1.00 | 1.50 |"), md);
        assertFalse(md.contains("pull"), md); // not measured: no row
    }

    @Test
    void theClientTableDividesJboxBySkopeoOnEachServer() {
        String md = chapter5(2.0, 4.0, 1.0, 1.0).clients().markdown();
        assertTrue(md.contains("| push 1 × 200 MiB | jbox | 2.00 | 1.00 | 2.00 | 1.00 | 0.500 | - |"), md);
        assertTrue(md.contains("| push 1 × 200 MiB | Distribution | 4.00 | 1.00 | 4.00 |"), md);
    }

    @Test
    void aServerSlowerByMoreThanTenPercentIsSaidSo() {
        String slower = chapter5(2.0, 1.0, 1.0, 1.0).findings().get(0);
        assertTrue(slower.contains("**slower by more than 10 %**: push 1 × 200 MiB with jbox 2.00 (rounds 2.00-2.00 s against 1.00-1.00 s)"), slower);
        String fine = chapter5(1.0, 1.0, 1.05, 1.0).findings().get(0);
        assertFalse(fine.contains("slower"), fine);
    }

    @Test
    void concurrentPullsGiveP50AndP99AndMemoryTheMedians() {
        Chapter5 c = chapter5(1.0, 1.0, 1.0, 1.0);
        assertTrue(c.concurrent().markdown().contains("| jbox | 50.5 | 99.0 | 100 | 100 |"), c.concurrent().markdown());
        assertTrue(c.memory().markdown().contains("| jbox | 120 | 151 | 150 | 180 |"), c.memory().markdown());
        assertTrue(c.blobGet().markdown().contains("| jbox | 800 | 800-800 |"), c.blobGet().markdown());
        assertEquals(99.01, Chapter5.p99(IntStream.rangeClosed(1, 100).mapToObj(i -> (double) i).toList()), 1e-9);
    }
}
