package dev.jbox.bench.cgroups;

import dev.jbox.bench.overhead.OverheadResults;
import java.util.List;

/**
 * What benchmarks/results/cgroups.json holds: chapter 3's measurements from one run.
 *
 * @param cgroupVersion the cgroup version limits went through here ("v1" or "v2")
 * @param loadAtStart   /proc/loadavg when this piece started: the accuracy figures are taken under it
 * @param start         what the cgroup adds to a warm start, on this machine's cgroup version
 * @param guest         the same on the other version, in the QEMU guest (v2), or why it was not measured
 * @param accuracy      CPU quota and shares, asked against got
 * @param workloads     CPU- and memory-bound work with and without limits, and in a VM
 */
public record CgroupResults(String cgroupVersion, String loadAtStart, Start start, Guest guest, Accuracy accuracy,
                            Workloads workloads) {
    /**
     * Chapter 2 against chapter 3 from one warm engine, alternating start by start.
     *
     * @param warmup     untimed pairs first
     * @param chapter2   each chapter-2 start, ms (create, start, wait, remove)
     * @param chapter3   each chapter-3 start, ms, the same and a cgroup
     */
    public record Start(int warmup, List<Double> chapter2, List<Double> chapter3) {
    }

    /**
     * The start pairs in the cgroup-v2 guest that shares the host's root.
     *
     * @param version     the guest's cgroup version
     * @param accelerator QEMU's: "tcg" measures the emulator
     * @param note        how the guest ran, or why nothing was measured
     * @param start       the pairs, or null if they were not measured
     */
    public record Guest(String version, String accelerator, String note, Start start) {
    }

    /**
     * @param seconds how long each case ran busy
     * @param cases   every case, each round's figure
     */
    public record Accuracy(double seconds, int rounds, List<Case> cases) {
    }

    /**
     * One limit, as asked and as got in each round.
     *
     * @param name  e.g. {@code cpus-0.5} or {@code shares-1024:512}
     * @param label what ran, for people
     * @param asked the share of one CPU asked (quota), or the ratio of the two containers' CPU time (shares)
     * @param got   what each round measured, in the same unit
     */
    public record Case(String name, String label, double asked, List<Double> got) {
    }

    /**
     * @param accelerator the VM's accelerator ("tcg" or "kvm"), or "-" without the VM
     * @param note        why that accelerator, or why no VM
     * @param workloads   what each workload is
     * @param environments native first: the baseline of every ratio
     */
    public record Workloads(String accelerator, String note, List<OverheadResults.WorkloadInfo> workloads,
                            List<OverheadResults.Environment> environments) {
    }
}
