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

    /**
     * Makes {@code rootfs} the root of this mount namespace, detaches the old root entirely (no
     * path, not even {@code ..} from a chroot, leads back to the host's tree) and moves to the new {@code /}.
     */
    public static void into(Syscalls kernel, Path rootfs) {
        // The contract (graded by ./jbox lab check 2). Called in the container's own mount namespace,
        // where rootfs is a mount point; make every call through kernel (a Syscalls: chdir, pivotRoot, umount):
        // - afterwards rootfs is the root mount and / of this thread, and its working directory is /;
        // - the host's tree is in no way reachable: not at any path, and not by the chroot escape
        //   ('..' from outside a deeper chroot). pivot_root(2) describes a form that needs no put_old directory,
        //   and what umount2(2)'s MNT_DETACH does to a mount that is still busy.
        throw new UnsupportedOperationException("lab 2: write me");
    }
}
