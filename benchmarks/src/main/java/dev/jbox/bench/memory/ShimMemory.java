package dev.jbox.bench.memory;

import dev.jbox.bench.BenchCli;
import dev.jbox.bench.BenchException;
import dev.jbox.bench.BenchImage;
import dev.jbox.bench.Json;
import dev.jbox.bench.ProcMemory;
import dev.jbox.bench.Stats;
import dev.jbox.kernel.Kernel;
import dev.jbox.runtime.ContainerProcess;
import dev.jbox.runtime.ContainerRuntime;
import dev.jbox.runtime.Launch;
import dev.jbox.spec.ContainerSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.ToLongFunction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The resident memory jbox adds per running container. A detached chapter-2 container is two
 * processes: jbox-init's shim, which stays in the host's PID namespace to wait for the
 * container and record its exit (no JVM stays behind), and the container's own pid 1. Only the
 * shim is jbox's; pid 1 is the program the user asked for, and is reported beside it so the
 * two are not confused. Starts N containers at once so that PSS shows what they share.
 */
@Command(name = "benchmarks/run memory", mixinStandardHelpOptions = true,
        description = "RSS and PSS of jbox-init's shim for N detached chapter-2 containers running at once.")
public final class ShimMemory implements Callable<Integer> {
    private static final int SIGKILL = 9;
    private static final List<String> COMMAND = List.of("sleep", "3600");

    @Option(names = "--containers", paramLabel = "N", defaultValue = "10",
            description = "How many containers run at once (default: ${DEFAULT-VALUE}).")
    int count;

    @Option(names = "--out", paramLabel = "FILE", required = true, description = "Where to write the results (JSON).")
    Path out;

    public static void main(String[] args) {
        BenchCli.exit("memory", new ShimMemory(), args);
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (count < 1) {
            throw new BenchException("--containers must be at least 1");
        }
        try (BenchImage image = BenchImage.forContainers()) {
            measure(image);
        }
        return 0;
    }

    private void measure(BenchImage image) throws InterruptedException {
        List<ContainerProcess> running = new ArrayList<>();
        try {
            ContainerRuntime chapter2 = image.runtime(2);
            int devNull = Kernel.open("/dev/null", Kernel.O_RDWR | Kernel.O_CLOEXEC, 0);
            try {
                for (int i = 0; i < count; i++) {
                    // Detached as `jbox run -d` leaves it: no terminal, output to a file (here /dev/null).
                    ContainerSpec spec = image.spec(COMMAND).build();
                    ContainerProcess c = chapter2.create(spec, new Launch(new Launch.Stdio(devNull, devNull, devNull),
                            false, image.stateDir("memory-" + i)));
                    running.add(c);
                    c.start();
                }
            } finally {
                Kernel.closeQuietly(devNull);
            }
            // Let every pid 1 finish its exec of sleep, so its memory is sleep's and not jbox-init's.
            Thread.sleep(500);
            List<ProcMemory> shims = new ArrayList<>();
            List<ProcMemory> pid1s = new ArrayList<>();
            for (ContainerProcess c : running) {
                shims.add(ProcMemory.of(c.waitedPid()));
                pid1s.add(ProcMemory.of(c.pid()));
            }
            print("shim", shims);
            print("pid 1", pid1s);
            Json.write(out, new MemoryResults(count, String.join(" ", COMMAND), shims, pid1s));
        } finally {
            for (ContainerProcess c : running) {
                c.signal(SIGKILL);
                c.waitFor();
            }
        }
    }

    private static void print(String what, List<ProcMemory> samples) {
        System.err.printf(Locale.ROOT, "memory: %-5s median RSS %d KiB, PSS %d KiB, USS %d KiB (n=%d)%n", what,
                median(samples, ProcMemory::rssKiB), median(samples, ProcMemory::pssKiB),
                median(samples, ProcMemory::ussKiB), samples.size());
    }

    private static long median(List<ProcMemory> samples, ToLongFunction<ProcMemory> field) {
        return Math.round(Stats.of(samples.stream().map(m -> (double) field.applyAsLong(m)).toList()).median());
    }
}
