package dev.jbox.namespaces;

import dev.jbox.JboxException;
import dev.jbox.kernel.Kernel;
import dev.jbox.kernel.WaitStatus;
import dev.jbox.runtime.Container;
import java.nio.file.Path;

/**
 * A chapter-2 container as the engine that created it sees it: jbox-init's shim (a child of
 * this JVM) and the container's pid 1 (the shim's child), held at the "go" pipe until started.
 */
public final class ShimmedContainer implements Container {
    private final int shimPid;
    private final Path statusFile;
    private int goPipe;
    private final int ptyMaster;
    private int pid;

    ShimmedContainer(int shimPid, Path statusFile, int goPipe, int ptyMaster) {
        this.shimPid = shimPid;
        this.statusFile = statusFile;
        this.goPipe = goPipe;
        this.ptyMaster = ptyMaster;
    }

    // tag::await-pid[]
    /** Waits for the shim to report pid 1 (it does so right after its fork). */
    void awaitPid() {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (true) {
            ContainerStatus s = ContainerStatus.read(statusFile);
            if (s.pid() > 0) {
                pid = s.pid();
                return;
            }
            WaitStatus ended = Kernel.waitpidNoHang(shimPid);
            if (ended != null) {
                throw new JboxException("the container's init failed before the container started (" + ended
                        + "); its error is above");
            }
            if (System.nanoTime() > deadline) {
                throw new JboxException("the container's init did not report within 10 s; see " + statusFile);
            }
            java.util.concurrent.locks.LockSupport.parkNanos(50_000); // the shim reports within a millisecond
        }
    }
    // end::await-pid[]

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

    public int shimPid() {
        return shimPid;
    }

    /** The master side of the container's terminal (-t), or -1. */
    public int ptyMaster() {
        return ptyMaster;
    }

    /** The shim exits with the container's exit code, or 128+N when pid 1 was killed by signal N. */
    @Override
    public WaitStatus waitFor() {
        return Kernel.waitpid(shimPid);
    }
}
