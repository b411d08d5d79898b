package dev.jbox.cgroups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jbox.DataRoot;
import dev.jbox.JboxException;
import dev.jbox.engine.CreatedContainer;
import dev.jbox.engine.Engine;
import dev.jbox.engine.RunRequest;
import dev.jbox.kernel.Kernel;
import dev.jbox.lifecycle.ContainerRecord;
import dev.jbox.runtime.Launch;
import dev.jbox.testing.Captured;
import dev.jbox.testing.ChapterTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * Chapter 3's limits hold, on this machine's cgroups (v1 here; the same tests' v2 twins run in a
 * pure cgroup-v2 guest), through the engine: each test asserts a measured figure.
 */
class ContainerLimitsIT {
    @TempDir
    static Path store;
    static Engine engine;

    @BeforeAll
    static void engine() {
        Kernel.warmUp();
        engine = new Engine(new DataRoot(store));
    }

    @AfterEach
    void nothingLeft() {
        engine.reset();
    }

    private static RunRequest.Builder request(int chapter, UnaryOperator<ResourceFlags> flags, String script) {
        return RunRequest.image("busybox", "sh", "-c", script).chapter(chapter).network("none")
                .resources(flags.apply(new ResourceFlags()).toResources(Machine.current()));
    }

    private static Captured run(int chapter, UnaryOperator<ResourceFlags> flags, String script) {
        return Captured.run(engine, request(chapter, flags, script));
    }

    // tag::memory-hog[]
    @ChapterTest(since = 3)
    void aMemoryHogIsKilledAtItsLimitAndInspectSaysSo(int chapter) {
        CreatedContainer c = engine.create(request(chapter, f -> f.memory("32m").memorySwap("32m"),
                "head -c 200m /dev/zero | tail > /dev/null").build());
        engine.start(c);
        assertThat(c.process().waitFor().shellExitCode()).isEqualTo(137);
        engine.ended(c);
        Engine.Inspection i = engine.inspect(engine.find(c.record().id()));
        assertThat(i.oomKills()).isGreaterThanOrEqualTo(1);
        assertThat(i.record().spec().linux().resources().memory().limit()).isEqualTo(32L << 20);
        assertThat(CgroupsFeature.manager(i.record()).exists()).as("the cgroup goes when the container ends").isFalse();
    }
    // end::memory-hog[]

    // tag::fork-bomb[]
    @ChapterTest(since = 3)
    void aForkBombStopsAtThePidsLimitAndTheHostCanStillFork(int chapter) throws Exception {
        // 50 sleepers asked for; the shell itself and its subshell count too.
        Captured c = run(chapter, f -> f.pidsLimit("10"),
                "n=0; for i in $(seq 50); do (sleep 20 &) 2>/dev/null && n=$((n+1)); done; echo started $n; kill -9 -1");
        Matcher m = Pattern.compile("started (\\d+)").matcher(c.output());
        assertThat(m.find()).as(c.output()).isTrue();
        assertThat(Integer.parseInt(m.group(1))).isBetween(1, 10);
        assertThat(new ProcessBuilder("true").start().waitFor()).as("the host still forks").isZero();
    }
    // end::fork-bomb[]

    /** CPU time the container used while a busy loop ran {@code seconds}, as its cgroup counted it. */
    private static double cpuSecondsOfBusyLoop(CreatedContainer c, int seconds) throws Exception {
        engine.start(c);
        Thread.sleep(500); // let it start
        CgroupManager cgroup = CgroupsFeature.manager(c.record());
        long before = cgroup.stats().cpuUsageNanos();
        long t0 = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        long used = cgroup.stats().cpuUsageNanos() - before;
        long wall = System.nanoTime() - t0;
        c.process().signal(9);
        c.process().waitFor();
        engine.ended(c);
        return (double) used / wall;
    }

    // tag::half-a-cpu[]
    @ChapterTest(since = 3)
    void halfACpuHoldsABusyLoopAtFiftyPercent(int chapter) throws Exception {
        CreatedContainer c = engine.create(request(chapter, f -> f.cpus("0.5"), "while :; do :; done")
                .autoRemove(true).stdio(Launch.Stdio.INHERIT).build());
        double share = cpuSecondsOfBusyLoop(c, 5);
        System.err.printf("--cpus 0.5: %.1f%% of a CPU over 5 s%n", 100 * share);
        assertThat(share).as("CPU share with --cpus 0.5").isBetween(0.45, 0.55);
    }
    // end::half-a-cpu[]

