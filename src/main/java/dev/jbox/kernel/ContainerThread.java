package dev.jbox.kernel;

import java.util.List;
import java.util.concurrent.Callable;

/**
 * Runs a task on a new platform thread of its own and waits for it: "thread, join, rethrow".
 *
 * <p>unshare(2), setns(2), chroot(2) and pivot_root(2) change the calling <em>thread</em> (the
 * first three once it has its own file-system context, {@code CLONE_FS}); a fresh thread per
 * container, or per namespace visited, keeps the engine's other threads, and the next container,
 * untouched. The task must only make calls through {@link Kernel}: nothing that starts threads
 * (the book, chapter 2, "Hazards of a thread in a container").
 */
public final class ContainerThread {
    /**
     * Classes a container thread may first need after its root has changed. Loaded here, while
     * every path still means the host's: from a class-path directory (not a jar, which stays
     * open) the class loader would look for them inside the container. {@code runtime.Launcher}
     * is the one class above this package that a container thread calls after its pivot.
     */
    private static final List<String> NEEDED_AFTER_PIVOT = List.of(
            "dev.jbox.JboxException", "dev.jbox.runtime.Launcher", "dev.jbox.kernel.Spawn",
            "dev.jbox.kernel.Spawn$SpawnException", "dev.jbox.kernel.KernelException", "dev.jbox.kernel.Errno",
            "dev.jbox.kernel.Terminal", "dev.jbox.kernel.WaitStatus", "com.sun.jna.ptr.IntByReference",
            "com.sun.jna.StringArray", "com.sun.jna.LastErrorException");

    static {
        for (String name : NEEDED_AFTER_PIVOT) {
            try {
                Class.forName(name, true, ContainerThread.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new ExceptionInInitializerError(e);
            }
        }
    }

    private ContainerThread() {
    }

    // tag::call[]
    public static <T> T call(String name, Callable<T> task) {
        Object[] result = new Object[1];
        Throwable[] failure = new Throwable[1];
        Thread thread = new Thread(() -> {
            try {
                result[0] = task.call();
            } catch (Throwable t) {
                failure[0] = t;
            }
        }, name);
        thread.start();
        boolean interrupted = false;
        while (true) {
            try {
                thread.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true; // the container is half made: finish making it, then report
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (failure[0] instanceof RuntimeException e) {
            throw e;
        }
        if (failure[0] instanceof Error e) {
            throw e;
        }
        if (failure[0] != null) {
            throw new IllegalStateException(failure[0]);
        }
        @SuppressWarnings("unchecked")
        T value = (T) result[0];
        return value;
    }
    // end::call[]
}
