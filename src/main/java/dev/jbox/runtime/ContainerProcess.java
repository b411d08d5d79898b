package dev.jbox.runtime;

import dev.jbox.kernel.Kernel;
import dev.jbox.kernel.WaitStatus;

/** A created container's first process, seen from the host: held until {@link #start}. */
public interface ContainerProcess {
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

    /** The master side of the container's own terminal (-t), or -1. */
    default int ptyMaster() {
        return -1;
    }

    /** The process the engine waits for (chapter 2's shim), or the container's own. */
    default int waitedPid() {
        return pid();
    }
}
