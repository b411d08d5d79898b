// A plausible wrong answer, which the grader must fail: writes the quota to cpu.cfs_period_us and the period to cpu.cfs_quota_us.
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
        Map<String, String> files = new LinkedHashMap<>();
        Resources.Memory m = resources.memory();
        if (m != null) {
            // tag::v1-memory[]
            Long limit = m.limit(), swap = m.swap();
            // memory.memsw.limit_in_bytes (memory + swap) may never be below memory.limit_in_bytes,
            // so when both change, the one that grows is written first.
            boolean swapFirst = limit != null && swap != null && (swap == -1 || memoryLimit < swap);
            if (swapFirst) {
                files.put("memory.memsw.limit_in_bytes", swap.toString());
            }
            if (limit != null) {
                files.put("memory.limit_in_bytes", limit.toString());
            }
            if (swap != null && !swapFirst) {
                files.put("memory.memsw.limit_in_bytes", swap.toString());
            }
            if (m.reservation() != null) {
                files.put("memory.soft_limit_in_bytes", m.reservation().toString());
            }
            // end::v1-memory[]
        }
        Resources.Cpu c = resources.cpu();
        if (c != null) {
            if (c.shares() != null) {
                files.put("cpu.shares", c.shares().toString());
            }
            if (c.period() != null) {
                files.put("cpu.cfs_quota_us", c.period().toString());
            }
            if (c.quota() != null) {
                files.put("cpu.cfs_period_us", c.quota().toString());
            }
        }
        if (resources.pids() != null) {
            files.put("pids.max", resources.pids().limit() > 0 ? Long.toString(resources.pids().limit()) : "max");
        }
        return files;
    }
}
