package dev.jbox.cli;

import dev.jbox.JboxException;
import dev.jbox.registry.Htpasswd;
import dev.jbox.registry.RegistryServer;
import dev.jbox.registry.RegistryStore;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "serve", description = {"Serve the OCI Distribution API (push and pull) until interrupted.",
        "Plain HTTP only on a loopback address, unless --insecure; elsewhere give --tls-cert and --tls-key."})
final class RegistryServeCommand implements Callable<Integer> {
    @picocli.CommandLine.Mixin
    HelpOption helpOption;

    @ParentCommand
    RegistryCommand parent;

    @Option(names = "--addr", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:5000",
            description = "Where to listen (default: ${DEFAULT-VALUE}; ':5000' means every interface).")
    String addr;

    @Option(names = "--root", paramLabel = "DIR", description = "Where the registry keeps blobs and repositories (default: registry/ under jbox's data root).")
    Path root;

    @Option(names = "--upload-expiry", paramLabel = "SECONDS", defaultValue = "3600",
            description = "Remove an unfinished upload idle this long (default: ${DEFAULT-VALUE}).")
    long uploadExpiry;

    @Option(names = "--htpasswd", paramLabel = "FILE",
            description = "Let in only the users of FILE (bcrypt entries, as 'htpasswd -B' writes them).")
    Path htpasswd;

    @Option(names = "--auth", paramLabel = "MODE", defaultValue = "basic",
            description = "With --htpasswd: 'basic' (a password on every request, the default) or 'token' "
                    + "(Bearer tokens issued at /token, as Docker Hub does).")
    String auth;

    @Option(names = "--token-lifetime", paramLabel = "SECONDS", defaultValue = "300",
            description = "How long a token of --auth token is valid (default: ${DEFAULT-VALUE}).")
    long tokenLifetime;

    @Option(names = "--tls-cert", paramLabel = "FILE", description = "Serve HTTPS with this PEM certificate (chain).")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "FILE", description = "The PEM private key of --tls-cert (PKCS#8 or RSA PKCS#1, unencrypted).")
    Path tlsKey;

    @Option(names = "--insecure", description = "Allow plain HTTP on an address other than loopback (a trusted network only).")
    boolean insecure;

    @Override
    public Integer call() throws InterruptedException {
        RegistryServer.Options options = options();
        RegistryStore store = parent.store(root);
        RegistryServer server = RegistryServer.start(store, options);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "registry-shutdown"));
        InetSocketAddress bound = server.address();
        String who = htpasswd == null ? "anyone" : "the users of " + htpasswd + (auth.equals("token") ? " (Bearer tokens at /token)" : " (Basic)");
        System.out.println("jbox registry: serving " + store.root() + " on " + server.scheme() + "://" + bound.getHostString()
                + ":" + bound.getPort() + " to " + who);
        System.out.flush();
        stopped.await();
        return 0;
    }

    /** Checks the flags together, each mistake one line naming the flag and the fix. */
    private RegistryServer.Options options() {
        if (uploadExpiry <= 0) {
            throw new JboxException("--upload-expiry " + uploadExpiry + " must be a number of seconds above 0");
        }
        if (tokenLifetime <= 0) {
            throw new JboxException("--token-lifetime " + tokenLifetime + " must be a number of seconds above 0");
        }
        if (!auth.equals("basic") && !auth.equals("token")) {
            throw new JboxException("--auth " + auth + " is not a mode: use basic or token");
        }
        if (htpasswd == null && auth.equals("token")) {
            throw new JboxException("--auth token needs --htpasswd FILE: the token endpoint checks those users' passwords");
        }
        if ((tlsCert == null) != (tlsKey == null)) {
            throw new JboxException("TLS needs both --tls-cert FILE and --tls-key FILE (" + (tlsCert == null ? "--tls-cert" : "--tls-key") + " is missing)");
        }
        RegistryServer.Options o = RegistryServer.Options.on(address(addr))
                .uploadExpiry(Duration.ofSeconds(uploadExpiry))
                .tokenLifetime(Duration.ofSeconds(tokenLifetime))
                .insecure(insecure);
        if (htpasswd != null) {
            o = o.users(Htpasswd.load(htpasswd), auth.equals("token"));
        }
        return tlsCert == null ? o : o.tls(tlsCert, tlsKey);
    }

    /** {@code HOST:PORT}, {@code [IPV6]:PORT} or {@code :PORT}, with one error line naming the mistake. */
    static InetSocketAddress address(String text) {
        int colon = text.lastIndexOf(':');
        String host = colon < 0 ? "" : text.substring(0, colon);
        String port = colon < 0 ? "" : text.substring(colon + 1);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        try {
            int p = Integer.parseInt(port);
            if (p < 0 || p > 65535) {
                throw new NumberFormatException();
            }
            InetSocketAddress a = host.isEmpty() ? new InetSocketAddress(p) : new InetSocketAddress(host, p);
            if (a.isUnresolved()) {
                throw new JboxException("--addr " + text + ": cannot resolve host '" + host + "'");
            }
            return a;
        } catch (NumberFormatException e) {
            throw new JboxException("--addr " + text + " is not HOST:PORT with a port 0-65535, e.g. 127.0.0.1:5000");
        }
    }
}
