package dev.jbox.registry.client;

import dev.jbox.JboxException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs a pull's or a push's blob transfers on a few threads (Docker: 3 downloads, 5 uploads at
 * a time). The first failure cancels the rest and is the one reported; the call returns only once
 * every transfer has stopped, so nothing is still writing when the caller reports the error.
 */
final class Transfers {
    private Transfers() {
    }

    static void runAll(List<Runnable> tasks, int threads, String what) {
        AtomicInteger n = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(threads, tasks.size())), r -> {
            Thread t = new Thread(r, what + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        List<Future<?>> futures = new ArrayList<>();
        tasks.forEach(t -> futures.add(pool.submit(t)));
        pool.shutdown();
        try {
            for (Future<?> f : futures) {
                f.get();
            }
        } catch (ExecutionException e) {
            pool.shutdownNow();
            awaitQuietly(pool);
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new JboxException(what + " failed: " + e.getCause());
        } catch (InterruptedException e) {
            pool.shutdownNow();
            awaitQuietly(pool);
            Thread.currentThread().interrupt();
            throw new JboxException(what + " interrupted");
        }
    }

    private static void awaitQuietly(ExecutorService pool) {
        try {
            if (!pool.awaitTermination(60, TimeUnit.SECONDS)) {
                throw new JboxException("transfers did not stop within 60 s of a failure");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
