package dev.jbox.cli;

import dev.jbox.JboxException;
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

@Command(name = "serve", description = "Serve the OCI Distribution API (push and pull) until interrupted.")
final class RegistryServeCommand implements Callable<Integer> {
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

    @Override
    public Integer call() throws InterruptedException {
        if (uploadExpiry <= 0) {
            throw new JboxException("--upload-expiry " + uploadExpiry + " must be a number of seconds above 0");
        }
        RegistryStore store = parent.store(root);
        RegistryServer server = RegistryServer.start(store, address(addr), Duration.ofSeconds(uploadExpiry));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "registry-shutdown"));
        InetSocketAddress bound = server.address();
        System.out.println("jbox registry: serving " + store.root() + " on http://" + bound.getHostString() + ":" + bound.getPort());
        System.out.flush();
        stopped.await();
        return 0;
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
