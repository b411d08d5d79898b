package dev.jbox.bench.registry;

import dev.jbox.bench.BenchCli;
import dev.jbox.bench.BenchException;
import dev.jbox.bench.BenchRoot;
import dev.jbox.bench.Commands;
import dev.jbox.bench.JboxCommand;
import dev.jbox.bench.Json;
import dev.jbox.bench.Stats;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Chapter 5's measurements: jbox's registry server against Distribution, and jbox's client
 * against skopeo, on 127.0.0.1, in one run. Each round starts both servers afresh on empty
 * roots (so no blob is there already and no client can mount one), then, alternating the order
 * round by round: every client pushes each image to every server and pulls it back, curl fetches
 * the big layer, and batches of simultaneous pulls of a small image hit each server.
 */
@Command(name = "benchmarks/run registry", mixinStandardHelpOptions = true,
        description = "Chapter 5: push and pull (jbox and skopeo against jbox's server and Distribution), blob GET throughput,"
                + " concurrent pulls, the servers' memory.")
public final class RegistryBench implements Callable<Integer> {
    private static final long MIB = 1 << 20;

    @Option(names = "--out", paramLabel = "FILE", required = true, description = "Where to write the results (JSON).")
    Path out;

    @Option(names = "--rounds", defaultValue = "5", description = "Rounds, each on freshly started servers (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--quick", description = "One round and one concurrent batch a server: a check that it all runs, not a measurement.")
    boolean quick;

    @Option(names = "--big-mib", defaultValue = "200", description = "The one-layer image's layer, MiB (default: ${DEFAULT-VALUE}).")
    int bigMiB;

    @Option(names = "--layers", defaultValue = "20", description = "Layers of the many-layer image (default: ${DEFAULT-VALUE}).")
    int layers;

    @Option(names = "--layer-mib", defaultValue = "5", description = "Each of its layers, MiB (default: ${DEFAULT-VALUE}).")
    int layerMiB;

    @Option(names = "--clients", defaultValue = "50", description = "Simultaneous pulls in a batch (default: ${DEFAULT-VALUE}).")
    int clients;

    @Option(names = "--batches", defaultValue = "2", description = "Batches of simultaneous pulls per server and round (default: ${DEFAULT-VALUE}).")
    int batches;

    private record Pair(String client, ServerProcess server) {
    }

    private final List<RegistryResults.Transfer> transfers = new ArrayList<>();
    private final List<RegistryResults.Floor> floors = new ArrayList<>();
    private final List<RegistryResults.BlobGet> gets = new ArrayList<>();
    private final List<RegistryResults.Concurrent> concurrent = new ArrayList<>();
    private final List<RegistryResults.Memory> memory = new ArrayList<>();

    public static void main(String[] args) {
        BenchCli.exit("registry", new RegistryBench(), args);
    }

