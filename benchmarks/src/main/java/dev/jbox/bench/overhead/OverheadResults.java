package dev.jbox.bench.overhead;

import java.util.List;

/**
 * What benchmarks/results/overhead.json holds: the same workloads natively, in a jbox
 * chapter-2 container and in a VM, from one run.
 *
 * @param accelerator     the VM's: "kvm" or "tcg" (emulation); the VM's ratios mean little without it
 * @param acceleratorNote why that accelerator
 * @param workloads       what each workload is, in the order they ran
 * @param environments    native first: the baseline of every ratio
 */
public record OverheadResults(String accelerator, String acceleratorNote, List<WorkloadInfo> workloads,
                              List<Environment> environments) {
    public record WorkloadInfo(String name, String label, String rateUnit) {
    }

    /** One place the workloads ran, and every timed run there. */
    public record Environment(String name, String label, List<Run> runs) {
    }

    /**
     * One workload once, as the program reported it.
     *
     * @param work    how much it did, in {@code unit}
     * @param seconds how long that took, by the program's own monotonic clock
     */
    public record Run(String workload, double work, String unit, double seconds) {
        public double rate() {
            return work / seconds;
        }
    }
}
