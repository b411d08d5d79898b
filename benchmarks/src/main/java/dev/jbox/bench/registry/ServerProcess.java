package dev.jbox.bench.registry;

import dev.jbox.bench.BenchException;
import dev.jbox.bench.BenchRoot;
import dev.jbox.bench.JboxCommand;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One registry server as a process of its own on 127.0.0.1, started on an empty root directory
 * and stopped by the benchmark: {@code jbox registry serve} (a JVM, through ./jbox as users run
 * it) or Distribution ({@code docker-registry serve}, a Go program, with Debian's config.yml but
 * its own address and root). Its memory comes from /proc/PID/status.
 */
final class ServerProcess implements AutoCloseable {
    static final String JBOX = "jbox";
    static final String DISTRIBUTION = "distribution";
    private static final long READY_MS = 120_000;

    final String name;
    final int port;
    private final Path root;
    private final Process process;

    private ServerProcess(String name, int port, Path root, Process process) {
        this.name = name;
        this.port = port;
        this.root = root;
        this.process = process;
    }

    /** Starts {@code name} on {@code port} with an empty root under {@code work}, and waits until /v2/ answers. */
    static ServerProcess start(String name, int port, Path work, JboxCommand jbox) throws IOException {
        Path root = work.resolve(name + "-root");
        BenchRoot.delete(root);
        Files.createDirectories(root);
        Path log = work.resolve(name + ".log");
        ProcessBuilder pb;
        if (name.equals(JBOX)) {
            pb = jbox.builder(List.of("registry", "serve", "--addr", "127.0.0.1:" + port, "--root", root.toString()));
        } else {
            Path config = work.resolve("distribution.yml");
            Files.writeString(config, distributionConfig(root, port));
            pb = new ProcessBuilder("docker-registry", "serve", config.toString());
        }
        Process p = pb.redirectErrorStream(true).redirectOutput(log.toFile()).start();
        ServerProcess server = new ServerProcess(name, port, root, p);
        server.awaitReady(log);
        return server;
    }

    /**
     * Debian's /etc/docker/registry/config.yml as shipped (info logging, the in-memory blob
     * descriptor cache, deletes enabled, the storage health check), without its htpasswd auth
     * (jbox's server runs without a login too), on our address and root.
     */
    static String distributionConfig(Path root, int port) {
        return String.join("\n", "version: 0.1", "log:", "  fields:", "    service: registry", "storage:", "  cache:",
                "    blobdescriptor: inmemory", "  filesystem:", "    rootdirectory: " + root, "  delete:", "    enabled: true",
                "http:", "  addr: 127.0.0.1:" + port, "  headers:", "    X-Content-Type-Options: [nosniff]", "health:",
                "  storagedriver:", "    enabled: true", "    interval: 10s", "    threshold: 3", "");
    }

    private void awaitReady(Path log) throws IOException {
        long deadline = System.currentTimeMillis() + READY_MS;
        while (System.currentTimeMillis() < deadline) {
            if (!process.isAlive()) {
                throw new BenchException(name + " registry exited with " + process.exitValue() + " at start: "
                        + Files.readString(log).strip().replace('\n', ' '));
            }
            try {
                HttpURLConnection c = (HttpURLConnection) URI.create(url("/v2/")).toURL().openConnection();
                c.setConnectTimeout(1000);
                c.setReadTimeout(5000);
                if (c.getResponseCode() == 200) {
                    c.disconnect();
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            sleep(50);
        }
        close();
        throw new BenchException(name + " registry did not answer on port " + port + " within " + READY_MS / 1000 + " s; see " + log);
    }

    String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    String address() {
        return "127.0.0.1:" + port;
    }

    long pid() {
        return process.pid();
    }

    /** VmRSS (now) or VmHWM (the peak since start, or since {@link #resetPeak}) of the server, KiB. */
    long memoryKiB(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"))) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.substring(field.length() + 1).replace("kB", "").strip());
                }
            }
        } catch (IOException e) {
            throw new BenchException("cannot read the memory of the " + name + " registry (pid " + pid() + "): " + e.getMessage());
        }
        throw new BenchException("/proc/" + pid() + "/status has no " + field + " line");
    }

    /** Resets VmHWM to the current RSS (clear_refs 5, Linux 4.0+), so the next peak is of what follows. */
    void resetPeak() {
        try {
            Files.writeString(Path.of("/proc", Long.toString(pid()), "clear_refs"), "5");
        } catch (IOException e) {
            throw new BenchException("cannot reset the peak RSS of the " + name + " registry: " + e.getMessage());
        }
    }

    /** User plus system CPU time the server has used, seconds (/proc/PID/stat, 100 ticks a second). */
    double cpuSeconds() {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid()), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
        } catch (IOException e) {
            throw new BenchException("cannot read the CPU time of the " + name + " registry: " + e.getMessage());
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        BenchRoot.delete(root);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchException("interrupted");
        }
    }
}
