package dev.jbox.bench.registry;

import dev.jbox.bench.BenchException;
import dev.jbox.bench.BenchRoot;
import dev.jbox.DataRoot;
import dev.jbox.bench.JboxCommand;
import dev.jbox.image.ImageStore;
import dev.jbox.image.Reference;
import dev.jbox.registry.client.ClientConfig;
import dev.jbox.registry.client.ImagePuller;
import dev.jbox.registry.client.ImagePusher;
import dev.jbox.registry.client.Platform;
import dev.jbox.registry.client.Progress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The two clients as whole processes, as a user runs them: {@code ./jbox push|pull} (a JVM,
 * through the launcher) and {@code skopeo copy} (a Go program), each under GNU time for its CPU
 * time and peak RSS. jbox pushes from a store the images were imported into and pulls into a
 * fresh store; skopeo pushes from the OCI layout and pulls into a fresh OCI layout. Both check
 * every blob's digest as it arrives, and both fsync what they write. For scale, jbox's client also
 * runs warm, in this JVM ({@link #WARM}): what the transfer costs without a JVM's start.
 */
final class Clients {
    static final String JBOX = "jbox";
    static final String SKOPEO = "skopeo";
    /** jbox's client in this JVM, warm: no process, no JVM start, the JIT done. */
    static final String WARM = "jbox-warm";
    private static final String TIME = "/usr/bin/time";
    /** No logins (an empty config directory of its own), plain HTTP to 127.0.0.1 as for ./jbox. */
    private static final ClientConfig CONFIG = ClientConfig.of(Path.of("/nonexistent/jbox-bench-config"), List.of());

    /** One command's cost: wall seconds, CPU seconds (user + system), peak RSS in KiB. */
    record Cost(double seconds, double cpuSeconds, long peakKiB) {
    }

    private final Path work;
    private final Path layout;
    private final JboxCommand jboxPushes;
    private final ImageStore warmStore;

    /** @param jboxStore the store ./jbox pushes from; {@code warmStore} the one the warm client pushes from */
    Clients(Path work, Path jboxStore, Path warmStore, Path layout) {
        this.work = work;
        this.layout = layout;
        this.jboxPushes = new JboxCommand(jboxStore);
        this.warmStore = new ImageStore(new DataRoot(warmStore));
        if (!Files.isExecutable(Path.of(TIME))) {
            throw new BenchException(TIME + " is missing; install it: apt-get install time");
        }
    }

    Cost push(String client, ServerProcess server, TestImages.Image image) throws IOException {
        String target = server.address() + "/" + image.repository(client) + ":" + TestImages.TAG;
        if (client.equals(JBOX)) {
            return run(jboxPushes.builder(List.of("push", target)));
        }
        if (client.equals(WARM)) {
            return inProcess(() -> new ImagePusher(warmStore, CONFIG, Progress.SILENT, 0).push(Reference.parse(target)));
        }
        return run(new ProcessBuilder(SKOPEO, "copy", "-q", "--dest-tls-verify=false", "oci:" + layout + ":" + image.name(),
                "docker://" + target));
    }

    Cost pull(String client, ServerProcess server, TestImages.Image image) throws IOException {
        String source = server.address() + "/" + image.repository(client) + ":" + TestImages.TAG;
        Path into = work.resolve("pulled-" + client);
        BenchRoot.delete(into);
        try {
            if (client.equals(JBOX)) {
                return run(new JboxCommand(into).builder(List.of("pull", source)));
            }
            if (client.equals(WARM)) {
                ImageStore store = new ImageStore(new DataRoot(into));
                return inProcess(() -> new ImagePuller(store, CONFIG, Progress.SILENT, Platform.host()).pull(Reference.parse(source)));
            }
            return run(new ProcessBuilder(SKOPEO, "copy", "-q", "--src-tls-verify=false", "docker://" + source,
                    "oci:" + into + ":" + TestImages.TAG));
        } finally {
            BenchRoot.delete(into);
        }
    }

    /** The least a command costs: {@code ./jbox push --help} (the launcher, a JVM, picocli) or {@code skopeo --version}. */
    Cost floor(String client) throws IOException {
        return run(client.equals(JBOX) ? jboxPushes.builder(List.of("push", "--help")) : new ProcessBuilder(SKOPEO, "--version"));
    }

    static String version(String client) {
        return client.equals(SKOPEO) ? dev.jbox.bench.Commands.firstLineOr("skopeo", List.of(SKOPEO, "--version")) : "jbox (this tree)";
    }

    /** Wall time and this JVM's CPU time (every thread: the transfer's, HttpClient's, the JIT's, the GC's) of {@code op}. */
    private static Cost inProcess(Runnable op) {
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        long cpu = os.getProcessCpuTime();
        long start = System.nanoTime();
        op.run();
        return new Cost((System.nanoTime() - start) / 1e9, (os.getProcessCpuTime() - cpu) / 1e9, 0);
    }

    private Cost run(ProcessBuilder pb) throws IOException {
        Path times = Files.createTempFile(work, "time-", ".txt");
        Path err = Files.createTempFile(work, "err-", ".txt");
        List<String> command = new ArrayList<>(List.of(TIME, "-o", times.toString(), "-f", "%U %S %M"));
        command.addAll(pb.command());
        pb.command(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        try {
            long start = System.nanoTime();
            int code = pb.start().waitFor();
            double seconds = (System.nanoTime() - start) / 1e9;
            if (code != 0) {
                throw new BenchException("'" + String.join(" ", command.subList(5, command.size())) + "' exited with " + code + ": "
                        + Files.readString(err).strip().replace('\n', ' '));
            }
            String[] f = Files.readAllLines(times).get(Files.readAllLines(times).size() - 1).strip().split(" ");
            return new Cost(seconds, Double.parseDouble(f[0]) + Double.parseDouble(f[1]), Long.parseLong(f[2]));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchException("interrupted");
        } finally {
            Files.deleteIfExists(times);
            Files.deleteIfExists(err);
        }
    }
}
