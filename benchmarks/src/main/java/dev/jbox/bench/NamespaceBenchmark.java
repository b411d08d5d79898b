package dev.jbox.bench;

import dev.jbox.runtime.ContainerProcess;
import dev.jbox.runtime.ContainerRuntime;
import dev.jbox.runtime.Launch;
import dev.jbox.spec.ContainerSpec;
import dev.jbox.spec.Namespace;
import java.io.IOException;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Chapter 2's start latency from a warm engine: create, start and wait for {@code /bin/true}
 * in the chapter-2 runtime, with each namespace on its own and with all of them. The mount
 * namespace is always there (pivot_root needs it), so {@code none} is the price of the mount
 * namespace, the root file system, jbox-init's shim and pid 1, and each other value minus
 * {@code none} is what that one namespace adds.
 *
 * <p>The annotations describe one fork; the standard run ({@link NamespaceRounds}) runs the forks
 * of all values interleaved, several rounds of one fork each, so that the differences are paired.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1, time = 1)
@Measurement(iterations = 2, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class NamespaceBenchmark {
    /** Names as in {@code jbox run --namespaces}; "none" is the mount namespace alone, "all" the default. */
    @Param({"none", "pid", "uts", "ipc", "net", "cgroup", "all"})
    public String namespaces;

    private BenchImage image;
    private ContainerRuntime chapter2;
    private ContainerSpec spec;
    private Launch launch;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        image = BenchImage.forContainers();
        chapter2 = image.runtime(2);
        // One state directory for every start: each create truncates the status file, and the
        // starts never overlap.
        spec = image.spec(List.of("/bin/true")).namespaces(chosen(namespaces)).build();
        launch = new Launch(Launch.Stdio.INHERIT, false, image.stateDir("bench"));
    }

    static Set<Namespace> chosen(String param) {
        return switch (param) {
            case "none" -> Set.of();
            case "all" -> EnumSet.allOf(Namespace.class);
            default -> Set.of(Namespace.named(param));
        };
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        image.close();
    }

    @Benchmark
    public int chapter2() {
        ContainerProcess container = chapter2.create(spec, launch);
        container.start();
        return BenchImage.succeeded(container.waitFor());
    }
}
