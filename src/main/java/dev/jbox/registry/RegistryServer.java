package dev.jbox.registry;

import dev.jbox.JboxException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * {@code jbox registry serve}: the OCI Distribution API over Jetty 12's core HTTP server (no
 * servlets). Request bodies are read as streams and blobs written as they arrive, so memory does
 * not grow with the size of a layer. The server holds the store's lock while it runs, so
 * {@code jbox registry gc} cannot sweep blobs from under a push.
 *
 * <p>Why Jetty and not the JDK's {@code com.sun.net.httpserver} (measured side by side, see the
 * commit that made the switch): the two stream alike, but the JDK's server never answers a TLS
 * handshake sent to its plain port, so a client that tries HTTPS first (skopeo, docker with an
 * insecure registry) waited out its own 10 s timeout on every command; Jetty refuses at once, as
 * Distribution does. Only {@link Router}, {@link Exchange} and this class touch Jetty.
 */
public final class RegistryServer implements AutoCloseable {
    public static final Duration DEFAULT_UPLOAD_EXPIRY = Duration.ofHours(1);
    private static final int MAX_THREADS = 128;
    /** Bytes read from a socket at a time (Jetty's default 8 kB made a 200 MiB PUT 1.5-2x slower here). */
    private static final int INPUT_BUFFER = 64 * 1024;
    /** Held so its level sticks (java.util.logging keeps loggers weakly): Jetty says only warnings. */
    private static final Logger JETTY_LOG = Logger.getLogger("org.eclipse.jetty");

    private final Server http;
    private final ServerConnector connector;
    private final Uploads uploads;
    private final ScheduledExecutorService sweeper;
    private final StoreLock lock;
    private final boolean tls;

    /**
     * How to serve: where, for how long an idle upload lives, who may come in (null users: anyone;
     * {@code tokens}: Bearer tokens rather than Basic), and TLS (null: plain HTTP, which a
     * non-loopback address allows only when {@code insecure}).
     */
    public record Options(InetSocketAddress address, Duration uploadExpiry, Htpasswd users, boolean tokens,
                          Duration tokenLifetime, KeyStore tls, boolean insecure) {
        public static Options on(InetSocketAddress address) {
            return new Options(address, DEFAULT_UPLOAD_EXPIRY, null, false, Tokens.DEFAULT_LIFETIME, null, false);
        }

        public Options uploadExpiry(Duration d) {
            return new Options(address, d, users, tokens, tokenLifetime, tls, insecure);
        }

        /** Basic auth against {@code users}, or Bearer tokens issued to them when {@code tokens}. */
        public Options users(Htpasswd u, boolean useTokens) {
            return new Options(address, uploadExpiry, u, useTokens, tokenLifetime, tls, insecure);
        }

        public Options tokenLifetime(Duration d) {
            return new Options(address, uploadExpiry, users, tokens, d, tls, insecure);
        }

        /** TLS with the PEM certificate (chain) and key given. */
        public Options tls(Path certFile, Path keyFile) {
            return new Options(address, uploadExpiry, users, tokens, tokenLifetime, PemKeyStore.load(certFile, keyFile), insecure);
        }

        public Options insecure(boolean allowed) {
            return new Options(address, uploadExpiry, users, tokens, tokenLifetime, tls, allowed);
        }
    }

    private RegistryServer(Server http, ServerConnector connector, Uploads uploads, ScheduledExecutorService sweeper, StoreLock lock, boolean tls) {
        this.http = http;
        this.connector = connector;
        this.uploads = uploads;
        this.sweeper = sweeper;
        this.lock = lock;
        this.tls = tls;
    }

    /** Binds {@code address} (port 0: any free port) and serves the store to anyone, over plain HTTP. */
    public static RegistryServer start(RegistryStore store, InetSocketAddress address, Duration uploadExpiry) {
        return start(store, Options.on(address).uploadExpiry(uploadExpiry));
    }

