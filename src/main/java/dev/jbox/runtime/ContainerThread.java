package dev.jbox.runtime;

import java.util.concurrent.Callable;

/**
 * Runs a task on a new platform thread of its own and waits for it.
 *
 * <p>unshare(2), chroot(2) and pivot_root(2) change the calling <em>thread</em> once it has
 * its own file-system context ({@code CLONE_FS}); a fresh thread per container keeps the
 * engine's other threads, and the next container, untouched. The task must only make calls
 * through {@link dev.jbox.kernel.Kernel}: nothing that starts threads (DESIGN.md section 4).
 */
public final class ContainerThread {
    private ContainerThread() {
    }

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
}
