package dev.jbox.bench;

import java.util.List;

/**
 * What benchmarks/results/namespaces.json holds: {@link NamespaceBenchmark}'s forks, run in
 * interleaved rounds by {@link NamespaceRounds}.
 *
 * @param rounds                how many rounds; each ran one fork of every value
 * @param warmupIterations      untimed iterations at the start of each fork
 * @param measurementIterations timed iterations per fork
 * @param iterationSeconds      the length of one iteration
 * @param forks                 in the order they ran
 */
public record NamespaceResults(int rounds, int warmupIterations, int measurementIterations, double iterationSeconds,
                               List<Fork> forks) {
    /**
     * One fork: a fresh JVM timing one set of namespaces.
     *
     * @param round      which round, from 1
     * @param namespaces the value of NamespaceBenchmark's parameter
     * @param histogram  JMH's SampleTime samples, as pairs of milliseconds and how many times they were seen
     */
    public record Fork(int round, String namespaces, List<double[]> histogram) {
    }
}
