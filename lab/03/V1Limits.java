package dev.jbox.cgroups;

import java.util.LinkedHashMap;
import java.util.Map;

/** Docker's memory, CPU and pids limits as cgroup v1's files, as lab 3 has the student write it. */
public final class V1Limits {
    private V1Limits() {
    }

    /**
     * The files of a v1 cgroup that carry the memory, CPU and pids limits of {@code resources},
     * each with the value to write there, in the order to write them; a limit left null writes no
     * file. Each file's controller is the start of its name ({@code memory.*} lives in the memory
     * hierarchy). v1 keeps the spec's units: memory plus swap, shares, -1 for no limit (pids.max
     * alone says "max").
     *
     * @param memoryLimit the cgroup's memory.limit_in_bytes now (v1 reads about 2^63 for no limit)
     */
    public static Map<String, String> files(Resources resources, long memoryLimit) {
        // The contract (graded by ./jbox lab check 3). Return a LinkedHashMap, file -> value, in the order
        // CgroupV1.set writes them; put a file only when its field of resources is set (not null):
        // - memory (resources.memory(), bytes): limit -> memory.limit_in_bytes, swap (memory PLUS swap, as
        //   Docker's --memory-swap) -> memory.memsw.limit_in_bytes, reservation -> memory.soft_limit_in_bytes;
        //   -1 (no limit) is written as -1. The kernel refuses (EINVAL) any write that would leave memsw
        //   below the memory limit: when both change, write first the one that grows (is memsw above the
        //   cgroup's memoryLimit now? -1 is above everything);
        // - cpu (resources.cpu()): shares -> cpu.shares, period -> cpu.cfs_period_us, quota -> cpu.cfs_quota_us
        //   (microseconds; -1 for no limit);
        // - pids (resources.pids()): limit -> pids.max, where 0 or -1 (no limit) is "max".
        // cpuset, block I/O, devices and --oom-kill-disable are CgroupV1's; leave them out.
        throw new UnsupportedOperationException("lab 3: write me");
    }
}