    public static RegistryServer start(RegistryStore store, Options o) {
        refusePlainHttpOffLoopback(o);
        if (o.tokens() && o.users() == null) {
            throw new JboxException("--auth token needs --htpasswd FILE: the token endpoint checks those users' passwords");
        }
        Access access = o.users() == null ? Access.OPEN
                : o.tokens() ? new TokenAccess(o.users(), new Tokens(BasicAccess.REALM, o.tokenLifetime()))
                : new BasicAccess(o.users());
        StoreLock lock = StoreLock.take(store.root(), "serving it");
        Server http = null;
        ScheduledExecutorService sweeper = null;
        try {
            Uploads uploads = Uploads.restore(store, o.uploadExpiry()); // a push under way when the last one stopped goes on
            JETTY_LOG.setLevel(Level.WARNING);
            // One thread per request in flight: a blob transfer blocks on its socket and its file.
            QueuedThreadPool pool = new QueuedThreadPool(MAX_THREADS, 2, 30_000);
            pool.setName("registry");
            pool.setDaemon(true);
            http = new Server(pool);
            ServerConnector connector = connector(http, o.tls());
            connector.setHost(o.address().getAddress().getHostAddress());
            connector.setPort(o.address().getPort());
            http.addConnector(connector);
            http.setHandler(new Router(store, uploads, access));
            http.setErrorHandler(new ErrorBodies());
            http.setStopTimeout(1000);
            sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "registry-expiry");
                t.setDaemon(true);
                return t;
            });
            long period = Math.max(1, Math.min(60, o.uploadExpiry().toSeconds() / 2));
            sweeper.scheduleAtFixedRate(() -> expire(uploads), period, period, TimeUnit.SECONDS);
            http.start();
            return new RegistryServer(http, connector, uploads, sweeper, lock, o.tls() != null);
        } catch (Exception e) {
            stopQuietly(http);
            if (sweeper != null) {
                sweeper.shutdownNow();
            }
            lock.close();
            if (e instanceof RuntimeException r) {
                throw r;
            }
            throw new JboxException("cannot serve the registry on " + o.address() + ": " + e.getMessage()
                    + " (is another server on that port? pick another with --addr)");
        }
    }

    /**
     * Docker's rule: plain HTTP only on loopback, unless the operator says the network is safe.
     * Elsewhere passwords and tokens would cross the network in clear, and images unprotected.
     */
    private static void refusePlainHttpOffLoopback(Options o) {
        if (o.tls() == null && !o.insecure() && !o.address().getAddress().isLoopbackAddress()) {
            throw new JboxException("refusing plain HTTP on " + o.address().getAddress().getHostAddress()
                    + ": off loopback, images and passwords would cross the network unprotected; give --tls-cert and --tls-key,"
                    + " listen on 127.0.0.1, or say --insecure if this network is trusted");
        }
    }

    private static ServerConnector connector(Server http, KeyStore tls) {
        HttpConfiguration config = new HttpConfiguration();
        config.setSendServerVersion(false);
        config.setSendXPoweredBy(false);
        // Let a path with '//' reach the router, which refuses it as the spec says (NAME_INVALID)
        // rather than with Jetty's generic 400: repository names are checked there, strictly.
        config.setUriCompliance(UriCompliance.DEFAULT.with("registry",
                UriCompliance.Violation.AMBIGUOUS_EMPTY_SEGMENT, UriCompliance.Violation.AMBIGUOUS_PATH_SEGMENT));
        HttpConnectionFactory http1 = new HttpConnectionFactory(config);
        http1.setInputBufferSize(INPUT_BUFFER);
        if (tls == null) {
            return new ServerConnector(http, http1);
        }
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setKeyStore(tls);
        ssl.setKeyStorePassword(new String(PemKeyStore.PASSWORD));
        // Clients reach a registry by IP, 'localhost' or a name the certificate may not list; the
        // client's own verification decides, as with Distribution, not a server-side SNI check.
        ssl.setSniRequired(false);
        config.addCustomizer(new SecureRequestCustomizer(false));
        return new ServerConnector(http, ssl, http1);
    }

    private static void expire(Uploads uploads) {
        try {
            uploads.expire(Instant.now());
        } catch (java.io.IOException | RuntimeException e) {
            Logger.getLogger(RegistryServer.class.getName()).warning("upload expiry failed: " + e);
        }
    }

    private static void stopQuietly(Server http) {
        try {
            if (http != null) {
                http.stop();
            }
        } catch (Exception ignored) {
            // it did not start: nothing to stop
        }
    }

    public InetSocketAddress address() {
        return new InetSocketAddress(connector.getHost(), connector.getLocalPort());
    }

    public int port() {
        return connector.getLocalPort();
    }

    /** "https" with --tls-cert, else "http". */
    public String scheme() {
        return tls ? "https" : "http";
    }

    /** Runs the expiry now (tests; the server runs it on its own every half expiry, at most every minute). */
    int expireUploads(Instant now) throws java.io.IOException {
        return uploads.expire(now);
    }

    @Override
    public void close() {
        try {
            stopQuietly(http);
            sweeper.shutdownNow();
            uploads.close(); // their state stays on disk for the next start, which resumes or expires them
        } finally {
            lock.close();
        }
    }
}
