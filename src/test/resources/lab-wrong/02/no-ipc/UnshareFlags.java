// A plausible wrong answer, which the grader must fail: forgets the IPC namespace.
package dev.jbox.namespaces;

import dev.jbox.kernel.Kernel;
import dev.jbox.spec.Namespace;
import java.util.Set;

/** What the container thread passes to unshare(2), as lab 2 has the student write it. */
public final class UnshareFlags {
    private UnshareFlags() {
    }

    // tag::flags[]
    /**
     * The unshare(2) flags for a container that gets {@code namespaces}: always a file-system
     * context and a mount namespace of its own (pivot_root needs one), plus each namespace asked
     * for except PID and cgroup, which jbox-init makes later.
     */
    public static int of(Set<Namespace> namespaces) {
        int flags = Kernel.CLONE_FS | Kernel.CLONE_NEWNS;
        for (Namespace ns : namespaces) {
            // jbox-init makes the PID namespace, and the cgroup namespace once pid 1 is in its cgroup
            if (ns != Namespace.PID && ns != Namespace.CGROUP && ns != Namespace.IPC) {
                flags |= ns.cloneFlag();
            }
        }
        return flags;
    }
    // end::flags[]
}
