// A plausible wrong answer, which the grader must fail: chroot without chdir leaves the working directory outside the jail.
package dev.jbox.chroot;

import dev.jbox.kernel.Kernel;
import java.nio.file.Path;

/**
 * The jail itself, the step that makes chapter 1's runtime a runtime: the calling thread, and
 * what it starts, sees {@code rootfs} as {@code /}. Lab 1 has the student write {@link #enter}.
 */
public final class Jail {
    private Jail() {
    }

    // tag::enter[]
    /**
     * Moves the calling thread, and only it, into {@code rootfs}: afterwards its paths resolve
     * inside {@code rootfs}, its working directory is the jail's {@code /}, and every other
     * thread of the engine keeps the host's root.
     */
    public static void enter(Path rootfs) {
        // Threads of one process share a root directory unless a thread asks for its own
        // copy; with CLONE_FS unshared, chroot changes this thread (and its children) only.
        Kernel.unshare(Kernel.CLONE_FS);
        Kernel.chroot(rootfs.toString());
        // chroot moves the root, not the working directory: one left outside is a way out.
    }
    // end::enter[]
}