    @Override
    public Integer call() throws IOException {
        BenchRoot.require();
        if (quick) {
            rounds = 1;
            batches = 1;
        }
        if (rounds < 1 || bigMiB < 1 || layers < 1 || layerMiB < 1 || clients < 1 || batches < 1) {
            throw new BenchException("--rounds, --big-mib, --layers, --layer-mib, --clients and --batches must be at least 1");
        }
        for (String tool : List.of("docker-registry", "skopeo", "curl")) {
            if (!Commands.onPath(tool)) {
                throw new BenchException(tool + " is not installed; vm/provision.sh --bench installs it (Debian: docker-registry, skopeo, curl)");
            }
        }
        if (!JboxCommand.available()) {
            throw new BenchException("./jbox is not here; run the benchmarks from the repository's root (benchmarks/run does)");
        }
        String loadAtStart = loadavg();
        System.err.println("registry: load average at the start: " + loadAtStart);
        Path work = BenchRoot.temporaryStore();
        try {
            int[] ports = {freePort(), freePort()};
            String[] servers = {ServerProcess.JBOX, ServerProcess.DISTRIBUTION};
            TestImages images = TestImages.write(work.resolve("layout"), bigMiB * MIB, layers, layerMiB * MIB, 256 * 1024);
            Path jboxStore = work.resolve("jbox-client");
            images.importInto(jboxStore, Clients.JBOX, List.of("127.0.0.1:" + ports[0], "127.0.0.1:" + ports[1]));
            Path warmStore = work.resolve("jbox-warm-client");
            images.importInto(warmStore, Clients.WARM, List.of("127.0.0.1:" + ports[0], "127.0.0.1:" + ports[1]));
            Clients clientRuns = new Clients(work, jboxStore, warmStore, images.layout);
            for (int round = 1; round <= rounds; round++) {
                round(round, servers, ports, work, images, clientRuns);
            }
            String loadAtEnd = loadavg();
            System.err.println("registry: load average at the end: " + loadAtEnd);
            RegistryResults.Setup setup = new RegistryResults.Setup(rounds, images.big.bytes(), layers, images.many.bytes(),
                    images.tiny.bytes(), clients, Commands.firstLineOr("docker-registry", List.of("docker-registry", "--version")),
                    Clients.version(Clients.SKOPEO), System.getProperty("java.vm.name") + " " + System.getProperty("java.version"),
                    notes());
            Json.write(out, new RegistryResults(loadAtStart, loadAtEnd, setup, transfers, floors, gets, concurrent, memory));
        } finally {
            BenchRoot.delete(work);
        }
        return 0;
    }

    private void round(int round, String[] servers, int[] ports, Path work, TestImages images, Clients c) throws IOException {
        JboxCommand serverStore = new JboxCommand(work.resolve("jbox-server-store"));
        try (ServerProcess a = ServerProcess.start(servers[round % 2], ports[round % 2], work, serverStore);
             ServerProcess b = ServerProcess.start(servers[(round + 1) % 2], ports[(round + 1) % 2], work, serverStore)) {
            List<ServerProcess> both = List.of(a, b);
            long[] afterStart = {a.memoryKiB("VmRSS"), b.memoryKiB("VmRSS")};
            // Untimed: each client pushes the small image to each server (the concurrent pulls read skopeo's).
            for (ServerProcess s : both) {
                c.push(Clients.JBOX, s, images.tiny);
                c.push(Clients.SKOPEO, s, images.tiny);
                c.push(Clients.WARM, s, images.tiny);
            }
            // The six client-server pairs, client and server changing at each step, the order turned by one each round.
            ServerProcess jbox = a.name.equals(ServerProcess.JBOX) ? a : b, distribution = jbox == a ? b : a;
            List<Pair> pairs = List.of(new Pair(Clients.JBOX, jbox), new Pair(Clients.SKOPEO, distribution),
                    new Pair(Clients.WARM, jbox), new Pair(Clients.JBOX, distribution), new Pair(Clients.SKOPEO, jbox),
                    new Pair(Clients.WARM, distribution));
            for (String op : List.of("push", "pull")) {
                for (TestImages.Image image : List.of(images.big, images.many)) {
                    for (int k = 0; k < pairs.size(); k++) {
                        Pair pair = pairs.get((k + round) % pairs.size());
                        transfer(op, image, pair.client(), pair.server(), round, c);
                    }
                }
            }
            for (int k = 0; k < 2; k++) {
                for (ServerProcess s : both) {
                    blobGet(s, images.big, round);
                }
                for (String client : List.of(Clients.JBOX, Clients.SKOPEO)) {
                    RegistryResults.Floor f = floor(c, client, round);
                    floors.add(f);
                }
            }
            for (int k = 0; k < batches; k++) {
                for (ServerProcess s : both) {
                    double load = load1();
                    List<Double> ms = ConcurrentPulls.batch(s, images.tiny, images.tiny.repository(Clients.SKOPEO), clients);
                    concurrent.add(new RegistryResults.Concurrent(s.name, round, ms, load));
                    System.err.printf(Locale.ROOT, "registry: round %d, %d pulls at once from %s: p50 %.1f ms (load %.2f)%n", round,
                            clients, s.name, Stats.of(ms).median(), load);
                }
            }
            for (int k = 0; k < 2; k++) {
                ServerProcess s = both.get(k);
                memory.add(new RegistryResults.Memory(s.name, round, afterStart[k], s.memoryKiB("VmRSS")));
            }
        }
    }

