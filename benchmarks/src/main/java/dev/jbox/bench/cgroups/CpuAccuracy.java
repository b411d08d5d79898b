package dev.jbox.bench.cgroups;

import dev.jbox.cgroups.Resources;
import dev.jbox.engine.RunRequest;
import dev.jbox.lifecycle.ContainerRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;
import dev.jbox.cgroups.ResourceFlags;

/**
 * Whether CPU limits hold: busy containers of chapter 3 with {@code --cpus} and with
 * {@code --cpu-shares}, their CPU time read from their cgroups (v1's cpuacct.usage, v2's
 * cpu.stat) over a few seconds, against the wall clock. A quota case runs two busy loops, so
 * the quota binds, not the loop (one loop can use one CPU at most). The shares case pins two
 * containers with one loop each to CPU 0, with shares 1024 and 512: the kernel splits the CPU
 * between them by their weights, so the ratio of their CPU times is what counts.
 */
final class CpuAccuracy {
    private static final String LOOP = "while :; do :; done";
    static final List<String> QUOTAS = List.of("0.25", "0.5", "1.0");

    private CpuAccuracy() {
    }

    static CgroupResults.Accuracy measure(EngineRuns engine, double seconds, int rounds) throws InterruptedException {
        List<List<Double>> quotas = new ArrayList<>();
        QUOTAS.forEach(q -> quotas.add(new ArrayList<>()));
        List<Double> shares = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            for (int i = 0; i < QUOTAS.size(); i++) {
                String cpus = QUOTAS.get(i);
                double got = quota(engine, cpus, seconds);
                quotas.get(i).add(got);
                System.err.printf(Locale.ROOT, "cgroups: round %d/%d, --cpus %s: got %.3f CPUs%n", round, rounds, cpus, got);
            }
            double ratio = shares(engine, seconds);
            shares.add(ratio);
            System.err.printf(Locale.ROOT, "cgroups: round %d/%d, shares 1024:512 on one CPU: got %.2f:1%n", round, rounds, ratio);
        }
        List<CgroupResults.Case> cases = new ArrayList<>();
        for (int i = 0; i < QUOTAS.size(); i++) {
            cases.add(new CgroupResults.Case("cpus-" + QUOTAS.get(i), "`--cpus " + QUOTAS.get(i) + "`, two busy loops:"
                    + " CPUs used", Double.parseDouble(QUOTAS.get(i)), quotas.get(i)));
        }
        cases.add(new CgroupResults.Case("shares-1024:512", "`--cpu-shares 1024` and `512`, one busy loop each,"
                + " both `--cpuset-cpus 0`: ratio of their CPU times", 2.0, shares));
        return new CgroupResults.Accuracy(seconds, rounds, cases);
    }

    /** CPUs used by a container with {@code --cpus cpus} running two busy loops. */
    private static double quota(EngineRuns engine, String cpus, double seconds) throws InterruptedException {
        ContainerRecord c = start(engine, "jbox-bench-cpus", LOOP + " & " + LOOP, f -> f.cpus(cpus));
        try {
            return usedOver(engine, List.of(c), seconds)[0];
        } finally {
            engine.remove(c);
        }
    }

    /** The ratio of the CPU times of two containers pinned to CPU 0 with shares 1024 and 512. */
    private static double shares(EngineRuns engine, double seconds) throws InterruptedException {
        ContainerRecord high = start(engine, "jbox-bench-shares-1024", LOOP, f -> f.cpuShares("1024").cpusetCpus("0"));
        try {
            ContainerRecord low = start(engine, "jbox-bench-shares-512", LOOP, f -> f.cpuShares("512").cpusetCpus("0"));
            try {
                double[] used = usedOver(engine, List.of(high, low), seconds);
                return share(used[0], used[1]);
            } finally {
                engine.remove(low);
            }
        } finally {
            engine.remove(high);
        }
    }

    private static ContainerRecord start(EngineRuns engine, String name, String script, UnaryOperator<ResourceFlags> flags) {
        Resources limits = EngineRuns.limits(flags);
        RunRequest request = engine.request(3, List.of("sh", "-c", script),
                b -> b.name(name).detach(true).autoRemove(false).resources(limits));
        return engine.detach(request);
    }

    /**
     * The CPUs each container used over {@code seconds}, after a settling second (the loops
     * start, the scheduler finds its balance): CPU time over wall time, both read back to back.
     */
    private static double[] usedOver(EngineRuns engine, List<ContainerRecord> containers, double seconds)
            throws InterruptedException {
        Thread.sleep(1000);
        long[] before = new long[containers.size()];
        long t0 = System.nanoTime();
        for (int i = 0; i < before.length; i++) {
            before[i] = engine.cpuNanos(containers.get(i));
        }
        Thread.sleep((long) (seconds * 1000));
        double[] used = new double[before.length];
        long t1 = System.nanoTime();
        for (int i = 0; i < before.length; i++) {
            used[i] = cpus(before[i], engine.cpuNanos(containers.get(i)), t1 - t0);
        }
        return used;
    }

    /** CPUs used: CPU time gained over wall time elapsed, both in ns. */
    static double cpus(long cpuBefore, long cpuAfter, long wallNanos) {
        if (wallNanos <= 0 || cpuAfter < cpuBefore) {
            throw new IllegalArgumentException("CPU time " + cpuBefore + " -> " + cpuAfter + " ns over " + wallNanos
                    + " ns of wall time: a counter went back or no time passed");
        }
        return (double) (cpuAfter - cpuBefore) / wallNanos;
    }

    /** How many times the first container's CPU use the second's is; a second that got none is an error. */
    static double share(double first, double second) {
        if (second <= 0) {
            throw new IllegalArgumentException("the second container got no CPU at all (" + second + "); the split cannot be told");
        }
        return first / second;
    }
}
