package dev.jbox.namespaces;

import dev.jbox.JboxException;
import dev.jbox.kernel.Kernel;
import dev.jbox.kernel.Spawn;
import dev.jbox.kernel.Syscalls;
import dev.jbox.kernel.Terminal;
import dev.jbox.runtime.ContainerProcess;
import dev.jbox.runtime.ContainerRuntime;
import dev.jbox.kernel.ContainerThread;
import dev.jbox.runtime.Launch;
import dev.jbox.runtime.Launcher;
import dev.jbox.spec.ContainerSpec;
import dev.jbox.spec.Namespace;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * Chapter 2: namespaces. A thread of the engine unshares new mount, UTS, IPC, network and
 * cgroup namespaces, builds the container's file system tree and pivots into it, then spawns
 * jbox-init, which makes the PID namespace and becomes (or starts) pid 1. Everything the
 * container mounts lives in its mount namespace and vanishes with its last process.
 */
public final class NamespaceRuntime implements ContainerRuntime {
    private final Path initBinary;

    public NamespaceRuntime(Path initBinary) {
        this.initBinary = initBinary;
    }

    @Override
    public boolean keepsState() {
        return true;
    }

    @Override
    public ContainerProcess create(ContainerSpec spec, Launch launch) {
        if (launch.stateDir() == null) {
            throw new IllegalArgumentException("a chapter-2 container needs a state directory for its status file");
        }
        Path statusFile = launch.stateDir().resolve("status");
        int status = Kernel.open(statusFile.toString(), Kernel.O_WRONLY | Kernel.O_CREAT | Kernel.O_TRUNC | Kernel.O_CLOEXEC, 0644);
        int[] go = Kernel.pipe();
        int[] sync = Kernel.pipe();
        Created created;
        try {
            created = ContainerThread.call("jbox-ns", () -> createInNamespaces(spec, launch.stdio(), go[0], status, sync[1]));
        } catch (RuntimeException e) {
            Kernel.closeQuietly(go[1]);
            Kernel.closeQuietly(sync[0]);
            throw e;
        } finally {
            Kernel.closeQuietly(go[0]);
            Kernel.closeQuietly(status);
            Kernel.closeQuietly(sync[1]); // now only the shim holds the write end
        }
        ShimmedContainer container = new ShimmedContainer(created.shimPid(), go[1], created.ptyMaster());
        try {
            container.setPid(awaitPid(sync[0], created.shimPid()));
        } catch (RuntimeException e) {
            container.abort();
            throw e;
        } finally {
            Kernel.closeQuietly(sync[0]);
        }
        return container;
    }

    // tag::await-pid[]
    /** Blocks until the shim reports pid 1 on the sync pipe; end of file first means the shim failed. */
    private static int awaitPid(int syncPipe, int shimPid) {
        StringBuilder line = new StringBuilder();
        byte[] buffer = new byte[32];
        for (int n; !line.toString().endsWith("\n") && (n = Kernel.read(syncPipe, buffer)) > 0; ) {
            line.append(new String(buffer, 0, n, StandardCharsets.US_ASCII));
        }
        String report = line.toString().strip();
        if (!report.startsWith("pid ")) {
            throw new JboxException("the container's init failed before the container started (shim " + shimPid
                    + " reported '" + report + "'); its error is above");
        }
        return Integer.parseInt(report.substring(4));
    }
    // end::await-pid[]

    private record Created(int shimPid, int ptyMaster) {
    }

    /** Runs on the container thread: from here on, this thread is inside the container. */
    private Created createInNamespaces(ContainerSpec spec, Launch.Stdio stdio, int goPipe, int statusFd, int syncPipe) {
        // tag::unshare[]
        Kernel.unshare(UnshareFlags.of(spec.linux().namespaces()));
        if (spec.has(Namespace.UTS) && spec.hostname() != null) {
            Kernel.sethostname(spec.hostname());
        }
        // end::unshare[]
        if (spec.has(Namespace.NET)) {
            Loopback.up();
        }
        RootFilesystem root = new RootFilesystem(Syscalls.LINUX);
        root.prepare(spec.rootfs(), initBinary);
        root.mountVolumes(spec.rootfs(), spec.mounts());
        root.bindFiles(spec.rootfs(), spec.mounts());
        if (spec.root().readonly()) {
            root.readonlyRoot(spec.rootfs());
        }
        root.pivot(spec.rootfs());
        String program = Launcher.enter(spec);
        int[] pty = spec.process().terminal() ? Terminal.openPty("/dev/pts/ptmx") : new int[] {-1, -1};
        try {
            // tag::spawn[]
            List<String> argv = InitCommand.forContainer(spec).argv(spec, program, pty[1]);
            Spawn spawn = Launcher.spawnOf(RootFilesystem.INIT_PATH, argv, spec, stdio)
                    .fd(3, goPipe)     // the container starts when the engine writes to it
                    .fd(4, statusFd)   // where jbox-init records pid and exit status
                    .fd(5, syncPipe);  // where the shim reports pid 1 to this engine
            // end::spawn[]
            return new Created(Launcher.spawn(spawn, RootFilesystem.INIT_PATH), pty[0]);
        } catch (RuntimeException e) {
            Kernel.closeQuietly(pty[0]);
            throw e;
        }
    }
}
