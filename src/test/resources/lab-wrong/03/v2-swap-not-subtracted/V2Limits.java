// A plausible wrong answer, which the grader must fail: writes Docker's memory+swap to memory.swap.max, which counts swap alone.
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
        Map<String, String> files = new LinkedHashMap<>();
        Resources.Memory m = resources.memory();
        if (m != null) {
            // tag::v2-memory[]
            if (m.limit() != null) {
                files.put("memory.max", max(m.limit()));
            }
            if (m.swap() != null) {
                // The spec's swap counts memory + swap, as v1 does; v2's memory.swap.max counts swap alone.
                long limit = m.limit() != null ? m.limit() : memoryMax;
                if (m.swap() != -1 && limit == -1) {
                    throw new JboxException("--memory-swap needs a --memory limit on cgroup v2, since it is memory plus swap");
                }
                files.put("memory.swap.max", max(m.swap()));
            }
            if (m.reservation() != null) {
                files.put("memory.low", max(m.reservation()));
            }
            // end::v2-memory[]
        }
        Resources.Cpu c = resources.cpu();
        if (c != null) {
            if (c.shares() != null) {
                // v1's shares (2-262144, default 1024) on v2's weight scale (1-10000, default 100), as runc maps them.
                long shares = Math.max(2, Math.min(c.shares(), 262144));
                files.put("cpu.weight", Long.toString(1 + ((shares - 2) * 9999) / 262142));
            }
            if (c.quota() != null || c.period() != null) {
                // "max 100000" is no limit; "50000 100000" is half a CPU.
                String quota = c.quota() == null ? "max" : max(c.quota());
                files.put("cpu.max", c.period() == null ? quota : quota + " " + c.period());
            }
        }
        if (resources.pids() != null) {
            files.put("pids.max", resources.pids().limit() > 0 ? Long.toString(resources.pids().limit()) : "max");
        }
        return files;
    }

    private static String max(long value) {
        return value == -1 ? "max" : Long.toString(value);
    }
}
