package dev.jbox.cgroups;

/**
 * What a container has used, read from its cgroup: the figures {@code jbox stats}, {@code top}
 * and {@code inspect} show. A limit of -1 means none is set.
 *
 * @param cpuUsageNanos      CPU time used by all its processes since the cgroup was made, in nanoseconds
 * @param memoryUsage        bytes charged to it, page cache included
 * @param memoryInactiveFile bytes of that which are page cache the kernel can drop first
 * @param memoryLimit        its memory limit in bytes, or -1
 * @param pidsCurrent        processes and threads in it now
 * @param pidsLimit          the most it may hold, or -1
 * @param blockReadBytes     bytes read from block devices
 * @param blockWriteBytes    bytes written to block devices
 * @param oomKills           processes the OOM killer has killed in it
 */
public record Stats(long cpuUsageNanos, long memoryUsage, long memoryInactiveFile, long memoryLimit, long pidsCurrent,
                    long pidsLimit, long blockReadBytes, long blockWriteBytes, long oomKills) {
    /** Memory as {@code docker stats} shows it: usage less the cache the kernel would drop first. */
    public long memoryWorkingSet() {
        return Math.max(0, memoryUsage - memoryInactiveFile);
    }

    /** CPU use between {@code earlier} and this reading, {@code elapsedNanos} apart, in percent of one CPU. */
    public double cpuPercentSince(Stats earlier, long elapsedNanos) {
        return elapsedNanos <= 0 ? 0 : 100.0 * (cpuUsageNanos - earlier.cpuUsageNanos) / elapsedNanos;
    }
}
