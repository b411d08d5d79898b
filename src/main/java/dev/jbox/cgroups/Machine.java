package dev.jbox.cgroups;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What this machine offers containers, as Docker's daemon checks flags against it: how many CPUs,
 * which CPUs and memory nodes, which cgroup version, whether swap can be limited.
 *
 * @param cpus       the CPUs this process may run on (Docker's NumCPU)
 * @param cpusetCpus the CPUs a cpuset may name, e.g. {@code 0-1}
 * @param cpusetMems the memory nodes, e.g. {@code 0}
 * @param version    the cgroup version limits go through
 * @param swapLimit  whether memory + swap can be limited (v1 needs swap accounting in the kernel)
 */
public record Machine(int cpus, String cpusetCpus, String cpusetMems, CgroupVersion version, boolean swapLimit) {
    /** This machine, as seen from the engine's process. */
    public static Machine current() {
        CgroupMounts mounts = CgroupMounts.ofMachine();
        String allowed = statusField("Cpus_allowed_list");
        int cpus = allowed == null ? Runtime.getRuntime().availableProcessors() : Cpuset.parse(allowed).size();
        String cpusetCpus, cpusetMems;
        boolean swap;
        if (mounts.version() == CgroupVersion.V2) {
            cpusetCpus = read(mounts.unified().resolve("cpuset.cpus.effective"));
            cpusetMems = read(mounts.unified().resolve("cpuset.mems.effective"));
            String controllers = read(mounts.unified().resolve("cgroup.controllers"));
            swap = controllers != null && controllers.contains("memory");
        } else {
            Path cpuset = mounts.controllers().get("cpuset");
            Path memory = mounts.controllers().get("memory");
            cpusetCpus = cpuset == null ? null : read(cpuset.resolve("cpuset.cpus"));
            cpusetMems = cpuset == null ? null : read(cpuset.resolve("cpuset.mems"));
            swap = memory != null && Files.exists(memory.resolve("memory.memsw.limit_in_bytes"));
        }
        if (cpusetCpus == null || cpusetCpus.isEmpty()) {
            cpusetCpus = read(Path.of("/sys/devices/system/cpu/online"));
        }
        if (cpusetMems == null || cpusetMems.isEmpty()) {
            String nodes = read(Path.of("/sys/devices/system/node/online"));
            cpusetMems = nodes == null ? "0" : nodes;
        }
        return new Machine(cpus, cpusetCpus, cpusetMems, mounts.version(), swap);
    }

    private static String statusField(String name) {
        String status = read(Path.of("/proc/self/status"));
        for (String line : status == null ? new String[0] : status.split("\n")) {
            if (line.startsWith(name + ":")) {
                return line.substring(name.length() + 1).strip();
            }
        }
        return null;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file).strip();
        } catch (IOException e) {
            return null;
        }
    }
}
