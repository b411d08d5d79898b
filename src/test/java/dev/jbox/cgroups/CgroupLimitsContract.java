package dev.jbox.cgroups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Limits that hold, on the real kernel: what chapter 3 promises, checked the same way on cgroup
 * v1 (CgroupV1IT, this machine) and v2 (CgroupV2IT, the QEMU guest). Each test runs busybox
 * scripts held at a "go" line until they are in their cgroup, and asserts a measured figure.
 * Everything made lives under a parent {@code jbox-test-cg-<random>}, removed even when a test fails.
 */
abstract class CgroupLimitsContract {
    private static final long MIB = 1024 * 1024;
    protected TestBench bench;
    protected TestCgroups cgroups;

    /** Skips the class where the machine does not offer this cgroup version, saying why. */
    abstract void assumeThisMachine();

    @BeforeEach
    void makeParent() {
        assumeThisMachine();
        cgroups = TestCgroups.onMachine();
        bench = new TestBench(cgroups);
    }

    @AfterEach
    void removeEverything() throws IOException {
        if (bench != null) {
            bench.close();
        }
    }

    protected CgroupManager cgroup(String name, Resources resources) {
        CgroupManager cgroup = CgroupManager.forMachine(cgroups.parent, name);
        cgroup.create(resources);
        return cgroup;
    }

    private HeldProcess runIn(CgroupManager cgroup, String script) {
        return bench.runIn(cgroup, script);
    }

    private static Resources only(Resources.Memory memory, Resources.Cpu cpu, Resources.Pids pids) {
        return new Resources(memory, cpu, pids, null, null);
    }

    @Test
    void aProcessJoinsTheCgroupInEveryHierarchy() throws IOException {
        CgroupManager cgroup = cgroup("c1", Resources.NONE);
        HeldProcess p = bench.held("sleep 30");
        cgroup.apply(p.pid());
        String membership = Files.readString(Path.of("/proc/" + p.pid() + "/cgroup"));
        // v1: one line per hierarchy ("4:memory:/jbox-test-cg-x/c1"); v2: "0::/jbox-test-cg-x/c1".
        long lines = membership.lines().filter(l -> l.endsWith(":" + cgroup.path())).count();
        assertThat(lines).as(membership).isEqualTo(cgroup.directories().size());
        assertThat(cgroup.pids()).containsExactly(p.pid());
        assertThat(cgroup.path()).isEqualTo("/" + cgroups.parent + "/c1");
    }

    @Test
    void aMemoryHogIsKilledAtItsLimitAndTheKillIsCounted() {
        long limit = 32 * MIB;
        CgroupManager cgroup = cgroup("hog", only(new Resources.Memory(limit, null, limit, null), null, null));
        // dd fills a 64 MiB buffer: twice what it may have.
        HeldProcess hog = runIn(cgroup, "exec /bin/busybox dd if=/dev/zero of=/dev/null bs=64M count=1");
        int status = hog.waitFor(30);
        Stats stats = cgroup.stats();
        long peak = peak(cgroup);
        System.out.printf("memory hog: exit %d, OOM kills %d, peak %.1f MiB of a %d MiB limit%n",
                status, stats.oomKills(), peak / (double) MIB, limit / MIB);
        assertThat(status).as("killed by SIGKILL").isEqualTo(137);
        assertThat(stats.oomKills()).isGreaterThanOrEqualTo(1);
        assertThat(stats.memoryLimit()).isEqualTo(limit);
        assertThat(peak).as("peak usage").isLessThanOrEqualTo(limit).isGreaterThan(limit * 9 / 10);
    }

    /** The most memory the cgroup has held: v1's max_usage_in_bytes, v2's memory.peak. */
    private static long peak(CgroupManager cgroup) {
        for (Path dir : cgroup.directories().values()) {
            for (String file : List.of("memory.max_usage_in_bytes", "memory.peak")) {
                if (Files.exists(dir.resolve(file))) {
                    return CgroupFile.readLong(dir.resolve(file));
                }
            }
        }
        throw new AssertionError("no peak memory file in " + cgroup.directories());
    }

