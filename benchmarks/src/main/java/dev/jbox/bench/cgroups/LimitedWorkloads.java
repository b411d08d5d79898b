package dev.jbox.bench.cgroups;

import dev.jbox.bench.BenchException;
import dev.jbox.bench.BenchImage;
import dev.jbox.bench.Commands;
import dev.jbox.bench.overhead.OverheadResults;
import dev.jbox.bench.overhead.VmOptions;
import dev.jbox.bench.overhead.VmWork;
import dev.jbox.bench.overhead.WorkProgram;
import dev.jbox.bench.overhead.Workload;
import dev.jbox.cgroups.Resources;
import dev.jbox.kernel.Kernel;
import dev.jbox.runtime.Launch;
import dev.jbox.vm.GuestExtras;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A CPU-bound and a memory-bound workload (the overhead comparison's program) natively, in a
 * chapter-3 container without limits and with the VM's CPUs and memory as limits, and in a VM
 * given those CPUs and that memory. Native and the two containers alternate round by round, so
 * the machine's load hits them alike.
 */
final class LimitedWorkloads {
    static final List<Workload> WORKLOADS = List.of(Workload.CPU_INT, Workload.MEM_COPY);
    /** The VM of the overhead comparison has 1 vCPU; the limited container gets as much. */
    static final String CPUS = "1";

    private LimitedWorkloads() {
    }

    static CgroupResults.Workloads measure(BenchImage image, EngineRuns engine, int reps, int vmReps, VmOptions o)
            throws IOException {
        Path program = WorkProgram.build(image.directory("work"));
        Path inImage = image.rootfs().resolve(VmWork.IN_GUEST.substring(1));
        Files.createDirectories(inImage.getParent());
        Files.copy(program, inImage, StandardCopyOption.COPY_ATTRIBUTES, StandardCopyOption.REPLACE_EXISTING);
        String memory = o.vmMemoryMiB + "m";
        Resources limits = EngineRuns.limits(f -> f.cpus(CPUS).memory(memory));
        List<OverheadResults.Run> host = new ArrayList<>(), free = new ArrayList<>(), limited = new ArrayList<>();
        for (int r = 1; r <= reps; r++) {
            List<String> command = new ArrayList<>(List.of(program.toString()));
            command.addAll(arguments(false));
            host.addAll(report("native", r, reps, WorkProgram.parse(Commands.output(command))));
            free.addAll(report("jbox3", r, reps, inContainer(image, engine, null)));
            limited.addAll(report("jbox3-limits", r, reps, inContainer(image, engine, limits)));
        }
        List<OverheadResults.Environment> environments = new ArrayList<>(List.of(
                new OverheadResults.Environment("native", "native: on the host", host),
                new OverheadResults.Environment("jbox3", "jbox chapter 3, no limits (a cgroup of its own, all namespaces,"
                        + " loopback only)", free),
                new OverheadResults.Environment("jbox3-limits", "jbox chapter 3 with the VM's resources as limits: `--cpus "
                        + CPUS + " --memory " + memory + "`", limited)));
        String accelerator = "-";
        String note = "the VM was left out (--no-vm)";
        if (!o.noVm) {
            VmWork.Result vm = VmWork.run(o.cache, o.accel, o.accelFrom, o.vmMemoryMiB, program,
                    LimitedWorkloads::arguments, GuestExtras.NONE, vmReps);
            accelerator = vm.accelerator();
            note = vm.acceleratorNote();
            environments.add(new OverheadResults.Environment("vm", String.format(Locale.ROOT, "VM (%s): QEMU -M %s, 1 vCPU,"
                            + " %d MiB, %s%s", accelerator.toUpperCase(Locale.ROOT), VmWork.MACHINE, o.vmMemoryMiB,
                    vm.kernel(), vm.emulated() ? "; less work under emulation, compared as rates. TCG: measures the emulator"
                            : ""), vm.runs()));
        }
        List<OverheadResults.WorkloadInfo> infos = WORKLOADS.stream()
                .map(w -> new OverheadResults.WorkloadInfo(w.key(), w.label(), w.rateUnit())).toList();
        return new CgroupResults.Workloads(accelerator, note, infos, environments);
    }

    static List<String> arguments(boolean emulated) {
        return WORKLOADS.stream().map(w -> w.argument(emulated)).toList();
    }

    /** The workloads in a chapter-3 container, with {@code limits} (null: none); their output read from a file. */
    private static List<OverheadResults.Run> inContainer(BenchImage image, EngineRuns engine, Resources limits)
            throws IOException {
        List<String> command = new ArrayList<>(List.of(VmWork.IN_GUEST));
        command.addAll(arguments(false));
        Path output = image.directory("output").resolve("limited.txt");
        int out = Kernel.open(output.toString(), Kernel.O_WRONLY | Kernel.O_CREAT | Kernel.O_TRUNC | Kernel.O_CLOEXEC, 0644);
        try {
            engine.run(engine.request(3, command, b -> {
                Launch.Stdio devNull = b.build().stdio();
                return b.resources(limits).stdio(new Launch.Stdio(devNull.in(), out, 2));
            }));
        } finally {
            Kernel.closeQuietly(out);
        }
        return WorkProgram.parse(Files.readString(output));
    }

    private static List<OverheadResults.Run> report(String where, int round, int rounds, List<OverheadResults.Run> runs) {
        if (runs.size() != WORKLOADS.size()) {
            throw new BenchException(where + " reported " + runs.size() + " results instead of " + WORKLOADS.size());
        }
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "cgroups: %-12s %d/%d:", where, round, rounds));
        runs.forEach(r -> line.append(String.format(Locale.ROOT, " %s %.0f", r.workload(), r.rate())));
        System.err.println(line);
        return runs;
    }
}
