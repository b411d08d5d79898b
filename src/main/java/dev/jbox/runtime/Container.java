package dev.jbox.runtime;

import dev.jbox.kernel.Kernel;
import dev.jbox.kernel.WaitStatus;

/** A created container, seen from the host. */
public interface Container {
    /** Lets the container's program run. */
    void start();

    /** The pid of the container's first process, as the host sees it (after {@link #start} for chapter 1). */
    int pid();

    /** Waits for the container's program to end. */
    WaitStatus waitFor();

    /** Gives up on a created container that was never started, leaving nothing behind. */
    default void abort() {
    }

    default boolean signal(int signal) {
        return Kernel.kill(pid(), signal);
    }
}