    @ChapterTest(since = 3)
    void sharesSplitOneCpuTwoToOne(int chapter) throws Exception {
        CreatedContainer high = engine.create(request(chapter, f -> f.cpusetCpus("0").cpuShares("1024"),
                "while :; do :; done").autoRemove(true).build());
        CreatedContainer low = engine.create(request(chapter, f -> f.cpusetCpus("0").cpuShares("512"),
                "while :; do :; done").autoRemove(true).build());
        engine.start(high);
        engine.start(low);
        Thread.sleep(500);
        CgroupManager h = CgroupsFeature.manager(high.record()), l = CgroupsFeature.manager(low.record());
        long h0 = h.stats().cpuUsageNanos(), l0 = l.stats().cpuUsageNanos();
        Thread.sleep(5000);
        double ratio = (double) (h.stats().cpuUsageNanos() - h0) / (l.stats().cpuUsageNanos() - l0);
        for (CreatedContainer c : List.of(high, low)) {
            c.process().signal(9);
            c.process().waitFor();
            engine.ended(c);
        }
        System.err.printf("shares 1024:512 on one CPU: %.2f:1%n", ratio);
        assertThat(ratio).as("CPU time ratio with shares 1024:512").isBetween(1.8, 2.2);
    }

    @ChapterTest(since = 3)
    void tenMegabytesPerSecondHoldsDirectWrites(int chapter) {
        String device = rootDevice();
        // 30 MiB at 10 MiB/s: 3 s. O_DIRECT, so the page cache cannot absorb the writes.
        Captured c = run(chapter, f -> f.deviceWriteBps(device + ":10mb"),
                "time sh -c 'dd if=/dev/zero of=/tmp/f bs=1M count=30 oflag=direct 2>/dev/null'; rm /tmp/f");
        Matcher m = Pattern.compile("real\\s+(\\d+)m\\s*([\\d.]+)s").matcher(c.output());
        assertThat(m.find()).as(c.output()).isTrue();
        double seconds = Integer.parseInt(m.group(1)) * 60 + Double.parseDouble(m.group(2));
        double rate = 30 / seconds;
        System.err.printf("--device-write-bps %s:10mb: %.2f MiB/s%n", device, rate);
        assertThat(rate).as("MiB/s with --device-write-bps 10mb").isBetween(9.0, 11.0);
    }

    /** The whole disk that holds the store (throttles apply to disks, not partitions). */
    private static String rootDevice() {
        try {
            var st = Files.readAttributes(store, "unix:dev");
            long dev = (Long) st.get("dev");
            int major = (int) ((dev >> 8) & 0xfff);
            for (String line : Files.readAllLines(Path.of("/proc/partitions"))) {
                String[] f = line.trim().split("\\s+");
                if (f.length == 4 && f[0].equals(Integer.toString(major)) && f[1].equals("0")) {
                    return "/dev/" + f[3];
                }
            }
        } catch (Exception e) {
            throw new AssertionError("cannot find the disk of " + store, e);
        }
        throw new AssertionError("no whole disk for the store " + store + " in /proc/partitions");
    }

    @ChapterTest(since = 3)
    void aLimitTheKernelRefusesIsOneErrorAndNothingIsLeft(int chapter) {
        // cpuset 63 does not exist on this machine: Docker's check refuses it before the kernel would.
        assertThatThrownBy(() -> run(chapter, f -> f.cpusetCpus("63"), "true"))
                .isInstanceOf(JboxException.class).hasMessageContaining("63");
        assertThat(engine.list()).isEmpty();
    }

    @ChapterTest(since = 3)
    void theCgroupGoesWithRmAndAfterTheEngineForgotIt(int chapter) throws Exception {
        CreatedContainer c = engine.create(request(chapter, f -> f.memory("64m"), "sleep 600")
                .detach(true).stdio(Launch.Stdio.INHERIT).build());
        engine.start(c);
        ContainerRecord r = c.record();
        assertThat(CgroupsFeature.manager(r).exists()).isTrue();
        // A fresh engine (another jbox command) removes it from the record alone.
        new Engine(new DataRoot(store)).remove(r, true);
        assertThat(CgroupsFeature.manager(r).exists()).isFalse();
        // The shim is this JVM's child (the CLI would have exited and left it to init): reap it.
        assertThat(c.process().waitFor().shellExitCode()).isEqualTo(137);
    }
}
