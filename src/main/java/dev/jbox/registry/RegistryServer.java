package dev.jbox.registry;

import com.sun.net.httpserver.HttpServer;
import dev.jbox.JboxException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code jbox registry serve}: the OCI Distribution API over the JDK's own HTTP server
 * ({@code com.sun.net.httpserver}). Request bodies are read as streams and blobs written as they
 * arrive, so memory does not grow with the size of a layer. The server holds the store's lock
 * while it runs, so {@code jbox registry gc} cannot sweep blobs from under a push.
 *
 * <p>The stack was measured against Jetty 12 (see the commit that says so): throughput and memory
 * are alike, but the JDK's server does not answer a TLS handshake sent to its plain port, so a
 * client that tries HTTPS first (skopeo, docker with an insecure registry) waits out its own
 * handshake timeout, 10 s per command, where Jetty and Distribution refuse at once. Only
 * {@link Router}, {@link Exchange} and this class touch the JDK's server, so the swap is local.
 */
public final class RegistryServer implements AutoCloseable {
    public static final Duration DEFAULT_UPLOAD_EXPIRY = Duration.ofHours(1);
    private static final int MAX_THREADS = 128;

    private final HttpServer http;
    private final Uploads uploads;
    private final ExecutorService workers;
    private final ScheduledExecutorService sweeper;
    private final StoreLock lock;

    private RegistryServer(HttpServer http, Uploads uploads, ExecutorService workers, ScheduledExecutorService sweeper, StoreLock lock) {
        this.http = http;
        this.uploads = uploads;
        this.workers = workers;
        this.sweeper = sweeper;
        this.lock = lock;
    }

    /** Binds {@code address} (port 0: any free port) and starts serving the store. */
    public static RegistryServer start(RegistryStore store, InetSocketAddress address, Duration uploadExpiry) {
        StoreLock lock = StoreLock.take(store.root(), "serving it");
        try {
            store.blobs().clearIngest();
            Uploads uploads = new Uploads(store, uploadExpiry);
            HttpServer http = HttpServer.create(address, 256);
            http.createContext("/", new Router(store, uploads));
            AtomicInteger n = new AtomicInteger();
            // One thread per request in flight: a blob transfer blocks on its socket and its file.
            ThreadPoolExecutor workers = new ThreadPoolExecutor(MAX_THREADS, MAX_THREADS, 30, TimeUnit.SECONDS,
                    new LinkedBlockingQueue<>(), r -> daemon(r, "registry-" + n.incrementAndGet()));
            workers.allowCoreThreadTimeOut(true);
            http.setExecutor(workers);
            ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "registry-expiry"));
            long period = Math.max(1, Math.min(60, uploadExpiry.toSeconds() / 2));
            sweeper.scheduleAtFixedRate(() -> expire(uploads), period, period, TimeUnit.SECONDS);
            http.start();
            return new RegistryServer(http, uploads, workers, sweeper, lock);
        } catch (IOException e) {
            lock.close();
            throw new JboxException("cannot serve the registry on " + address + ": " + e.getMessage()
                    + " (is another server on that port? pick another with --addr)");
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    private static void expire(Uploads uploads) {
        try {
            uploads.expire(Instant.now());
        } catch (IOException | RuntimeException e) {
            java.util.logging.Logger.getLogger(RegistryServer.class.getName()).warning("upload expiry failed: " + e);
        }
    }

    public InetSocketAddress address() {
        return http.getAddress();
    }

    public int port() {
        return http.getAddress().getPort();
    }

    /** Runs the expiry now (tests; the server runs it on its own every half expiry, at most every minute). */
    int expireUploads(Instant now) throws IOException {
        return uploads.expire(now);
    }

    @Override
    public void close() {
        try {
            http.stop(0);
            sweeper.shutdownNow();
            workers.shutdownNow();
            uploads.cancelAll();
        } catch (IOException e) {
            throw new JboxException("cannot remove the registry's unfinished uploads: " + e.getMessage());
        } finally {
            lock.close();
        }
    }
}
