package dev.jbox.cli;

import dev.jbox.cgroups.Machine;
import dev.jbox.cgroups.ResourceFlags;
import dev.jbox.engine.Engine;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "update", description = "Change the cgroup limits of running containers (chapter 3).")
final class UpdateCommand extends ContainerCommand implements Callable<Integer> {
    @Option(names = {"-m", "--memory"}, paramLabel = "BYTES") String memory;
    @Option(names = "--memory-swap", paramLabel = "BYTES") String memorySwap;
    @Option(names = "--memory-reservation", paramLabel = "BYTES") String memoryReservation;
    @Option(names = "--cpus", paramLabel = "N") String cpus;
    @Option(names = {"-c", "--cpu-shares"}, paramLabel = "N") String cpuShares;
    @Option(names = "--cpu-period", paramLabel = "US") String cpuPeriod;
    @Option(names = "--cpu-quota", paramLabel = "US") String cpuQuota;
    @Option(names = "--cpuset-cpus", paramLabel = "LIST") String cpusetCpus;
    @Option(names = "--cpuset-mems", paramLabel = "LIST") String cpusetMems;
    @Option(names = "--pids-limit", paramLabel = "N") String pidsLimit;
    @Option(names = "--blkio-weight", paramLabel = "N") String blkioWeight;

    @Parameters(paramLabel = "CONTAINER", arity = "1..*")
    List<String> names;

    @Override
    public Integer call() {
        ResourceFlags f = new ResourceFlags();
        if (memory != null) f.memory(memory);
        if (memorySwap != null) f.memorySwap(memorySwap);
        if (memoryReservation != null) f.memoryReservation(memoryReservation);
        if (cpus != null) f.cpus(cpus);
        if (cpuShares != null) f.cpuShares(cpuShares);
        if (cpuPeriod != null) f.cpuPeriod(cpuPeriod);
        if (cpuQuota != null) f.cpuQuota(cpuQuota);
        if (cpusetCpus != null) f.cpusetCpus(cpusetCpus);
        if (cpusetMems != null) f.cpusetMems(cpusetMems);
        if (pidsLimit != null) f.pidsLimit(pidsLimit);
        if (blkioWeight != null) f.blkioWeight(blkioWeight);
        var changes = f.toUpdate(Machine.current());
        Engine engine = engine();
        for (String name : names) {
            engine.update(engine.find(name), changes);
            System.out.println(name);
        }
        return 0;
    }
}
