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

    /**
     * Moves the calling thread, and only it, into {@code rootfs}: afterwards its paths resolve
     * inside {@code rootfs}, its working directory is the jail's {@code /}, and every other
     * thread of the engine keeps the host's root.
     */
    public static void enter(Path rootfs) {
        // The contract (graded by ./jbox lab check 1):
        // - only the calling thread moves: the engine's other threads keep the host's root
        //   (threads share one root directory unless a thread unshares its file-system context);
        // - afterwards its root directory is rootfs and so is its working directory
        //   (a working directory left outside the jail is a way out: '..' from it reaches the host).
        // Every native call goes through dev.jbox.kernel.Kernel (unshare, chroot, chdir, CLONE_FS).
        throw new UnsupportedOperationException("lab 1: write me");
    }
}
