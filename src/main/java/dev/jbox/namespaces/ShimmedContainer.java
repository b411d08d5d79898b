package dev.jbox.namespaces;

import dev.jbox.kernel.Kernel;
import dev.jbox.kernel.WaitStatus;
import dev.jbox.runtime.ContainerProcess;

/**
 * A chapter-2 container as the engine that created it sees it: jbox-init's shim (a child of
 * this JVM) and the container's pid 1 (the shim's child), held at the "go" pipe until started.
 */
final class ShimmedContainer implements ContainerProcess {
    private final int shimPid;
    private int goPipe;
    private final int ptyMaster;
    private int pid;

    ShimmedContainer(int shimPid, int goPipe, int ptyMaster) {
        this.shimPid = shimPid;
        this.goPipe = goPipe;
        this.ptyMaster = ptyMaster;
    }

    void setPid(int pid) {
        this.pid = pid;
    }

    // tag::go[]
    @Override
    public void start() {
        try {
            Kernel.write(goPipe, new byte[] {'g'});
        } finally {
            Kernel.closeQuietly(goPipe);
            goPipe = -1;
        }
    }
    // end::go[]

    /** Closing "go" unwritten makes pid 1 exit at once; its mount namespace goes with it. */
    @Override
    public void abort() {
        Kernel.closeQuietly(goPipe);
        goPipe = -1;
        Kernel.closeQuietly(ptyMaster);
        Kernel.waitpid(shimPid);
    }

    @Override
    public int pid() {
        return pid;
    }

    @Override
    public int waitedPid() {
        return shimPid;
    }

    @Override
    public int ptyMaster() {
        return ptyMaster;
    }

    /** The shim exits with the container's exit code, or 128+N when pid 1 was killed by signal N. */
    @Override
    public WaitStatus waitFor() {
        return Kernel.waitpid(shimPid);
    }
}
