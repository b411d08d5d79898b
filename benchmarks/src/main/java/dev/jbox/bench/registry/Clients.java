package dev.jbox.bench.registry;

import dev.jbox.bench.BenchException;
import dev.jbox.bench.BenchRoot;
import dev.jbox.bench.JboxCommand;
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
 * every blob's digest as it arrives, and both fsync what they write.
 */
final class Clients {
    static final String JBOX = "jbox";
    static final String SKOPEO = "skopeo";
    private static final String TIME = "/usr/bin/time";

    /** One command's cost: wall seconds, CPU seconds (user + system), peak RSS in KiB. */
    record Cost(double seconds, double cpuSeconds, long peakKiB) {
    }

    private final Path work;
    private final Path jboxStore;
    private final Path layout;
    private final JboxCommand jboxPushes;

    Clients(Path work, Path jboxStore, Path layout) {
        this.work = work;
        this.jboxStore = jboxStore;
        this.layout = layout;
        this.jboxPushes = new JboxCommand(jboxStore);
        if (!Files.isExecutable(Path.of(TIME))) {
            throw new BenchException(TIME + " is missing; install it: apt-get install time");
        }
    }

    Cost push(String client, ServerProcess server, TestImages.Image image) throws IOException {
        String target = server.address() + "/" + image.repository(client) + ":" + TestImages.TAG;
        if (client.equals(JBOX)) {
            return run(jboxPushes.builder(List.of("push", target)));
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
