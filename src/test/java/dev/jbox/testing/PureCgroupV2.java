package dev.jbox.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * For the tests of cgroup v2 (classes named {@code *V2IT}): they need a machine that mounts pure
 * cgroup v2 at /sys/fs/cgroup. On any other they skip, and {@code dev.jbox.vm.CgroupV2GuestIT}
 * runs them in a QEMU guest that does, where a skip fails the run.
 */
public final class PureCgroupV2 {
    public static final Path ROOT = Path.of("/sys/fs/cgroup");

    private PureCgroupV2() {
    }

    /** What is mounted at /sys/fs/cgroup: "cgroup2" on a pure v2 machine, "tmpfs" under v1 or hybrid. */
    public static String mountType() {
        try {
            return Files.getFileStore(ROOT).type();
        } catch (IOException e) {
            return "nothing (" + e.getMessage() + ")";
        }
    }

    /** Skips the test unless /sys/fs/cgroup is cgroup2, saying where the v2 tests run instead. */
    public static void assume() {
        String type = mountType();
        Assumptions.assumeTrue(type.equals("cgroup2"), () -> "this machine mounts " + type + " at " + ROOT
                + ", not pure cgroup v2; the v2 tests run in a QEMU guest instead (CgroupV2GuestIT)");
    }
}
