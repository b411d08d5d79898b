package dev.jbox.cgroups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Chapter 3's limits on cgroup v2. They run where /sys/fs/cgroup is a cgroup2 file system - the
 * QEMU guest of the v2 harness - and are skipped on a v1 or hybrid machine such as the
 * development host (whose /sys/fs/cgroup/unified holds no controllers; UnifiedHierarchyIT uses
 * it for what needs none).
 */
class CgroupV2IT extends CgroupLimitsContract {
    @Override
    void assumeThisMachine() {
        assumeThat(CgroupMounts.ofMachine().version())
                .as("this machine's cgroups are v1 (a hybrid layout): the v2 tests run in the cgroup-v2 QEMU guest")
                .isEqualTo(CgroupVersion.V2);
    }

    @Test
    void aContainersCgroupGetsTheControllersFromEveryLevelAbove() throws Exception {
        CgroupManager cgroup = cgroup("c1", Resources.NONE);
        Path dir = cgroup.directories().get("");
        assertThat(Files.readString(dir.resolve("cgroup.controllers"))).contains("cpu", "memory", "pids", "io");
        assertThat(Files.readString(dir.getParent().resolve("cgroup.subtree_control"))).contains("cpu", "memory", "pids");
    }

    @Test
    void aParentHoldingProcessesCannotPassControllersOnAndTheErrorSaysWhy() {
        CgroupManager busy = cgroup("busy", Resources.NONE);
        HeldProcess p = bench.runIn(busy, "exec /bin/busybox sleep 60");
        CgroupManager child = CgroupManager.forMachine(cgroups.parent + "/busy", "child");
        assertThatThrownBy(() -> child.create(Resources.NONE))
                .isInstanceOf(CgroupException.class)
                .hasMessageContaining("cgroup.subtree_control")
                .hasMessageContaining("EBUSY")
                .hasMessageContaining("holds processes [" + p.pid() + "]")
                .hasMessageContaining("no internal processes")
                .hasMessageContaining("choose a --cgroup-parent that holds no processes");
        assertThat(child.exists()).isFalse();
    }
}
