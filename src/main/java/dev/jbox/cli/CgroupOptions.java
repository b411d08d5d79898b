package dev.jbox.cli;

import dev.jbox.cgroups.ResourceFlags;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Option;

/**
 * Docker's cgroup flags (chapter 3), shared by {@code run} and {@code update}. Values are parsed
 * as Docker parses them (512m, 1.5) by {@link ResourceFlags}; update refuses the ones Docker's
 * update has no flag for (--oom-kill-disable, --device-*).
 */
final class CgroupOptions {
    @Option(names = {"-m", "--memory"}, paramLabel = "BYTES", description = "Memory limit (e.g. 512m).")
    String memory;
    @Option(names = "--memory-swap", paramLabel = "BYTES", description = "Memory plus swap (-1: unlimited swap).")
    String memorySwap;
    @Option(names = "--memory-reservation", paramLabel = "BYTES", description = "Memory soft limit.")
    String memoryReservation;
    @Option(names = "--oom-kill-disable", description = "Do not let the OOM killer kill the container's processes.")
    boolean oomKillDisable;
    @Option(names = "--cpus", paramLabel = "N", description = "CPUs the container may use (e.g. 1.5).")
    String cpus;
    @Option(names = {"-c", "--cpu-shares"}, paramLabel = "N", description = "Relative CPU weight (default 1024).")
    String cpuShares;
    @Option(names = "--cpu-period", paramLabel = "US", description = "CFS period in microseconds.")
    String cpuPeriod;
    @Option(names = "--cpu-quota", paramLabel = "US", description = "CFS quota in microseconds per period.")
    String cpuQuota;
    @Option(names = "--cpuset-cpus", paramLabel = "LIST", description = "CPUs the container may run on (0-1,3).")
    String cpusetCpus;
    @Option(names = "--cpuset-mems", paramLabel = "LIST", description = "Memory nodes the container may use.")
    String cpusetMems;
    @Option(names = "--pids-limit", paramLabel = "N", description = "Most processes at once (-1: unlimited).")
    String pidsLimit;
    @Option(names = "--blkio-weight", paramLabel = "N", description = "Relative block IO weight (10-1000).")
    String blkioWeight;
    @Option(names = "--device-read-bps", paramLabel = "DEV:RATE", description = "Read rate limit of a device (e.g. /dev/sda:10mb).")
    List<String> deviceReadBps = new ArrayList<>();
    @Option(names = "--device-write-bps", paramLabel = "DEV:RATE", description = "Write rate limit of a device.")
    List<String> deviceWriteBps = new ArrayList<>();
    @Option(names = "--device-read-iops", paramLabel = "DEV:N", description = "Read IO/s limit of a device.")
    List<String> deviceReadIops = new ArrayList<>();
    @Option(names = "--device-write-iops", paramLabel = "DEV:N", description = "Write IO/s limit of a device.")
    List<String> deviceWriteIops = new ArrayList<>();
    /** Whether the user gave any of these flags ({@code given}: the long names of the options matched). */
    boolean anyGiven(Set<String> given) {
        return given.stream().anyMatch(o -> o.startsWith("--memory") || o.startsWith("--cpu") || o.startsWith("--device-")
                || o.equals("--pids-limit") || o.equals("--blkio-weight") || o.equals("--oom-kill-disable"));
    }

    /** The flags given, parsed (a bad value fails here, in Docker's words). */
    ResourceFlags flags() {
        ResourceFlags f = new ResourceFlags();
        if (memory != null) f.memory(memory);
        if (memorySwap != null) f.memorySwap(memorySwap);
        if (memoryReservation != null) f.memoryReservation(memoryReservation);
        f.oomKillDisable(oomKillDisable);
        if (cpus != null) f.cpus(cpus);
        if (cpuShares != null) f.cpuShares(cpuShares);
        if (cpuPeriod != null) f.cpuPeriod(cpuPeriod);
        if (cpuQuota != null) f.cpuQuota(cpuQuota);
        if (cpusetCpus != null) f.cpusetCpus(cpusetCpus);
        if (cpusetMems != null) f.cpusetMems(cpusetMems);
        if (pidsLimit != null) f.pidsLimit(pidsLimit);
        if (blkioWeight != null) f.blkioWeight(blkioWeight);
        deviceReadBps.forEach(f::deviceReadBps);
        deviceWriteBps.forEach(f::deviceWriteBps);
        deviceReadIops.forEach(f::deviceReadIops);
        deviceWriteIops.forEach(f::deviceWriteIops);
        return f;
    }
}
