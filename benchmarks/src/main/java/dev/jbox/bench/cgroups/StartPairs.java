package dev.jbox.bench.cgroups;

import dev.jbox.bench.Stats;
import dev.jbox.engine.RunRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.BiConsumer;

/**
 * What the cgroup adds to a start: chapter 2's engine against chapter 3's, in one warm JVM,
 * alternating start by start (the order swapped every pair), so the machine's drift lands on
 * both alike. Each start is jbox's whole {@code run --rm --network none busybox /bin/true} minus
 * the JVM: record, namespaces, pid 1, wait, removal; chapter 3 adds the cgroup (a directory per
 * v1 controller, Docker's device rules, the join at "go", removal) and the container's own
 * read-only /sys/fs/cgroup.
 */
public final class StartPairs {
    private StartPairs() {
    }

    /** Each start of one engine and of the other, ms, in the order they were paired. */
    public record Series(List<Double> first, List<Double> second) {
    }

    /** The pairs; with {@code print}, each is printed as it is measured. */
    static CgroupResults.Start measure(EngineRuns engine, int warmup, int pairs, boolean print) {
        Series s = alternate(engine, engine.request(2, List.of("/bin/true"), b -> b),
                engine.request(3, List.of("/bin/true"), b -> b), warmup, pairs, (two, three) -> {
                    if (print) {
                        // On a guest's console, where the host reads them (GuestStart).
                        System.out.printf(Locale.ROOT, "%s2 %.4f%n%s3 %.4f%n", GuestStart.PREFIX, two, GuestStart.PREFIX, three);
                    }
                });
        Stats s2 = Stats.of(s.first()), s3 = Stats.of(s.second());
        System.err.printf(Locale.ROOT, "cgroups: start, %d pairs: chapter 2 median %.2f ms, chapter 3 %.2f ms%n", pairs,
                s2.median(), s3.median());
        return new CgroupResults.Start(warmup, s.first(), s.second());
    }

    /**
     * {@code first} and {@code second} run alternately in one warm engine, the order swapped every
     * pair so the machine's drift lands on both alike; {@code warmup} untimed pairs first, then
     * {@code pairs} timed ones, each also given to {@code each} (first's ms, second's ms).
     */
    public static Series alternate(EngineRuns engine, RunRequest first, RunRequest second, int warmup, int pairs,
                                   BiConsumer<Double, Double> each) {
        List<Double> a = new ArrayList<>();
        List<Double> b = new ArrayList<>();
        for (int i = 0; i < warmup + pairs; i++) {
            boolean secondFirst = i % 2 == 1;
            double x = time(engine, secondFirst ? second : first);
            double y = time(engine, secondFirst ? first : second);
            if (i >= warmup) {
                a.add(secondFirst ? y : x);
                b.add(secondFirst ? x : y);
                each.accept(a.get(a.size() - 1), b.get(b.size() - 1));
            }
        }
        return new Series(a, b);
    }

    private static double time(EngineRuns engine, RunRequest request) {
        long start = System.nanoTime();
        engine.run(request);
        return (System.nanoTime() - start) / 1e6;
    }
}
