package dev.jbox.bench.process;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jbox.bench.BenchCli;
import dev.jbox.bench.BenchImage;
import dev.jbox.bench.BenchException;
import dev.jbox.bench.BenchRoot;
import dev.jbox.bench.Commands;
import dev.jbox.bench.JboxCommand;
import dev.jbox.bench.Json;
import dev.jbox.bench.Stats;
import dev.jbox.bench.docker.DockerPeer;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Whole-process start of {@code /bin/true}, as a user at a shell sees it: on the host, in a
 * chroot(8), in a JVM that does nothing, through {@code jbox run --chapter 1} and the chapter-2
 * {@code jbox run --rm}, and through the OCI runtimes crun and runc on the same busybox root
 * file system. The difference between the JVM line and the jbox lines is the engine; the rest
 * is the JVM. Uses hyperfine when it is installed, else a plain loop of ProcessBuilder starts
 * (without crun, which must run in a mount namespace of its own: see {@link OciBundles}).
 */
@Command(name = "benchmarks/run process", mixinStandardHelpOptions = true,
        description = "Whole-process start times of /bin/true: host, chroot, JVM, jbox run (chapters 1 and 2), crun, runc,"
                + " docker run; and Docker's warm path through its daemon's API.")
public final class ProcessTimes implements Callable<Integer> {
    @Option(names = "--runs", defaultValue = "30", description = "Timed runs per command (default: ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--warmup", defaultValue = "3", description = "Untimed runs first (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--out", paramLabel = "FILE", required = true, description = "Where to write the results (JSON).")
    Path out;

    public static void main(String[] args) {
        BenchCli.exit("process", new ProcessTimes(), args);
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        BenchRoot.require();
        Path jar = Path.of("target/jbox.jar");
        if (!Files.isRegularFile(jar)) {
            throw new BenchException("no target/jbox.jar; run from the repository root after mvn package (benchmarks/run does both)");
        }
        // The image is made now, so no timed run pays for creating it.
        try (BenchImage image = BenchImage.create()) {
            Path store = image.storeRoot();
            // Docker's daemon starts before anything is timed and idles in between its rows.
            try (DockerPeer docker = DockerPeer.start(store.resolve("docker"), image.rootfs())) {
                OciBundles oci = new OciBundles(store.resolve("oci"), image.rootfs());
                List<ProcessResults.Command> commands = commands(image.rootfs(), jar);
                commands.addAll(oci.hostCommands());
                commands.addAll(docker.commands());
                List<ProcessResults.Missing> missing = new ArrayList<>(oci.missing());
                missing.addAll(docker.missing());
                boolean hyperfine = Commands.onPath("hyperfine");
                String tool = hyperfine ? Commands.firstLineOr("hyperfine", List.of("hyperfine", "--version"))
                        : "ProcessBuilder loop (hyperfine is not installed: apt-get install -y hyperfine)";
                List<ProcessResults.Command> timed = hyperfine ? hyperfine(List.of(), commands, store) : loop(commands, store);
                if (hyperfine) {
                    timed.addAll(hyperfine(oci.privateMountNamespace(), oci.privateCommands(), store));
                } else {
                    oci.privateCommands().forEach(c -> missing.add(new ProcessResults.Missing(c.name(), c.label(),
                            "it runs in a mount namespace of its own here, which only hyperfine can be started in;"
                                    + " apt-get install -y hyperfine")));
                }
                List<ProcessResults.Command> warm = docker.warm(warmup, runs);
                List<ProcessResults.Command> all = new ArrayList<>(timed);
                all.addAll(warm);
                for (ProcessResults.Command c : all) {
                    Stats s = Stats.of(c.millis());
                    System.err.printf(Locale.ROOT, "process: %-40s median %7.2f ms (IQR %.2f-%.2f), n=%d%n",
                            c.name(), s.median(), s.p25(), s.p75(), s.n());
                }
                missing.forEach(m -> System.err.println("process: " + m.name() + " not measured: " + m.reason()));
                Json.write(out, new ProcessResults(tool, warmup, runs, timed, warm, missing));
                return 0;
            } finally {
                new JboxCommand(store).reset();
            }
        }
    }

