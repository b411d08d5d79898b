package dev.jbox.bench;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Medians and spread of timings. Samples may come weighted (JMH's SampleTime histograms say
 * "this value, that many times"); quantiles interpolate between neighbouring ranks, as R's
 * default (type 7) and numpy's do, so the median of an even count is the mean of the middle two.
 *
 * @param n      how many samples
 * @param p25    first quartile; with {@code p75}, the interquartile range, the spread we report
 */
public record Stats(long n, double min, double p25, double median, double p75, double p90, double max) {

    public static Stats of(List<Double> samples) {
        TreeMap<Double, Long> counts = new TreeMap<>();
        for (double s : samples) {
            counts.merge(s, 1L, Long::sum);
        }
        return ofCounts(counts);
    }

    /** From a histogram: value to how many times it was seen. */
    public static Stats ofCounts(Map<Double, Long> histogram) {
        TreeMap<Double, Long> counts = new TreeMap<>(histogram);
        counts.values().removeIf(c -> c <= 0);
        long n = counts.values().stream().mapToLong(Long::longValue).sum();
        if (n == 0) {
            throw new BenchException("no samples to summarise; the benchmark that should have made them did not run");
        }
        return new Stats(n, counts.firstKey(), quantile(counts, n, 0.25), quantile(counts, n, 0.5),
                quantile(counts, n, 0.75), quantile(counts, n, 0.9), counts.lastKey());
    }

    private static double quantile(TreeMap<Double, Long> counts, long n, double q) {
        double h = q * (n - 1);
        long below = (long) Math.floor(h);
        double lower = atRank(counts, below);
        double upper = atRank(counts, Math.min(below + 1, n - 1));
        return lower + (h - below) * (upper - lower);
    }

    /** The value of 0-based rank {@code k} in sorted order. */
    private static double atRank(TreeMap<Double, Long> counts, long k) {
        long seen = 0;
        for (Map.Entry<Double, Long> e : counts.entrySet()) {
            seen += e.getValue();
            if (k < seen) {
                return e.getKey();
            }
        }
        return counts.lastKey();
    }
}
