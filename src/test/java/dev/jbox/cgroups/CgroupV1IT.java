package dev.jbox.cgroups;

import static org.assertj.core.api.Assumptions.assumeThat;

/** Chapter 3's limits on cgroup v1, the hierarchy this machine (a hybrid layout) uses. */
class CgroupV1IT extends CgroupLimitsContract {
    @Override
    void assumeThisMachine() {
        assumeThat(CgroupMounts.ofMachine().version())
                .as("this machine's cgroups are v2; the v1 tests run on a v1 or hybrid machine")
                .isEqualTo(CgroupVersion.V1);
    }
}
