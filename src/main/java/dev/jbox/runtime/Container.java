package dev.jbox.runtime;

import dev.jbox.kernel.Kernel;
import dev.jbox.kernel.WaitStatus;

/** A started container: its first process, seen from the host. */
public interface Container {
    /** The pid of the container's first process, as the host sees it. */
    int pid();

    /** Waits for the first process to end, then releases what the runtime set up for it. */
    WaitStatus waitFor();

    default boolean signal(int signal) {
        return Kernel.kill(pid(), signal);
    }
}
