package dev.jbox.bench.process;

import java.util.List;

/**
 * What benchmarks/results/process.json holds: whole-process wall times of one run.
 *
 * @param tool        "hyperfine X.Y" or the fallback loop's name
 * @param warm        the peers' warm paths, timed in this JVM (Docker's API), with the same warm-up and runs
 * @param notMeasured the rows that could not be measured on this machine, and why
 */
public record ProcessResults(String tool, int warmup, int runs, List<Command> commands, List<Command> warm,
                             List<Missing> notMeasured) {
    public ProcessResults {
        // Files from before these were recorded have neither.
        warm = warm == null ? List.of() : warm;
        notMeasured = notMeasured == null ? List.of() : notMeasured;
    }

    /** One command line, timed {@code runs} times after {@code warmup} untimed runs. */
    public record Command(String name, String label, String command, List<Double> millis) {
    }

    /** A row that could not be measured here: what it would have been and why not. */
    public record Missing(String name, String label, String reason) {
    }
}
