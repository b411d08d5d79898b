package dev.jbox.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.VerboseMode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@link NamespaceBenchmark} with its forks interleaved: each round runs one fork of every set of
 * namespaces, in an order rotated by one each round. A namespace's cost is a difference between
 * two of these, often a fraction of a millisecond, and a shared machine's load drifts over
 * minutes; JMH runs all forks of one parameter value before the next, so drift would land on
 * some values and not others. Interleaved, it lands on all of them alike, and each round gives
 * one paired difference, so the report can tell a cost (above {@code none} in every round) from
 * noise.
 */
@Command(name = "benchmarks/run namespaces", mixinStandardHelpOptions = true,
        description = "Chapter 2's start per set of namespaces (JMH), forks interleaved in rounds.")
public final class NamespaceRounds implements Callable<Integer> {
    private static final String BENCHMARK = NamespaceBenchmark.class.getName() + ".chapter2";

    @Option(names = "--rounds", defaultValue = "5", description = "Rounds; each runs one fork per value (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--out", paramLabel = "FILE", required = true, description = "Where to write the results (JSON).")
    Path out;

    public static void main(String[] args) {
        BenchCli.exit("namespaces", new NamespaceRounds(), args);
    }

    @Override
    public Integer call() throws RunnerException {
        BenchRoot.require();
        if (rounds < 2) {
            throw new BenchException("--rounds " + rounds + ": at least 2, or no difference can be told from noise");
        }
        List<String> values = values();
        Warmup warmup = NamespaceBenchmark.class.getAnnotation(Warmup.class);
        Measurement measurement = NamespaceBenchmark.class.getAnnotation(Measurement.class);
        List<NamespaceResults.Fork> forks = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            for (int i = 0; i < values.size(); i++) {
                String value = values.get((i + round - 1) % values.size());
                NamespaceResults.Fork fork = new NamespaceResults.Fork(round, value, histogram(value));
                forks.add(fork);
                System.err.printf(Locale.ROOT, "namespaces: round %d/%d, %-6s median %.2f ms of %d samples%n", round,
                        rounds, value, Stats.ofCounts(counts(fork.histogram())).median(),
                        Stats.ofCounts(counts(fork.histogram())).n());
            }
        }
        Json.write(out, new NamespaceResults(rounds, warmup.iterations(), measurement.iterations(),
                measurement.timeUnit().toMillis(measurement.time()) / 1000.0, forks));
        return 0;
    }

    /** The parameter's values, in the order the benchmark declares them. */
    static List<String> values() {
        try {
            return List.of(NamespaceBenchmark.class.getField("namespaces").getAnnotation(Param.class).value());
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException("NamespaceBenchmark has no field 'namespaces'", e);
        }
    }

    /** One fork of the benchmark for {@code value}, with the iterations its annotations declare. */
    private static List<double[]> histogram(String value) throws RunnerException {
        RunResult result = new Runner(new OptionsBuilder()
                .include(BENCHMARK.replace(".", "\\.") + "$")
                .param("namespaces", value)
                .forks(1)
                .shouldFailOnError(true)
                .verbosity(VerboseMode.SILENT)
                .build()).runSingle();
        Map<Double, Long> counts = new TreeMap<>();
        for (IterationResult iteration : result.getBenchmarkResults().iterator().next().getIterationResults()) {
            Iterator<Map.Entry<Double, Long>> raw = iteration.getPrimaryResult().getStatistics().getRawData();
            raw.forEachRemaining(e -> counts.merge(e.getKey(), e.getValue(), Long::sum));
        }
        if (counts.isEmpty()) {
            throw new BenchException("the fork for namespaces=" + value + " measured nothing; run `benchmarks/run jmh"
                    + " NamespaceBenchmark -p namespaces=" + value + "` to see why");
        }
        List<double[]> bins = new ArrayList<>();
        counts.forEach((ms, n) -> bins.add(new double[] {ms, n}));
        return bins;
    }

    /** A fork's histogram as {@link Stats#ofCounts} takes it. */
    public static Map<Double, Long> counts(List<double[]> histogram) {
        Map<Double, Long> counts = new TreeMap<>();
        histogram.forEach(bin -> counts.merge(bin[0], (long) bin[1], Long::sum));
        return counts;
    }
}
