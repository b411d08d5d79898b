package dev.jbox.bench;

import dev.jbox.kernel.Kernel;
import dev.jbox.kernel.Spawn;
import dev.jbox.runtime.ContainerProcess;
import dev.jbox.runtime.ContainerRuntime;
import dev.jbox.runtime.Launch;
import dev.jbox.spec.ContainerSpec;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Chapter 1's claim, measured: how long it takes a warm engine to run {@code /bin/true} in a
 * chroot jail, against starting the same kind of process without a jail. Each benchmark is
 * one start and the wait for its exit, so the numbers are whole process lifetimes.
 *
 * <p>Three baselines separate the costs: {@link #processBuilderHostTrue} is what a Java
 * program normally does; {@link #spawnHostTrue} is jbox's own spawn path (glibc posix_spawn
 * through JNA) without a jail; {@link #spawnBusyboxTrue} also runs the image's static busybox
 * instead of the host's dynamically linked coreutils, so {@code chapter1Jail} minus it is
 * what the jail itself costs (a thread, unshare, chroot, the PATH lookup).
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
@State(Scope.Benchmark)
public class StartBenchmark {
    private static final String HOST_TRUE = "/bin/true";

    private BenchImage image;
    private ContainerRuntime chapter1;
    private ContainerSpec jailedTrue;
    private String imageBusybox;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        image = BenchImage.forContainers();
        chapter1 = image.runtime(1);
        jailedTrue = image.spec(List.of(HOST_TRUE)).build();
        imageBusybox = image.rootfs().resolve("bin/busybox").toString();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        image.close();
    }

    @Benchmark
    public int chapter1Jail() {
        ContainerProcess jail = chapter1.create(jailedTrue, Launch.of(Launch.Stdio.INHERIT));
        jail.start();
        return BenchImage.succeeded(jail.waitFor());
    }

    @Benchmark
    public int spawnBusyboxTrue() {
        return BenchImage.succeeded(Kernel.waitpid(Spawn.program(imageBusybox, List.of("true")).start()));
    }

    @Benchmark
    public int spawnHostTrue() {
        return BenchImage.succeeded(Kernel.waitpid(Spawn.program(HOST_TRUE, List.of("true")).start()));
    }

    @Benchmark
    public int processBuilderHostTrue() throws IOException, InterruptedException {
        // inheritIO: no pipes, like the other three, so only the way of starting differs.
        int code = new ProcessBuilder(HOST_TRUE).inheritIO().start().waitFor();
        if (code != 0) {
            throw new IllegalStateException(HOST_TRUE + " exited with " + code);
        }
        return code;
    }
}
