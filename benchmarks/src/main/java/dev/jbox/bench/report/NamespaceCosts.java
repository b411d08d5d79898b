package dev.jbox.bench.report;

import dev.jbox.bench.NamespaceResults;
import dev.jbox.bench.NamespaceRounds;
import dev.jbox.bench.Stats;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What each namespace adds to a chapter-2 start, from the interleaved rounds of one run: the
 * difference of its median from the mount namespace alone ({@code none}), pooled over the
 * rounds, and the same difference within each round. It counts as a cost only if it is above
 * zero in every round; otherwise, including every negative difference, it is within noise.
 */
final class NamespaceCosts {
    static final String BASE = "none";

    /**
     * @param pooled the difference of the medians of all samples
     * @param lowest the smallest of the rounds' differences
     * @param highest the largest
     */
    record Cost(String namespaces, double pooled, double lowest, double highest, int rounds) {
        boolean measurable() {
            return lowest > 0 && pooled > 0;
        }

        /** "0.412 (rounds 0.21 to 0.60)" or "within noise (rounds −0.30 to 0.20)". */
        String cell() {
            String spread = "rounds " + Fmt.signed(lowest) + " to " + Fmt.signed(highest);
            return measurable() ? Fmt.num(pooled) + " (" + spread + ")" : "within noise (" + spread + ")";
        }
    }

    private final Map<String, Cost> costs = new LinkedHashMap<>();

    NamespaceCosts(NamespaceResults results) {
        if (results == null) {
            return;
        }
        Map<String, Map<Integer, Double>> medians = new LinkedHashMap<>();
        Map<String, List<double[]>> pooled = new LinkedHashMap<>();
        for (NamespaceResults.Fork f : results.forks()) {
            medians.computeIfAbsent(f.namespaces(), k -> new LinkedHashMap<>())
                    .put(f.round(), Stats.ofCounts(NamespaceRounds.counts(f.histogram())).median());
            pooled.computeIfAbsent(f.namespaces(), k -> new ArrayList<>()).addAll(f.histogram());
        }
        Map<Integer, Double> base = medians.get(BASE);
        if (base == null) {
            return;
        }
        double baseMedian = median(pooled.get(BASE));
        medians.forEach((name, byRound) -> {
            if (name.equals(BASE)) {
                return;
            }
            List<Double> differences = new ArrayList<>();
            byRound.forEach((round, m) -> {
                if (base.containsKey(round)) {
                    differences.add(m - base.get(round));
                }
            });
            if (!differences.isEmpty()) {
                costs.put(name, new Cost(name, median(pooled.get(name)) - baseMedian,
                        differences.stream().min(Double::compare).get(), differences.stream().max(Double::compare).get(),
                        differences.size()));
            }
        });
    }

    Optional<Cost> of(String namespaces) {
        return Optional.ofNullable(costs.get(namespaces));
    }

    List<Cost> all() {
        return List.copyOf(costs.values());
    }

    private static double median(List<double[]> histogram) {
        return Stats.ofCounts(NamespaceRounds.counts(histogram)).median();
    }
}
