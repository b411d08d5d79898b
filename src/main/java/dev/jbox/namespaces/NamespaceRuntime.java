package dev.jbox.namespaces;

import dev.jbox.kernel.Kernel;
import dev.jbox.kernel.Spawn;
import dev.jbox.kernel.Terminal;
import dev.jbox.runtime.Container;
import dev.jbox.runtime.ContainerSpec;
import dev.jbox.kernel.ContainerThread;
import dev.jbox.runtime.Launcher;
import dev.jbox.runtime.Namespace;
import dev.jbox.runtime.Runtime;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Chapter 2: namespaces. A thread of the engine unshares new mount, UTS, IPC, network and
 * cgroup namespaces, builds the container's file system tree and pivots into it, then spawns
 * jbox-init, which makes the PID namespace and becomes (or starts) pid 1. Everything the
 * container mounts lives in its mount namespace and vanishes with its last process.
 */
public final class NamespaceRuntime implements Runtime {
    private final Path initBinary;

    public NamespaceRuntime(Path initBinary) {
        this.initBinary = initBinary;
    }

    @Override
    public Container create(ContainerSpec spec) {
        Objects.requireNonNull(spec.stateDir(), "a chapter-2 container needs a state directory");
        Path statusFile = spec.stateDir().resolve("status");
        int status = Kernel.open(statusFile.toString(), Kernel.O_WRONLY | Kernel.O_CREAT | Kernel.O_TRUNC | Kernel.O_CLOEXEC, 0644);
        int[] go = Kernel.pipe();
        Created created;
        try {
            created = ContainerThread.call("jbox-ns", () -> createInNamespaces(spec, go[0], status));
        } catch (RuntimeException e) {
            Kernel.closeQuietly(go[1]);
            throw e;
        } finally {
            Kernel.closeQuietly(go[0]);
            Kernel.closeQuietly(status);
        }
        ShimmedContainer container = new ShimmedContainer(created.shimPid(), statusFile, go[1], created.ptyMaster());
        try {
            container.awaitPid();
        } catch (RuntimeException e) {
            container.abort();
            throw e;
        }
        return container;
    }

    private record Created(int shimPid, int ptyMaster) {
    }

    /** Runs on the container thread: from here on, this thread is inside the container. */
    private Created createInNamespaces(ContainerSpec spec, int goPipe, int statusFd) {
        // tag::unshare[]
        int flags = Kernel.CLONE_FS | Kernel.CLONE_NEWNS;
        for (Namespace ns : spec.namespaces()) {
            if (ns != Namespace.PID) { // jbox-init makes the PID namespace: see below
                flags |= ns.cloneFlag();
            }
        }
        Kernel.unshare(flags);
        if (spec.namespaces().contains(Namespace.UTS)) {
            Kernel.sethostname(spec.hostname());
        }
        // end::unshare[]
        if (spec.namespaces().contains(Namespace.NET)) {
            Loopback.up();
        }
        RootFilesystem.prepare(spec.rootfs(), initBinary);
        RootFilesystem.bindFiles(spec.rootfs(), spec.files());
        RootFilesystem.pivot(spec.rootfs());
        Launcher.enterWorkdir(spec.workdir());
        String program = Launcher.resolve(spec.command().get(0), spec.path());
        int[] pty = spec.tty() ? Terminal.openPty("/dev/pts/ptmx") : new int[] {-1, -1};
        try {
            // tag::spawn[]
            List<String> argv = InitCommand.forContainer(spec).argv(spec, program, spec.tty() ? pty[1] : -1);
            Spawn spawn = Spawn.program(RootFilesystem.INIT_PATH, argv).env(spec.env())
                    .fd(0, spec.stdio().in()).fd(1, spec.stdio().out()).fd(2, spec.stdio().err())
                    .fd(3, goPipe)     // the container starts when the engine writes to it
                    .fd(4, statusFd);  // where jbox-init records pid and exit status
            // end::spawn[]
            return new Created(Launcher.spawn(spawn, RootFilesystem.INIT_PATH), pty[0]);
        } catch (RuntimeException e) {
            Kernel.closeQuietly(pty[0]);
            throw e;
        }
    }
}
