package dev.jbox.bench.report;

import dev.jbox.bench.Stats;
import dev.jbox.bench.overhead.OverheadResults;
import java.util.List;

/** The overhead results as rates and ratios: each environment's median rate against native's. */
final class Overheads {
    static final String NATIVE = "native";

    private final OverheadResults results;

    Overheads(OverheadResults results) {
        this.results = results;
    }

    List<OverheadResults.WorkloadInfo> workloads() {
        return results.workloads();
    }

    /** Every environment but native, in the order they ran. */
    List<OverheadResults.Environment> others() {
        return results.environments().stream().filter(e -> !e.name().equals(NATIVE)).toList();
    }

    OverheadResults.Environment environment(String name) {
        return results.environments().stream().filter(e -> e.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no environment " + name + " in the overhead results"));
    }

    Stats rates(OverheadResults.Environment env, String workload) {
        return Stats.of(env.runs().stream().filter(r -> r.workload().equals(workload))
                .map(OverheadResults.Run::rate).toList());
    }

    /** How many times as long the work takes there as natively: 1.0 is native speed, 2.0 half of it. */
    double slowdown(OverheadResults.Environment env, String workload) {
        return rates(environment(NATIVE), workload).median() / rates(env, workload).median();
    }

    /** The name of an environment in a chart or a sentence: "jbox" or "VM (TCG)". */
    String shortName(OverheadResults.Environment env) {
        return env.name().equals("vm") ? "VM (" + results.accelerator().toUpperCase(java.util.Locale.ROOT) + ")" : env.name();
    }

    /** Whether a VM on {@code accelerator} is emulated (QEMU's TCG), so its ratios measure the emulator. */
    static boolean emulated(String accelerator) {
        return "tcg".equalsIgnoreCase(accelerator);
    }

    String accelerator() {
        return results.accelerator();
    }

    String acceleratorNote() {
        return results.acceleratorNote();
    }
}
