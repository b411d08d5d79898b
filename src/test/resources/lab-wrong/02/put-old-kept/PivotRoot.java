// A plausible wrong answer, which the grader must fail: pivot_root with a put_old directory, never unmounted:
// the host's tree stays at /old-root.
package dev.jbox.namespaces;

import dev.jbox.kernel.Syscalls;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
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
        try {
            Files.createDirectories(rootfs.resolve("old-root"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        kernel.pivotRoot(".", "old-root");
        kernel.chdir("/");
    }
    // end::pivot[]
}
