package dev.jbox.bench.overhead;

import dev.jbox.bench.BenchCli;
import dev.jbox.bench.BenchException;
import dev.jbox.bench.BenchImage;
import dev.jbox.bench.Commands;
import dev.jbox.bench.Json;
import dev.jbox.kernel.Kernel;
import dev.jbox.kernel.WaitStatus;
import dev.jbox.runtime.ContainerProcess;
import dev.jbox.runtime.ContainerRuntime;
import dev.jbox.runtime.Launch;
import dev.jbox.spec.ContainerSpec;
import dev.jbox.vm.GuestExtras;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Overhead in the shape of Felter et al., "An Updated Performance Comparison of Virtual
 * Machines and Linux Containers" (ISPASS 2015): the same workloads natively, in a container
 * and in a VM, as ratios to native from one run. The workloads are one static C program
 * ({@link WorkProgram}) that times itself, so how each environment starts it is not measured.
 * Native and container rounds alternate, so a change in the machine's load hits both alike.
 */
@Command(name = "benchmarks/run overhead", mixinStandardHelpOptions = true,
        description = "CPU, memory, fork+exec and file I/O workloads: native, in a jbox chapter-2 container, in a VM.")
public final class Overhead implements Callable<Integer> {
    private static final String IN_CONTAINER = "/bench/" + WorkProgram.NAME;
    private static final String CONTAINER_DIR = "/bench-io";
    private static final String GUEST_DIR = "/mnt/disk";
    private static final long DISK_BYTES = 1L << 30;
    /** virtio-blk for the disk, ext4 on it (crc32c for its checksums: the guest has no modprobe to fetch it). */
    private static final List<String> DISK_MODULES = List.of("virtio_pci", "virtio_blk", "crc32c_generic", "ext4");

    @Option(names = "--out", paramLabel = "FILE", required = true, description = "Where to write the results (JSON).")
    Path out;

    @Option(names = "--reps", paramLabel = "N", defaultValue = "5",
            description = "Rounds natively and in the container (default: ${DEFAULT-VALUE}).")
    int reps;

    @Option(names = "--vm-reps", paramLabel = "N", defaultValue = "3", description = "Rounds in the VM (default: ${DEFAULT-VALUE}).")
    int vmReps;

    @Mixin
    VmOptions vmOptions;

    public static void main(String[] args) {
        BenchCli.exit("overhead", new Overhead(), args);
    }

    @Override
    public Integer call() throws IOException {
        if (reps < 1 || vmReps < 1) {
            throw new BenchException("--reps and --vm-reps must be at least 1");
        }
        try (BenchImage image = BenchImage.forContainers()) {
            Path program = WorkProgram.build(image.directory("work"));
            Path hostDir = image.directory("host-io");
            Path inImage = image.rootfs().resolve(IN_CONTAINER.substring(1));
            Files.createDirectories(inImage.getParent());
            Files.copy(program, inImage, StandardCopyOption.COPY_ATTRIBUTES);
            Files.createDirectories(image.rootfs().resolve(CONTAINER_DIR.substring(1)));

            List<OverheadResults.Run> host = new ArrayList<>();
            List<OverheadResults.Run> jbox = new ArrayList<>();
            ContainerRuntime chapter2 = image.runtime(2);
            for (int r = 1; r <= reps; r++) {
                host.addAll(report("native", r, reps, natively(program, hostDir)));
                jbox.addAll(report("jbox", r, reps, inContainer(image, chapter2)));
            }
            String fs = Files.getFileStore(hostDir).type();
            List<OverheadResults.Environment> environments = new ArrayList<>(List.of(
                    new OverheadResults.Environment("native", "native: on the host, the file in a host directory (" + fs + ")", host),
                    new OverheadResults.Environment("jbox", "jbox chapter 2, all namespaces: the file in the container's root"
                            + " (the image directory, bind-mounted: " + fs + ")", jbox)));
            String accelerator = "-";
            String note = "the VM was left out (--no-vm)";
            if (!vmOptions.noVm) {
                Vm vm = inVm(image, program);
                accelerator = vm.accelerator;
                note = vm.note;
                environments.add(vm.environment);
            }
            List<OverheadResults.WorkloadInfo> workloads = java.util.Arrays.stream(Workload.values())
                    .map(w -> new OverheadResults.WorkloadInfo(w.key(), w.label(), w.rateUnit())).toList();
            Json.write(out, new OverheadResults(accelerator, note, workloads, environments));
        }
        return 0;
    }