    private void transfer(String op, TestImages.Image image, String client, ServerProcess server, int round, Clients c)
            throws IOException {
        double load = load1();
        server.resetPeak();
        double cpu = server.cpuSeconds();
        Clients.Cost cost = op.equals("push") ? c.push(client, server, image) : c.pull(client, server, image);
        RegistryResults.Transfer t = new RegistryResults.Transfer(op, image.name(), client, server.name, round, cost.seconds(),
                cost.cpuSeconds(), cost.peakKiB(), server.cpuSeconds() - cpu, server.memoryKiB("VmHWM"), server.memoryKiB("VmRSS"), load);
        transfers.add(t);
        System.err.printf(Locale.ROOT, "registry: round %d, %s %s, %s client -> %s server: %.2f s (client CPU %.2f s, server CPU"
                + " %.2f s, server peak %d MiB; load %.2f)%n", round, op, image.name(), client, server.name, t.seconds(), t.cpuSeconds(),
                t.serverCpuSeconds(), t.serverPeakKiB() / 1024, load);
    }

    private void blobGet(ServerProcess s, TestImages.Image image, int round) {
        double load = load1();
        double cpu = s.cpuSeconds();
        String url = s.url("/v2/" + image.repository(Clients.SKOPEO) + "/blobs/" + image.layerDigests().get(0));
        String[] w = Commands.output(List.of("curl", "-sSf", "-o", "/dev/null", "-w", "%{time_total} %{size_download}", url)).strip().split(" ");
        long bytes = Long.parseLong(w[1]);
        if (bytes != image.bytes()) {
            throw new BenchException("curl got " + bytes + " bytes of the big layer from the " + s.name + " registry, not " + image.bytes());
        }
        double seconds = Double.parseDouble(w[0]);
        gets.add(new RegistryResults.BlobGet(s.name, round, bytes, seconds, s.cpuSeconds() - cpu, load));
        System.err.printf(Locale.ROOT, "registry: round %d, curl GET of %d MiB from %s: %.0f MB/s (load %.2f)%n", round, bytes / MIB,
                s.name, bytes / 1e6 / seconds, load);
    }

    private static RegistryResults.Floor floor(Clients c, String client, int round) throws IOException {
        double load = load1();
        Clients.Cost cost = c.floor(client);
        return new RegistryResults.Floor(client, round, cost.seconds(), cost.cpuSeconds(), load);
    }

    private static List<String> notes() {
        return List.of(
                "Both servers listen on 127.0.0.1 and keep their blobs on the same file system; each round starts them afresh on"
                        + " empty roots, so every push moves every byte (no blob is there to skip or mount).",
                "jbox's server is `./jbox registry serve` (the launcher: Serial GC, full JIT for registry commands); Distribution is"
                        + " Debian's docker-registry with Debian's config.yml (info logging, in-memory blob descriptor cache), without"
                        + " its htpasswd login, as jbox's runs without one.",
                "Push and pull are whole processes: `./jbox push|pull` (the launcher, a JVM) and `skopeo copy` (oci: layout to"
                        + " docker:// and back), each pushing to and pulling from its own repositories.",
                "The layers are tars of random bytes, gzip-wrapped at level 0, so neither client recompresses them; both clients"
                        + " and both servers hash every blob and fsync it before naming it.");
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static String loadavg() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (IOException e) {
            throw new BenchException("cannot read /proc/loadavg: " + e.getMessage());
        }
    }

    private static double load1() {
        return Double.parseDouble(loadavg().split(" ")[0]);
    }
}
