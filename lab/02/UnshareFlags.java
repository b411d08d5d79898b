package dev.jbox.namespaces;

import dev.jbox.kernel.Kernel;
import dev.jbox.spec.Namespace;
import java.util.Set;

/** What the container thread passes to unshare(2), as lab 2 has the student write it. */
public final class UnshareFlags {
    private UnshareFlags() {
    }

    /**
     * The unshare(2) flags for a container that gets {@code namespaces}: always a file-system
     * context and a mount namespace of its own (pivot_root needs one), plus each namespace asked
     * for except PID and cgroup, which jbox-init makes later.
     */
    public static int of(Set<Namespace> namespaces) {
        // The contract (graded by ./jbox lab check 2):
        // - always CLONE_FS and CLONE_NEWNS (pivot_root needs a mount namespace of the container's own);
        // - plus ns.cloneFlag() of each namespace asked for, except PID and CGROUP: jbox-init makes
        //   those later (a PID namespace takes effect only for children; the cgroup one once pid 1 is in its cgroup).
        // The flags are Kernel.CLONE_*; Namespace has one constant per namespace.
        throw new UnsupportedOperationException("lab 2: write me");
    }
}