    @Test
    void aForkBombStopsAtThePidsLimitAndTheHostCanStillFork() throws Exception {
        CgroupManager cgroup = cgroup("bomb", only(null, null, new Resources.Pids(10)));
        // The shell starts sleepers until a fork fails (then busybox sh gives up), 50 if nothing stops it.
        runIn(cgroup, "i=0; while [ $i -lt 50 ]; do /bin/busybox sleep 60 >/dev/null 2>&1 & i=$((i+1)); done; "
                + "exec /bin/busybox sleep 60");
        long deadline = System.nanoTime() + 10_000_000_000L;
        long maxSeen = 0;
        while (refusedForks(cgroup) == 0 && System.nanoTime() < deadline) {
            maxSeen = Math.max(maxSeen, cgroup.stats().pidsCurrent());
            Thread.sleep(10);
        }
        Thread.sleep(300); // would any more get in?
        Stats stats = cgroup.stats();
        maxSeen = Math.max(maxSeen, stats.pidsCurrent());
        System.out.printf("fork bomb: %d tasks now, at most %d seen, limit %d, forks refused %d%n",
                stats.pidsCurrent(), maxSeen, stats.pidsLimit(), refusedForks(cgroup));
        assertThat(stats.pidsLimit()).isEqualTo(10);
        assertThat(refusedForks(cgroup)).as("forks refused at the limit").isPositive();
        assertThat(maxSeen).isLessThanOrEqualTo(10);
        assertThat(stats.pidsCurrent()).as("the sleepers that got in (the shell may have given up)").isBetween(9L, 10L);
        Process host = new ProcessBuilder("/bin/true").start();
        assertThat(host.waitFor()).as("a fork on the host").isEqualTo(0);
    }

    /** How many forks the pids controller has refused: "max N" in pids.events (v1 and v2). */
    private static long refusedForks(CgroupManager cgroup) {
        return cgroup.directories().values().stream().map(d -> d.resolve("pids.events")).filter(Files::exists)
                .mapToLong(f -> CgroupFile.readKeyed(f).getOrDefault("max", 0L)).sum();
    }

    @Test
    void halfACpuHoldsABusyLoopNearFiftyPercent() throws Exception {
        // The most weight there is, so that what holds the loop back is the quota, not the machine's other work.
        CgroupManager cgroup = cgroup("half", only(null, new Resources.Cpu(262144L, 50_000L, 100_000L, null, null), null));
        cgroups.favourParent();
        runIn(cgroup, "while :; do :; done");
        Thread.sleep(500); // past the start
        double share = cpuShare(cgroup, 5_000);
        System.out.printf("--cpus 0.5: busy loop used %.3f of a CPU over 5 s%n", share);
        assertThat(share).isBetween(0.45, 0.55);
    }

    /** CPUs' worth of time {@code cgroup} used over {@code millis} of wall time. */
    private static double cpuShare(CgroupManager cgroup, long millis) throws InterruptedException {
        long t0 = System.nanoTime(), u0 = cgroup.stats().cpuUsageNanos();
        Thread.sleep(millis);
        long t1 = System.nanoTime(), u1 = cgroup.stats().cpuUsageNanos();
        return (u1 - u0) / (double) (t1 - t0);
    }

