package dev.jbox.bench.cgroups;

import dev.jbox.bench.Stats;
import dev.jbox.engine.RunRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What the cgroup adds to a start: chapter 2's engine against chapter 3's, in one warm JVM,
 * alternating start by start (the order swapped every pair), so the machine's drift lands on
 * both alike. Each start is jbox's whole {@code run --rm --network none busybox /bin/true} minus
 * the JVM: record, namespaces, pid 1, wait, removal; chapter 3 adds the cgroup (a directory per
 * v1 controller, Docker's device rules, the join at "go", removal) and the container's own
 * read-only /sys/fs/cgroup.
 */
final class StartPairs {
    private StartPairs() {
    }

    /** The pairs; with {@code print}, each is printed as it is measured. */
    static CgroupResults.Start measure(EngineRuns engine, int warmup, int pairs, boolean print) {
        RunRequest chapter2 = engine.request(2, List.of("/bin/true"), b -> b);
        RunRequest chapter3 = engine.request(3, List.of("/bin/true"), b -> b);
        List<Double> two = new ArrayList<>();
        List<Double> three = new ArrayList<>();
        for (int i = 0; i < warmup + pairs; i++) {
            boolean threeFirst = i % 2 == 1;
            double a = time(engine, threeFirst ? chapter3 : chapter2);
            double b = time(engine, threeFirst ? chapter2 : chapter3);
            if (i >= warmup) {
                two.add(threeFirst ? b : a);
                three.add(threeFirst ? a : b);
                if (print) {
                    // On a guest's console, where the host reads them (GuestStart).
                    System.out.printf(Locale.ROOT, "%s2 %.4f%n%s3 %.4f%n", GuestStart.PREFIX, two.get(two.size() - 1),
                            GuestStart.PREFIX, three.get(three.size() - 1));
                }
            }
        }
        Stats s2 = Stats.of(two), s3 = Stats.of(three);
        System.err.printf(Locale.ROOT, "cgroups: start, %d pairs: chapter 2 median %.2f ms, chapter 3 %.2f ms%n", pairs,
                s2.median(), s3.median());
        return new CgroupResults.Start(warmup, two, three);
    }

    private static double time(EngineRuns engine, RunRequest request) {
        long start = System.nanoTime();
        engine.run(request);
        return (System.nanoTime() - start) / 1e6;
    }
}
