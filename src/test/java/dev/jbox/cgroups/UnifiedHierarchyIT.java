package dev.jbox.cgroups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.jbox.kernel.Bpf;
import dev.jbox.kernel.Errno;
import dev.jbox.kernel.KernelException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The cgroup v2 code on any mounted cgroup2 tree - on this hybrid machine the controller-less
 * /sys/fs/cgroup/unified. A device program attaches to any v2 cgroup, and freezing and killing
 * a cgroup are v2's own, so the eBPF device filter, freeze, cgroup.kill and the error for a
 * missing controller are tested here for real, not only in the v2 guest.
 */
class UnifiedHierarchyIT {
    private TestBench bench;
    private TestCgroups cgroups;
    private Path unified;

    @BeforeEach
    void findCgroup2() {
        unified = CgroupMounts.ofMachine().unified();
        assumeThat(unified).as("a cgroup2 file system is mounted").isNotNull();
        cgroups = new TestCgroups(List.of(unified));
        bench = new TestBench(cgroups);
    }

    @AfterEach
    void removeEverything() throws IOException {
        if (bench != null) {
            bench.close();
        }
    }

    private CgroupV2 cgroup(String name, Resources resources) {
        CgroupV2 cgroup = new CgroupV2(unified, cgroups.parent, name);
        cgroup.create(resources);
        return cgroup;
    }

    private HeldProcess runIn(CgroupManager cgroup, String script) {
        return bench.runIn(cgroup, script);
    }

    @Test
    void theDeviceProgramLetsAListedNodeBeMadeAndRefusesAnUnlistedOne() throws IOException {
        Path dir = bench.directory("null", "disk");
        List<DeviceRule> rules = List.of(DeviceRule.deny("a", null, null, "rwm"), DeviceRule.allow("c", 1L, 3L, "rwm"));
        CgroupV2 cgroup = cgroup("devices", new Resources(null, null, null, null, rules));
        assertThat(cgroup.devicePrograms()).as("programs attached").hasSize(1);
        HeldProcess p = runIn(cgroup, "cd " + dir + " && /bin/busybox mknod null c 1 3 && echo hi > null && echo null-ok"
                + " && /bin/busybox mknod disk b 254 0; echo disk-status $?");
        assertThat(p.waitFor(10)).isEqualTo(0);
        assertThat(p.output()).contains("null-ok", "mknod: disk: Operation not permitted", "disk-status 1");
        assertThat(dir.resolve("disk")).doesNotExist();
    }

    @Test
    void withDockersRulesAnyNodeCanBeMadeButOnlyTheUsualOnesOpened() throws IOException {
        Path dir = bench.directory("zero", "mem");
        CgroupV2 cgroup = cgroup("docker", new Resources(null, null, null, null, DeviceRule.DOCKER_DEFAULTS));
        HeldProcess p = runIn(cgroup, "cd " + dir + " && bb=/bin/busybox && $bb mknod zero c 1 5"
                + " && $bb head -c 4 zero | $bb wc -c && $bb mknod mem c 1 1 && echo mem-made"
                + " && ($bb head -c 1 mem || echo mem-not-read)");
        assertThat(p.waitFor(10)).isEqualTo(0);
        assertThat(p.output()).contains("4\n", "mem-made", "mem-not-read", "Operation not permitted");
    }

    @Test
    void aProgramTheVerifierRefusesComesBackWithTheVerifiersReason() {
        // exit without setting r0: the verifier refuses to run a program whose answer is undefined.
        byte[] program = DeviceProgram.encode(List.of(BpfInstruction.exit()));
        assertThatThrownBy(() -> Bpf.loadCgroupDeviceProgram(program, "MIT"))
                .isInstanceOf(KernelException.class)
                .hasMessageContaining("bpf(BPF_PROG_LOAD, prog_type=BPF_PROG_TYPE_CGROUP_DEVICE, insn_cnt=1")
                .hasMessageContaining("verifier: ").hasMessageContaining("R0 !read_ok")
                .satisfies(e -> assertThat(((KernelException) e).errno()).isEqualTo(Errno.EACCES));
    }

    @Test
    void freezeAndThawUseCgroupFreeze() throws Exception {
        CgroupV2 cgroup = cgroup("frozen", Resources.NONE);
        runIn(cgroup, "while :; do :; done");
        cgroup.freeze();
        assertThat(Files.readString(cgroup.directories().get("").resolve("cgroup.events"))).contains("frozen 1");
        long frozen = cpuNanosOver(cgroup, 300);
        cgroup.thaw();
        assertThat(Files.readString(cgroup.directories().get("").resolve("cgroup.events"))).contains("frozen 0");
        long thawed = cpuNanosOver(cgroup, 300);
        System.out.printf("busy loop on the unified tree: %d ns of CPU in 300 ms frozen, %d ns thawed%n", frozen, thawed);
        assertThat(frozen).isZero();
        assertThat(thawed).isPositive();
    }

    private static long cpuNanosOver(CgroupManager cgroup, long millis) throws InterruptedException {
        long before = cgroup.stats().cpuUsageNanos();
        Thread.sleep(millis);
        return cgroup.stats().cpuUsageNanos() - before;
    }

    @Test
    void destroyKillsEveryProcessWithCgroupKill() {
        CgroupV2 cgroup = cgroup("killed", Resources.NONE);
        HeldProcess p = runIn(cgroup, "/bin/busybox sleep 60 >/dev/null 2>&1 & exec /bin/busybox sleep 60");
        cgroup.destroy();
        assertThat(p.waitFor(10)).isEqualTo(137);
        assertThat(cgroup.exists()).isFalse();
    }

    @Test
    void aLimitWhoseControllerIsNotEnabledIsOneClearErrorAndNothingIsLeft() {
        CgroupV2 cgroup = new CgroupV2(unified, cgroups.parent, "nomemory");
        assumeThat(Files.exists(unified.resolve("cgroup.controllers"))).isTrue();
        assumeThat(CgroupFile.read(unified.resolve("cgroup.controllers"))).as("memory is not on this tree")
                .doesNotContain("memory");
        assertThatThrownBy(() -> cgroup.create(new Resources(new Resources.Memory(64L << 20, null, null, null), null,
                null, null, null)))
                .isInstanceOf(CgroupException.class)
                .hasMessage("open " + unified.resolve(cgroups.parent).resolve("nomemory/memory.max")
                        + " for \"67108864\": ENOENT (No such file or directory); this kernel has no memory.max: the "
                        + "controller it belongs to is not enabled here, so --memory cannot be used on this machine");
        assertThat(cgroups.anyLeft()).isFalse();
    }

    @Test
    void statsReadTheCpuTimeV2Counts() throws Exception {
        CgroupV2 cgroup = cgroup("counted", Resources.NONE);
        HeldProcess p = runIn(cgroup, "i=0; while [ $i -lt 100000 ]; do i=$((i+1)); done");
        assertThat(p.waitFor(60)).isEqualTo(0);
        Stats stats = cgroup.stats();
        assertThat(stats.cpuUsageNanos()).isGreaterThan(10_000_000L);
        assertThat(stats.memoryLimit()).as("no memory controller, no limit").isEqualTo(-1);
    }
}
