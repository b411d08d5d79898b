package dev.jbox.cgroups;

import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * Chapter 3's limits on cgroup v2. They run where /sys/fs/cgroup is a cgroup2 file system - the
 * QEMU guest of the v2 harness - and are skipped on a v1 or hybrid machine such as the
 * development host (whose /sys/fs/cgroup/unified holds no controllers; DeviceProgramIT uses it
 * for the device program).
 */
class CgroupV2IT extends CgroupLimitsContract {
    @Override
    void assumeThisMachine() {
        assumeThat(CgroupMounts.ofMachine().version())
                .as("this machine's cgroups are v1 (a hybrid layout): the v2 tests run in the cgroup-v2 QEMU guest")
                .isEqualTo(CgroupVersion.V2);
    }
}
