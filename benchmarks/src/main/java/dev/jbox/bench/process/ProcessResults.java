package dev.jbox.bench.process;

import java.util.List;

/**
 * What benchmarks/results/process.json holds: whole-process wall times of one run.
 *
 * @param tool "hyperfine X.Y" or the fallback loop's name
 */
public record ProcessResults(String tool, int warmup, int runs, List<Command> commands) {
    /** One command line, timed {@code runs} times after {@code warmup} untimed runs. */
    public record Command(String name, String label, String command, List<Double> millis) {
    }
}
