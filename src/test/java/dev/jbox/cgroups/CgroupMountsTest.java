package dev.jbox.cgroups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which cgroup version a machine offers, read from mountinfo texts of real machines. */
class CgroupMountsTest {
    private static final String HYBRID = """
            25 30 0:22 / /sys rw,nosuid,nodev,noexec,relatime shared:7 - sysfs sysfs rw
            26 25 0:23 / /sys/fs/cgroup rw,relatime shared:8 - tmpfs tmpfs rw,mode=755
            27 26 0:24 / /sys/fs/cgroup/cpu rw,relatime shared:9 - cgroup cgroup rw,cpu
            28 26 0:25 / /sys/fs/cgroup/cpuacct rw,relatime shared:10 - cgroup cgroup rw,cpuacct
            29 26 0:26 / /sys/fs/cgroup/cpuset rw,relatime shared:11 - cgroup cgroup rw,cpuset
            30 26 0:27 / /sys/fs/cgroup/memory rw,relatime shared:12 - cgroup cgroup rw,memory
            31 26 0:28 / /sys/fs/cgroup/devices rw,relatime shared:13 - cgroup cgroup rw,devices
            32 26 0:29 / /sys/fs/cgroup/freezer rw,relatime shared:14 - cgroup cgroup rw,freezer
            33 26 0:30 / /sys/fs/cgroup/blkio rw,relatime shared:15 - cgroup cgroup rw,blkio
            34 26 0:31 / /sys/fs/cgroup/pids rw,relatime shared:16 - cgroup cgroup rw,pids
            35 26 0:32 / /sys/fs/cgroup/systemd rw,relatime shared:17 - cgroup cgroup rw,name=systemd
            36 26 0:33 / /sys/fs/cgroup/unified rw,relatime shared:18 - cgroup2 cgroup2 rw
            """;
    private static final String PURE_V2 = """
            22 28 0:21 / /sys rw,nosuid,nodev,noexec,relatime shared:7 - sysfs sysfs rw
            27 22 0:26 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:9 - cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot
            """;
    private static final String COMBINED_V1 = """
            26 25 0:23 / /sys/fs/cgroup ro,nosuid,nodev,noexec shared:8 - tmpfs tmpfs ro,mode=755
            30 26 0:27 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid,nodev,noexec,relatime shared:12 - cgroup cgroup rw,cpu,cpuacct
            31 26 0:28 / /sys/fs/cgroup/memory rw,nosuid,nodev,noexec,relatime shared:13 - cgroup cgroup rw,memory
            32 26 0:29 / /sys/fs/cgroup/pids rw,nosuid,nodev,noexec,relatime shared:14 - cgroup cgroup rw,pids
            """;

    @Test
    void aHybridMachineWithAnEmptyUnifiedTreeIsV1() {
        CgroupMounts m = CgroupMounts.parse(HYBRID);
        assertThat(m.version()).isEqualTo(CgroupVersion.V1);
        assertThat(m.unified()).isEqualTo(Path.of("/sys/fs/cgroup/unified"));
        assertThat(m.controllers()).containsEntry("memory", Path.of("/sys/fs/cgroup/memory"))
                .containsEntry("cpuacct", Path.of("/sys/fs/cgroup/cpuacct")).doesNotContainKey("name=systemd");
        assertThat(m.roots()).hasSize(8).contains(Path.of("/sys/fs/cgroup/freezer"));
    }

    @Test
    void aPureV2MachineIsV2() {
        CgroupMounts m = CgroupMounts.parse(PURE_V2);
        assertThat(m.version()).isEqualTo(CgroupVersion.V2);
        assertThat(m.roots()).containsExactly(Path.of("/sys/fs/cgroup"));
    }

    @Test
    void controllersSharingAHierarchyShareOneDirectory() {
        CgroupMounts m = CgroupMounts.parse(COMBINED_V1);
        assertThat(m.controllers()).containsEntry("cpu", Path.of("/sys/fs/cgroup/cpu,cpuacct"))
                .containsEntry("cpuacct", Path.of("/sys/fs/cgroup/cpu,cpuacct"));
        assertThat(m.roots()).containsExactly(Path.of("/sys/fs/cgroup/cpu,cpuacct"), Path.of("/sys/fs/cgroup/memory"),
                Path.of("/sys/fs/cgroup/pids"));
        assertThat(new CgroupV1(m.controllers(), "jbox", "c1").directories())
                .containsOnlyKeys("cpu,cpuacct", "memory", "pids")
                .containsEntry("memory", Path.of("/sys/fs/cgroup/memory/jbox/c1"));
    }

    @Test
    void aMachineWithoutCgroupsIsToldHowToMountThem() {
        assertThatThrownBy(() -> CgroupMounts.parse("22 28 0:21 / /sys rw - sysfs sysfs rw\n"))
                .hasMessageContaining("mount -t cgroup2 none /sys/fs/cgroup");
    }

    @Test
    void cgroupPathsCountFromTheRootAndRefuseClimbingOut() {
        assertThat(new CgroupV2(Path.of("/sys/fs/cgroup"), "/batch//low/", "c1").path()).isEqualTo("/batch/low/c1");
        assertThat(new CgroupV2(Path.of("/sys/fs/cgroup"), "jbox", "c1").directories())
                .containsEntry("", Path.of("/sys/fs/cgroup/jbox/c1"));
        assertThat(new CgroupV2(Path.of("/sys/fs/cgroup"), "/", "c1").path()).isEqualTo("/c1");
        assertThatThrownBy(() -> new CgroupV2(Path.of("/sys/fs/cgroup"), "jbox/../..", "c1"))
                .hasMessageContaining("must not contain '..'");
        for (String bad : List.of("", "a/b", "..")) {
            assertThatThrownBy(() -> new CgroupV1(java.util.Map.of(), "jbox", bad)).hasMessageContaining("one path component");
        }
    }

    @Test
    void v1SharesAndBlkioWeightsMapOntoV2sScalesAsRuncMapsThem() {
        assertThat(cpuWeight(1024)).isEqualTo("39");
        assertThat(cpuWeight(2)).isEqualTo("1");
        assertThat(cpuWeight(262144)).isEqualTo("10000");
        assertThat(cpuWeight(512)).isEqualTo("20");
        assertThat(CgroupV2.ioWeight(10)).isEqualTo(1);
        assertThat(CgroupV2.ioWeight(1000)).isEqualTo(10000);
        assertThat(CgroupV2.ioWeight(500)).isEqualTo(4950);
    }

    private static String cpuWeight(long shares) {
        return V2Limits.files(new Resources(null, new Resources.Cpu(shares, null, null, null, null), null, null, null), -1)
                .get("cpu.weight");
    }
}
