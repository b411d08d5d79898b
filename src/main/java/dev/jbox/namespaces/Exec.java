package dev.jbox.namespaces;

import dev.jbox.JboxException;
import dev.jbox.kernel.Kernel;
import dev.jbox.kernel.KernelException;
import dev.jbox.kernel.Spawn;
import dev.jbox.kernel.Terminal;
import dev.jbox.kernel.ContainerThread;
import dev.jbox.runtime.Launch;
import dev.jbox.runtime.Launcher;
import dev.jbox.spec.ContainerSpec;
import dev.jbox.spec.Namespace;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code jbox exec}: a new process in a running container. A fresh thread joins each of the
 * container's namespaces with setns(2) - the mount namespace last, since it also moves the
 * thread's root into the container - and spawns the command, which is then born inside.
 */
public final class Exec {
    private Exec() {
    }

    /**
     * An exec'd process, held before its command like a container's pid 1: its pid (a child of
     * this JVM), with a tty the pty's master, and the "go" pipe that {@link #go} writes.
     */
    public record Process(int pid, int ptyMaster, int goPipe) {
        /** Lets the command run (once the engine has put the process where it belongs, e.g. its cgroup). */
        public void go() {
            try {
                Kernel.write(goPipe, new byte[] {'g'});
            } finally {
                Kernel.closeQuietly(goPipe);
            }
        }

        /** Gives up: jbox-init exits 125 without running the command. */
        public void abort() {
            Kernel.closeQuietly(goPipe);
            Kernel.closeQuietly(ptyMaster);
            Kernel.waitpid(pid);
        }
    }

    /**
     * {@code spec} describes the new process (args, env, cwd, terminal, capabilities); its root is
     * ignored: the container's root is reached through its mount namespace.
     */
    public static Process start(int containerPid, List<Namespace> namespaces, ContainerSpec spec, Launch.Stdio stdio) {
        // Opened here, before any setns: afterwards "/proc" would mean the container's /proc.
        Map<String, Integer> fds = new LinkedHashMap<>();
        int[] go = Kernel.pipe();
        try {
            for (Namespace ns : namespaces) {
                fds.put(ns.procName(), openNamespace(containerPid, ns.procName()));
            }
            fds.put("mnt", openNamespace(containerPid, "mnt"));
            Process p = ContainerThread.call("jbox-exec", () -> enterAndSpawn(fds, spec, stdio, go));
            go[1] = -1; // now the process's to write
            return p;
        } finally {
            fds.values().forEach(Kernel::closeQuietly);
            Kernel.closeQuietly(go[0]);
            Kernel.closeQuietly(go[1]);
        }
    }

    private static int openNamespace(int pid, String name) {
        try {
            return Kernel.open("/proc/" + pid + "/ns/" + name, Kernel.O_RDONLY | Kernel.O_CLOEXEC, 0);
        } catch (KernelException e) {
            throw new JboxException("cannot open the " + name + " namespace of container process " + pid + " ("
                    + e.getMessage() + "); is the container still running?");
        }
    }

    private static Process enterAndSpawn(Map<String, Integer> fds, ContainerSpec spec, Launch.Stdio stdio, int[] go) {
        // tag::setns[]
        Kernel.unshare(Kernel.CLONE_FS); // setns into a mount namespace needs a file-system context of our own
        for (var ns : fds.entrySet()) {
            Kernel.setns(ns.getValue(), 0, ns.getKey() + " namespace");
        }
        // end::setns[]
        String program = Launcher.enter(spec);
        int[] pty = spec.process().terminal() ? Terminal.openPty("/dev/pts/ptmx") : new int[] {-1, -1};
        try {
            List<String> argv = InitCommand.forExec().argv(spec, program, pty[1]);
            Spawn spawn = Launcher.spawnOf(RootFilesystem.INIT_PATH, argv, spec, stdio).fd(3, go[0]);
            return new Process(Launcher.spawn(spawn, program), pty[0], go[1]);
        } catch (RuntimeException e) {
            Kernel.closeQuietly(pty[0]);
            throw e;
        }
    }
}