    @Test
    void sharesSplitOneBusyCpuTwoToOne() throws Exception {
        String cpu = lastCpu();
        CgroupManager heavy = cgroup("heavy", only(null, new Resources.Cpu(1024L, null, null, cpu, null), null));
        CgroupManager light = cgroup("light", only(null, new Resources.Cpu(512L, null, null, cpu, null), null));
        cgroups.favourParent();
        runIn(heavy, "while :; do :; done");
        runIn(light, "while :; do :; done");
        Thread.sleep(500);
        long h0 = heavy.stats().cpuUsageNanos(), l0 = light.stats().cpuUsageNanos();
        Thread.sleep(4_000);
        double ratio = (heavy.stats().cpuUsageNanos() - h0) / (double) (light.stats().cpuUsageNanos() - l0);
        System.out.printf("shares 1024:512 on CPU %s: used %.2f:1%n", cpu, ratio);
        assertThat(ratio).isBetween(1.8, 2.2);
    }

    private static String lastCpu() {
        var cpus = Cpuset.parse(Machine.current().cpusetCpus());
        return Integer.toString(cpus.last());
    }

    @Test
    void aRefusedValueIsOneClearErrorAndNothingIsLeft() {
        CgroupManager cgroup = CgroupManager.forMachine(cgroups.parent, "refused");
        // --cpus 0.001 passes Docker's checks and becomes a quota of 100 us, below the kernel's 1 ms.
        Resources tooLittle = only(new Resources.Memory(64 * MIB, null, null, null),
                new Resources.Cpu(null, 100L, 100_000L, null, null), null);
        assertThatThrownBy(() -> cgroup.create(tooLittle))
                .isInstanceOf(CgroupException.class)
                .hasMessageMatching("write /sys/fs/cgroup/\\S+/(cpu.cfs_quota_us|cpu.max) \"100( 100000)?\": "
                        + "EINVAL \\(Invalid argument\\); the kernel refuses this value: choose another --cpus.*");
        assertThat(cgroup.exists()).isFalse();
        assertThat(cgroups.anyLeft()).as("the parent made for it").isFalse();

        CgroupManager cpuset = CgroupManager.forMachine(cgroups.parent, "nosuchcpu");
        assertThatThrownBy(() -> cpuset.create(only(null, new Resources.Cpu(null, null, null, "64", null), null)))
                .isInstanceOf(CgroupException.class)
                .hasMessageMatching("write /sys/fs/cgroup/\\S+/cpuset.cpus \"64\": (EINVAL|ERANGE) .*; the kernel refuses "
                        + "this value: choose another --cpuset-cpus");
        assertThat(cgroups.anyLeft()).isFalse();
    }