    private static List<ProcessResults.Command> commands(Path rootfs, Path jar) {
        // A mutable list: the peers are added after these.
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<ProcessResults.Command> list = new ArrayList<>(List.of(
                command("host", "/bin/true on the host", "/bin/true"),
                command("chroot", "chroot(8) into the busybox image, /bin/true", "chroot " + rootfs + " /bin/true"),
                command("jvm", "a JVM starting jbox's CLI, no container (--version)", java + " -jar " + jar + " --version"),
                command("jbox-jar", "java -jar target/jbox.jar run --chapter 1 busybox true",
                        java + " -jar " + jar + " run --chapter 1 busybox true")));
        if (Files.isExecutable(Path.of("jbox"))) {
            // The launcher starts its JVM with flags of its own: its baseline is its own --version.
            list.add(command("jbox-version", "./jbox --version: the launcher, its JVM and the CLI, no container",
                    "./jbox --version"));
            list.add(command("jbox", "./jbox run --chapter 1 busybox true (the launcher users run)",
                    "./jbox run --chapter 1 busybox true"));
            list.add(command("jbox2", "./jbox run --chapter 2 --rm busybox true (chapter 2 as users run it: all namespaces,"
                    + " the container's record, the default bridge network)", "./jbox run --chapter 2 --rm busybox true"));
            list.add(command("jbox2-nonet", "./jbox run --chapter 2 --rm --network none busybox true (the same with"
                    + " loopback only)", "./jbox run --chapter 2 --rm --network none busybox true"));
            list.add(command("jbox3-nonet", "./jbox run --rm --network none busybox true (chapter 3, the default: the"
                    + " same and a cgroup)", "./jbox run --rm --network none busybox true"));
        }
        return list;
    }

    static ProcessResults.Command command(String name, String label, String commandLine) {
        return new ProcessResults.Command(name, label, commandLine, List.of());
    }

    /** Times {@code commands} with hyperfine, itself started through {@code wrapper} (empty: directly). */
    private List<ProcessResults.Command> hyperfine(List<String> wrapper, List<ProcessResults.Command> commands, Path store)
            throws IOException, InterruptedException {
        if (commands.isEmpty()) {
            return new ArrayList<>();
        }
        Path json = Files.createTempFile("jbox-bench-hyperfine-", ".json");
        try {
            // -N: no shell in between, so the shell's own start is not counted.
            List<String> cmd = new ArrayList<>(wrapper);
            cmd.addAll(List.of("hyperfine", "-N", "--style", "basic", "--warmup",
                    Integer.toString(warmup), "--runs", Integer.toString(runs), "--export-json", json.toString()));
            for (ProcessResults.Command c : commands) {
                cmd.addAll(List.of("--command-name", c.name(), c.command()));
            }
            ProcessBuilder pb = new ProcessBuilder(cmd).inheritIO();
            new JboxCommand(store).environment(pb);
            int code = pb.start().waitFor();
            if (code != 0) {
                throw new BenchException(String.join(" ", wrapper.isEmpty() ? List.of("hyperfine") : wrapper)
                        + " exited with " + code + " (a command failed? see above)");
            }
            JsonNode results = Json.mapper().readTree(json.toFile()).get("results");
            List<ProcessResults.Command> timed = new ArrayList<>();
            for (int i = 0; i < commands.size(); i++) {
                List<Double> millis = new ArrayList<>();
                results.get(i).get("times").forEach(t -> millis.add(t.asDouble() * 1000));
                timed.add(withTimes(commands.get(i), millis));
            }
            return timed;
        } finally {
            Files.deleteIfExists(json);
        }
    }

    private List<ProcessResults.Command> loop(List<ProcessResults.Command> commands, Path store)
            throws IOException, InterruptedException {
        List<ProcessResults.Command> timed = new ArrayList<>();
        for (ProcessResults.Command c : commands) {
            ProcessBuilder pb = new ProcessBuilder(c.command().split(" "))
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.INHERIT);
            new JboxCommand(store).environment(pb);
            List<Double> millis = new ArrayList<>();
            for (int i = 0; i < warmup + runs; i++) {
                long start = System.nanoTime();
                int code = pb.start().waitFor();
                double elapsed = (System.nanoTime() - start) / 1e6;
                if (code != 0) {
                    throw new BenchException("'" + c.command() + "' exited with " + code);
                }
                if (i >= warmup) {
                    millis.add(elapsed);
                }
            }
            timed.add(withTimes(c, millis));
        }
        return timed;
    }

    private static ProcessResults.Command withTimes(ProcessResults.Command c, List<Double> millis) {
        return new ProcessResults.Command(c.name(), c.label(), c.command(), millis);
    }
}
