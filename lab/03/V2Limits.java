package dev.jbox.cgroups;

import dev.jbox.JboxException;
import java.util.LinkedHashMap;
import java.util.Map;

/** Docker's memory, CPU and pids limits as cgroup v2's files, as lab 3 has the student write it. */
public final class V2Limits {
    private V2Limits() {
    }

    /**
     * The files of a v2 cgroup that carry the memory, CPU and pids limits of {@code resources},
     * each with the value to write there; a limit left null writes no file. v2 has its own units
     * where v1's differ: swap alone, a CPU weight of 1 to 10000, the quota and period on one line,
     * and "max" for no limit.
     *
     * @param memoryMax the cgroup's memory.max now, -1 for "max": what a memory-plus-swap limit is
     *                  measured against when {@code resources} changes swap without memory ({@code jbox update})
     */
    public static Map<String, String> files(Resources resources, long memoryMax) {
        // The contract (graded by ./jbox lab check 3). Return a map file -> value (a LinkedHashMap keeps your
        // order); put a file only when its field of resources is set (not null). -1 in the spec means no
        // limit, which v2 writes as "max". See the kernel's Documentation/admin-guide/cgroup-v2.rst.
        // - memory (resources.memory(), bytes): limit -> memory.max; reservation -> memory.low;
        //   swap is memory PLUS swap (Docker's --memory-swap), but memory.swap.max counts swap alone:
        //   subtract the memory limit (this call's, else the cgroup's memoryMax now); if there is no memory
        //   limit to subtract, throw a JboxException saying --memory-swap needs a --memory limit;
        // - cpu (resources.cpu()): shares (v1's scale, 2 to 262144, default 1024) -> cpu.weight on v2's
        //   scale (1 to 10000, default 100), as runc maps it: 1 + ((shares - 2) * 9999) / 262142, with
        //   shares first clamped to 2..262144; quota and period (microseconds) -> cpu.max, "QUOTA PERIOD",
        //   "max" for a missing or -1 quota, and the quota alone when there is no period;
        // - pids (resources.pids()): limit -> pids.max, where 0 or -1 (no limit) is "max".
        // cpuset, io, devices and --oom-kill-disable are CgroupV2's; leave them out.
        throw new UnsupportedOperationException("lab 3: write me");
    }
}
