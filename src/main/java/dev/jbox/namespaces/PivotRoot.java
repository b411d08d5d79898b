package dev.jbox.namespaces;

import static dev.jbox.kernel.Kernel.MNT_DETACH;

import dev.jbox.kernel.Syscalls;
import java.nio.file.Path;

/**
 * The step that leaves the host's file system tree behind for good, as lab 2 has the student
 * write it. Called in a mount namespace of the container's own, where {@code rootfs} is a mount point.
 */
public final class PivotRoot {
    private PivotRoot() {
    }

    // tag::pivot[]
    /**
     * Makes {@code rootfs} the root of this mount namespace, detaches the old root entirely (no
     * path, not even {@code ..} from a chroot, leads back to the host's tree) and moves to the new {@code /}.
     */
    public static void into(Syscalls kernel, Path rootfs) {
        kernel.chdir(rootfs.toString());
        // pivot_root(".", ".") stacks the old root on top of the new one; unmounting "."
        // then removes the old root, so no path leads back to the host's tree.
        kernel.pivotRoot(".", ".");
        kernel.umount(".", MNT_DETACH);
        kernel.chdir("/");
    }
    // end::pivot[]
}