    private static List<OverheadResults.Run> natively(Path program, Path dir) {
        List<String> command = new ArrayList<>(List.of(program.toString(), "--dir", dir.toString()));
        command.addAll(Workload.arguments(false));
        return WorkProgram.parse(Commands.output(command));
    }

    private static List<OverheadResults.Run> inContainer(BenchImage image, ContainerRuntime chapter2) throws IOException {
        List<String> command = new ArrayList<>(List.of(IN_CONTAINER, "--dir", CONTAINER_DIR));
        command.addAll(Workload.arguments(false));
        Path output = image.directory("output").resolve("container.txt");
        int in = Kernel.open("/dev/null", Kernel.O_RDONLY | Kernel.O_CLOEXEC, 0);
        int out = Kernel.open(output.toString(), Kernel.O_WRONLY | Kernel.O_CREAT | Kernel.O_TRUNC | Kernel.O_CLOEXEC, 0644);
        ContainerProcess container;
        try {
            ContainerSpec spec = image.spec(command).build();
            container = chapter2.create(spec, new Launch(new Launch.Stdio(in, out, 2), false, image.stateDir("overhead")));
        } finally {
            Kernel.closeQuietly(in);
            Kernel.closeQuietly(out);
        }
        container.start();
        WaitStatus status = container.waitFor();
        if (!status.exited() || status.exitCode() != 0) {
            throw new BenchException("the workloads in the container " + status + " (their error is above)");
        }
        return WorkProgram.parse(Files.readString(output));
    }

    private record Vm(String accelerator, String note, OverheadResults.Environment environment) {
    }

    private Vm inVm(BenchImage image, Path program) throws IOException {
        Path disk = image.directory("vm").resolve("disk.img");
        try (RandomAccessFile file = new RandomAccessFile(disk.toFile(), "rw")) {
            file.setLength(DISK_BYTES); // sparse
        }
        // Initialised in full now: ext4's lazy initialisation would otherwise write in the background while we time.
        Commands.output(List.of("mkfs.ext4", "-q", "-F", "-E", "lazy_itable_init=0,lazy_journal_init=0", disk.toString()));
        List<String> setup = List.of(
                "i=0; while [ ! -b /dev/vda ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i+1)); done",
                "mkdir -p " + GUEST_DIR + " && mount -t ext4 /dev/vda " + GUEST_DIR);
        // cache=none: the host opens the image with O_DIRECT, so the guest's reads reach the disk, as on the host.
        List<String> qemuArgs = List.of("-drive", "file=" + disk + ",format=raw,if=virtio,cache=none");
        GuestExtras extras = new GuestExtras(Map.of(), DISK_MODULES, setup, qemuArgs);
        VmWork.Result result = VmWork.run(vmOptions.cache, vmOptions.accel, vmOptions.accelFrom, vmOptions.vmMemoryMiB, program, emulated -> {
            List<String> args = new ArrayList<>(List.of("--dir", GUEST_DIR));
            args.addAll(Workload.arguments(emulated));
            return args;
        }, extras, vmReps);
        String label = String.format(Locale.ROOT, "VM (%s): QEMU -M %s, 1 vCPU, %d MiB, %s; the file on ext4 on a"
                        + " virtio-blk disk (a raw file on the host, cache=none)%s", result.accelerator().toUpperCase(Locale.ROOT),
                VmWork.MACHINE, vmOptions.vmMemoryMiB, result.kernel(),
                result.emulated() ? "; smaller amounts of work under emulation, compared as rates" : "");
        return new Vm(result.accelerator(), result.acceleratorNote(), new OverheadResults.Environment("vm", label, result.runs()));
    }

    private static List<OverheadResults.Run> report(String where, int round, int rounds, List<OverheadResults.Run> runs) {
        if (runs.size() != Workload.values().length) {
            throw new BenchException(where + " reported " + runs.size() + " results instead of " + Workload.values().length);
        }
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "overhead: %-6s %d/%d:", where, round, rounds));
        for (OverheadResults.Run r : runs) {
            line.append(String.format(Locale.ROOT, " %s %.0f", r.workload(), r.rate()));
        }
        System.err.println(line);
        return runs;
    }
}