    @Test
    void statsCountCpuMemoryPidsAndBlockIo() throws IOException {
        Path data = bench.file();
        CgroupManager cgroup = cgroup("stats", only(null, null, new Resources.Pids(20)));
        HeldProcess p = runIn(cgroup, "/bin/busybox dd if=/dev/zero of=" + data + " bs=1M count=8 oflag=direct 2>/dev/null"
                + " && /bin/busybox dd if=" + data + " of=/dev/null bs=1M iflag=direct 2>/dev/null && i=0 &&"
                + " while [ $i -lt 100000 ]; do i=$((i+1)); done && exec /bin/busybox sleep 30");
        Path cmdline = Path.of("/proc/" + p.pid() + "/cmdline");
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!Files.readString(cmdline).startsWith("/bin/busybox\0sleep") && System.nanoTime() < deadline) {
            sleep(20); // until the script has done its work and sleeps
        }
        Stats stats = cgroup.stats();
        System.out.println("stats: " + stats);
        assertThat(stats.cpuUsageNanos()).as("a 100000-round shell loop").isGreaterThan(10_000_000L);
        assertThat(stats.memoryUsage()).isPositive();
        assertThat(stats.pidsCurrent()).isEqualTo(1); // the shell, which exec'd its last command, sleep
        assertThat(stats.pidsLimit()).isEqualTo(20);
        if (onBlockDevice(data)) {
            assertThat(stats.blockWriteBytes()).isGreaterThanOrEqualTo(8 * MIB);
            assertThat(stats.blockReadBytes()).isGreaterThanOrEqualTo(8 * MIB);
        }
        assertThat(p.isAlive()).isTrue();
    }

    @Test
    void freezeStopsEveryProcessAndThawLetsThemRunAgain() throws Exception {
        CgroupManager cgroup = cgroup("frozen", only(null, new Resources.Cpu(262144L, null, null, null, null), null));
        cgroups.favourParent();
        runIn(cgroup, "while :; do :; done");
        Thread.sleep(200);
        cgroup.freeze();
        double frozen = cpuShare(cgroup, 500);
        cgroup.thaw();
        double thawed = cpuShare(cgroup, 500);
        System.out.printf("busy loop: %.3f of a CPU frozen, %.3f thawed%n", frozen, thawed);
        assertThat(frozen).isLessThan(0.01);
        assertThat(thawed).isGreaterThan(0.2);
    }

    @Test
    void destroyKillsWhatIsLeftThenRemovesTheCgroup() {
        CgroupManager cgroup = cgroup("leftover", Resources.NONE);
        HeldProcess p = runIn(cgroup, "/bin/busybox sleep 60 >/dev/null 2>&1 & exec /bin/busybox sleep 60");
        cgroup.destroy();
        assertThat(p.waitFor(10)).isEqualTo(137);
        assertThat(cgroup.exists()).isFalse();
        cgroup.destroy(); // already gone: nothing to do
    }

    @Test
    void updateChangesTheLimitsOfARunningCgroupInAnOrderTheKernelTakes() {
        CgroupManager cgroup = cgroup("updated", only(new Resources.Memory(64 * MIB, null, 64 * MIB, null), null,
                new Resources.Pids(10)));
        runIn(cgroup, "exec /bin/busybox sleep 60");
        cgroup.update(only(new Resources.Memory(128 * MIB, null, 256 * MIB, null), null, new Resources.Pids(5)));
        assertThat(cgroup.stats().memoryLimit()).isEqualTo(128 * MIB);
        assertThat(cgroup.stats().pidsLimit()).isEqualTo(5);
        cgroup.update(only(new Resources.Memory(48 * MIB, null, 48 * MIB, null), null, null));
        assertThat(cgroup.stats().memoryLimit()).isEqualTo(48 * MIB);
        assertThatThrownBy(() -> cgroup.update(new Resources(null, null, null, null, DeviceRule.DOCKER_DEFAULTS)))
                .hasMessageContaining("cannot change");
    }

    @Test
    void aCgroupParentIsHonouredAtAnyDepth() {
        CgroupManager cgroup = CgroupManager.forMachine("/" + cgroups.parent + "/batch/low", "c1");
        cgroup.create(Resources.NONE);
        assertThat(cgroup.path()).isEqualTo("/" + cgroups.parent + "/batch/low/c1");
        for (Map.Entry<String, Path> dir : cgroup.directories().entrySet()) {
            assertThat(dir.getValue()).isDirectory().endsWith(Path.of(cgroups.parent, "batch", "low", "c1"));
        }
        CgroupManager.destroyAll("/" + cgroups.parent + "/batch/low");
        assertThat(cgroup.exists()).isFalse();
    }

    @Test
    void destroyAllRemovesEveryContainersCgroupAndTheParent() {
        HeldProcess a = runIn(cgroup("a", Resources.NONE), "exec /bin/busybox sleep 60");
        runIn(cgroup("b", Resources.NONE), "exec /bin/busybox sleep 60");
        CgroupManager.destroyAll(cgroups.parent);
        assertThat(a.waitFor(10)).isEqualTo(137);
        assertThat(cgroups.anyLeft()).isFalse();
    }

    @Test
    void dockersDeviceRulesLetAnyNodeBeMadeButOnlyTheUsualOnesBeOpened() throws IOException {
        Path dir = bench.directory("null", "mem", "disk");
        CgroupManager cgroup = cgroup("devices", new Resources(null, null, null, null, DeviceRule.DOCKER_DEFAULTS));
        HeldProcess p = runIn(cgroup, "cd " + dir + " && bb=/bin/busybox"
                + " && $bb mknod null c 1 3 && echo hello > null && echo null-written"
                + " && $bb mknod mem c 1 1 && echo mem-made && ($bb head -c 1 mem >/dev/null || echo mem-not-read)"
                + " && $bb mknod disk b 254 0 && echo disk-made && ($bb head -c 1 disk >/dev/null || echo disk-not-read)");
        assertThat(p.waitFor(10)).isEqualTo(0);
        assertThat(p.output()).contains("null-written", "mem-made", "mem-not-read", "disk-made", "disk-not-read")
                .contains("Operation not permitted");
    }

    @Test
    void aDeviceNoRuleListsCannotEvenBeMade() throws IOException {
        Path dir = bench.directory("null", "disk");
        List<DeviceRule> tight = List.of(DeviceRule.deny("a", null, null, "rwm"), DeviceRule.allow("c", 1L, 3L, "rwm"));
        CgroupManager cgroup = cgroup("tight", new Resources(null, null, null, null, tight));
        HeldProcess p = runIn(cgroup, "cd " + dir + " && /bin/busybox mknod null c 1 3 && echo null-made"
                + " && /bin/busybox mknod disk b 254 0; echo disk-status $?");
        assertThat(p.waitFor(10)).isEqualTo(0);
        assertThat(p.output()).contains("null-made", "mknod: disk: Operation not permitted", "disk-status 1");
        assertThat(dir.resolve("disk")).doesNotExist();
    }

    @Test
    void aDeviceWriteThrottleHoldsDirectWritesNearItsRate() throws Exception {
        Path data = bench.file();
        long[] disk = diskOf(data);
        assumeThat(disk).as("/var/tmp is on a block device (not tmpfs or 9p)").isNotNull();
        long rate = 10 * MIB;
        CgroupManager cgroup = cgroup("throttled", new Resources(null, null, null,
                new Resources.BlockIo(null, null, List.of(new Resources.ThrottleDevice(disk[0], disk[1], rate)), null, null),
                null));
        HeldProcess p = runIn(cgroup, "exec /bin/busybox dd if=/dev/zero of=" + data + " bs=1M count=40 oflag=direct");
        sleep(1_000); // past the start, at the throttle's steady rate
        long t0 = System.nanoTime(), w0 = cgroup.stats().blockWriteBytes();
        sleep(2_000);
        long t1 = System.nanoTime(), w1 = cgroup.stats().blockWriteBytes();
        double measured = (w1 - w0) / ((t1 - t0) / 1e9);
        System.out.printf("--device-write-bps 10mb: O_DIRECT writes at %.2f MiB/s over 2 s%n", measured / MIB);
        assertThat(p.waitFor(60)).as(p.output()).isEqualTo(0);
        assertThat(measured / rate).isBetween(0.9, 1.1);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static boolean onBlockDevice(Path file) {
        return diskOf(file) != null;
    }

    /** {major, minor} of the whole disk holding {@code file}, or null if it is on no block device. */
    static long[] diskOf(Path file) {
        try {
            long dev = (Long) Files.getAttribute(file, "unix:dev");
            long major = ((dev >>> 8) & 0xfff) | ((dev >>> 32) & ~0xfffL);
            long minor = (dev & 0xff) | ((dev >>> 12) & ~0xffL);
            Path sys = Path.of("/sys/dev/block/" + major + ":" + minor);
            if (!Files.exists(sys)) {
                return null;
            }
            if (Files.exists(sys.resolve("partition"))) {
                String[] whole = Files.readString(sys.toRealPath().getParent().resolve("dev")).strip().split(":");
                return new long[] {Long.parseLong(whole[0]), Long.parseLong(whole[1])};
            }
            return new long[] {major, minor};
        } catch (IOException e) {
            return null;
        }
    }
}
