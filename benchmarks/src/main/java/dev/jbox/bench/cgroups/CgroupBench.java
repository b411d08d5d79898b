package dev.jbox.bench.cgroups;

import dev.jbox.bench.BenchCli;
import dev.jbox.bench.BenchException;
import dev.jbox.bench.BenchImage;
import dev.jbox.bench.Json;
import dev.jbox.bench.overhead.VmOptions;
import dev.jbox.cgroups.CgroupMounts;
import dev.jbox.cgroups.CgroupVersion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Chapter 3's measurements, in one JVM: what the cgroup adds to a warm start, whether CPU quota
 * and shares hold, and CPU- and memory-bound work with and without limits against a VM.
 */
@Command(name = "benchmarks/run cgroups", mixinStandardHelpOptions = true,
        description = "Chapter 3: the cgroup's start cost (chapter 2 vs 3, warm), CPU quota and shares accuracy,"
                + " workloads with and without limits against a VM.")
public final class CgroupBench implements Callable<Integer> {

    @Option(names = "--out", paramLabel = "FILE", required = true, description = "Where to write the results (JSON).")
    Path out;

    @Option(names = "--pairs", defaultValue = "150", description = "Timed chapter-2/chapter-3 start pairs (default: ${DEFAULT-VALUE}).")
    int pairs;

    @Option(names = "--warmup", defaultValue = "30", description = "Untimed pairs first (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--guest-pairs", defaultValue = "20",
            description = "Pairs in the cgroup-v2 guest, where each start is emulated under TCG (default: ${DEFAULT-VALUE}).")
    int guestPairs;

    @Option(names = "--guest-warmup", defaultValue = "5", description = "Untimed pairs first in the guest (default: ${DEFAULT-VALUE}).")
    int guestWarmup;

    @Option(names = "--start-only", description = "Only the start pairs, each printed as it is measured: what the guest runs.")
    boolean startOnly;

    @Option(names = "--seconds", defaultValue = "4", description = "How long each CPU case is measured (default: ${DEFAULT-VALUE}).")
    double seconds;

    @Option(names = "--rounds", defaultValue = "3", description = "Rounds of the CPU cases (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--reps", defaultValue = "3", description = "Workload rounds natively and in containers (default: ${DEFAULT-VALUE}).")
    int reps;

    @Option(names = "--vm-reps", defaultValue = "2", description = "Workload rounds in the VM (default: ${DEFAULT-VALUE}).")
    int vmReps;

    @Mixin
    VmOptions vm;

    public static void main(String[] args) {
        BenchCli.exit("cgroups", new CgroupBench(), args);
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (pairs < 1 || rounds < 1 || reps < 1 || vmReps < 1 || seconds <= 0) {
            throw new BenchException("--pairs, --rounds, --reps and --vm-reps must be at least 1, --seconds above 0");
        }
        String load = Files.readString(Path.of("/proc/loadavg")).strip();
        String version = CgroupMounts.ofMachine().version() == CgroupVersion.V2 ? "v2" : "v1";
        if (startOnly) {
            try (BenchImage image = BenchImage.forContainers(); EngineRuns engine = new EngineRuns(image)) {
                StartPairs.measure(engine, warmup, pairs, true);
            }
            return 0;
        }
        CgroupResults.Guest guest = guest(version);
        try (BenchImage image = BenchImage.forContainers(); EngineRuns engine = new EngineRuns(image)) {
            CgroupResults.Start start = StartPairs.measure(engine, warmup, pairs, false);
            CgroupResults.Accuracy accuracy = CpuAccuracy.measure(engine, seconds, rounds);
            CgroupResults.Workloads workloads = LimitedWorkloads.measure(image, engine, reps, vmReps, vm);
            Json.write(out, new CgroupResults(version, load, start, guest, accuracy, workloads));
        }
        return 0;
    }

    /** The other cgroup version's start pairs, in the v2 guest if this machine is v1; or why not. */
    private CgroupResults.Guest guest(String version) {
        if (version.equals("v2")) {
            return new CgroupResults.Guest("v1", "-", "this machine mounts v2, and the benchmarks have no v1"
                    + " guest", null);
        }
        if (vm.noVm) {
            return new CgroupResults.Guest("v2", "-", "the VMs were left out (--no-vm)", null);
        }
        try {
            return GuestStart.measure(guestWarmup, guestPairs, vm.accel, vm.accelFrom);
        } catch (IOException | RuntimeException e) {
            // The rest of the piece still runs; the table says why this row is empty.
            System.err.println("cgroups: the v2 guest's starts were not measured: " + e.getMessage());
            return new CgroupResults.Guest("v2", "-", "the cgroup-v2 guest failed (" + e.getMessage() + ")", null);
        }
    }
}
