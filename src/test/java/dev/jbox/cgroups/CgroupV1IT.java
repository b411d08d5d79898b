package dev.jbox.cgroups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Chapter 3's limits on cgroup v1, the hierarchy this machine (a hybrid layout) uses. */
class CgroupV1IT extends CgroupLimitsContract {
    @Override
    void assumeThisMachine() {
        assumeThat(CgroupMounts.ofMachine().version())
                .as("this machine's cgroups are v2; the v1 tests run on a v1 or hybrid machine")
                .isEqualTo(CgroupVersion.V1);
    }

    @Test
    void withTheOomKillerOffAHogWaitsAtItsLimitInsteadOfDying() throws Exception {
        long limit = 16L << 20;
        CgroupManager cgroup = cgroup("patient", new Resources(new Resources.Memory(limit, null, limit, true), null, null,
                null, null));
        HeldProcess hog = bench.runIn(cgroup, "exec /bin/busybox dd if=/dev/zero of=/dev/null bs=32M count=1");
        Path oomControl = cgroup.directories().get("memory").resolve("memory.oom_control");
        Map<String, Long> state = Map.of();
        for (int i = 0; i < 200 && state.getOrDefault("under_oom", 0L) == 0; i++) {
            Thread.sleep(25);
            state = CgroupFile.readKeyed(oomControl);
        }
        System.out.println("--oom-kill-disable: " + state);
        assertThat(state).containsEntry("oom_kill_disable", 1L).containsEntry("under_oom", 1L).containsEntry("oom_kill", 0L);
        assertThat(hog.isAlive()).as("the hog waits for memory").isTrue();
        assertThatThrownBy(cgroup::freeze).isInstanceOf(CgroupException.class).hasMessageContaining("cannot freeze");
        assertThat(CgroupFile.read(cgroup.directories().get("freezer").resolve("freezer.state"))).isEqualTo("THAWED");
        cgroup.destroy(); // SIGKILL still ends a process waiting in the OOM handler
        assertThat(hog.waitFor(10)).isEqualTo(137);
    }
}
