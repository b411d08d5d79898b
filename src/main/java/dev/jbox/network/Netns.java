package dev.jbox.network;

import dev.jbox.kernel.ContainerThread;
import dev.jbox.kernel.Kernel;
import dev.jbox.kernel.NetlinkRoute;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * A network namespace held open by a file descriptor: a container's ({@code /proc/PID/ns/net}),
 * a named one ({@code /run/netns/NAME}), the engine's own, or a new anonymous one that lives
 * exactly as long as this object is open (what tests use: nothing to unmount, nothing left
 * behind if the JVM dies).
 *
 * <p>Sockets and {@code /proc/sys/net} files belong to the namespace of the thread that opens
 * them; {@link #call} runs a task on a short-lived thread that has joined this namespace, so
 * engine threads never change namespace themselves.
 */
public final class Netns implements AutoCloseable {
    private final int fd;
    private final String description;

    private Netns(int fd, String description) {
        this.fd = fd;
        this.description = description;
    }

    /** A new, empty network namespace (only a loopback, down), alive until {@link #close}. */
    public static Netns create() {
        Kernel.warmUp();
        int fd = ContainerThread.call("netns-create", () -> {
            Kernel.unshare(Kernel.CLONE_NEWNET);
            return Kernel.open("/proc/thread-self/ns/net", Kernel.O_RDONLY | Kernel.O_CLOEXEC, 0);
        });
        return new Netns(fd, "new network namespace");
    }

    /** {@code /proc/PID/ns/net}, {@code /run/netns/NAME} or any other handle on a network namespace. */
    public static Netns open(Path path) {
        return new Netns(Kernel.open(path.toString(), Kernel.O_RDONLY | Kernel.O_CLOEXEC, 0), path.toString());
    }

    /** The network namespace of a process, e.g. a container's first process. */
    public static Netns ofProcess(int pid) {
        return open(Path.of("/proc", Integer.toString(pid), "ns", "net"));
    }

    /** The namespace the engine process itself runs in (its main thread's): the host's, normally. */
    public static Netns engine() {
        return open(Path.of("/proc/self/ns/net"));
    }

    public int fd() {
        return fd;
    }

    /**
     * A path other programs can open while this is open, e.g. for {@code nsenter --net=PATH}:
     * the descriptor seen through this process's {@code /proc}.
     */
    public String path() {
        return "/proc/" + Kernel.getpid() + "/fd/" + fd;
    }

    /** The kernel's name for the namespace, {@code net:[4026532281]}: equal names, same namespace. */
    public String identity() {
        return readLink(Path.of(path()));
    }

    /** An rtnetlink socket in this namespace (see {@link NetlinkRoute#openInNetns}). */
    public NetlinkRoute netlink() {
        return isCurrent() ? NetlinkRoute.open() : NetlinkRoute.openInNetns(fd);
    }

    /** Whether the calling thread is already in this namespace. */
    public boolean isCurrent() {
        return identity().equals(readLink(Path.of("/proc/thread-self/ns/net")));
    }

    /**
     * Runs {@code task} inside this namespace: directly if the calling thread is already in it,
     * otherwise on a new thread that joins it and ends with the task. The task must not start
     * threads (they would inherit the namespace and keep it alive).
     */
    public <T> T call(Callable<T> task) {
        if (isCurrent()) {
            try {
                return task.call();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        Kernel.warmUp();
        return ContainerThread.call("netns-" + fd, () -> {
            Kernel.setns(fd, Kernel.CLONE_NEWNET, description);
            return task.call();
        });
    }

    @Override
    public void close() {
        Kernel.closeQuietly(fd);
    }

    @Override
    public String toString() {
        return description;
    }

    private static String readLink(Path path) {
        try {
            return Files.readSymbolicLink(path).toString();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        }
    }
}
