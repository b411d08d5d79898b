package dev.jbox.bench.net;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jbox.bench.BenchCli;
import dev.jbox.bench.BenchException;
import dev.jbox.bench.BenchImage;
import dev.jbox.bench.BenchRoot;
import dev.jbox.bench.Commands;
import dev.jbox.bench.JboxCommand;
import dev.jbox.bench.Json;
import dev.jbox.bench.StaticProgram;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * TCP throughput and round-trip latency over the paths a container's traffic takes, against the
 * host's loopback, with one static C program (jbox-bench-net) as client and server everywhere.
 * Only loopback and the benchmarks' own jbox bridge carry traffic: the servers listen on
 * 127.0.0.1, on the bridge's address and in containers, and the one published port is bound to
 * 127.0.0.1. Everything the run makes goes with {@code jbox system reset} at the end.
 */
@Command(name = "benchmarks/run net", mixinStandardHelpOptions = true,
        description = "TCP throughput and round-trip latency: host loopback, container to host over the bridge,"
                + " through a published port, container to container.")
public final class NetPerf implements Callable<Integer> {
    static final String PROGRAM = "jbox-bench-net";
    private static final String IN_CONTAINER = "/" + PROGRAM;
    private static final String SERVER_CONTAINER = "jbox-bench-net-server";
    private static final int CONTAINER_PORT = 5201;
    private static final String PREFIX = PROGRAM + " ";

    @Option(names = "--rounds", defaultValue = "5", description = "Client runs per path, the paths interleaved (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--seconds", defaultValue = "2", description = "Length of each bulk send and of each request/response loop (default: ${DEFAULT-VALUE}).")
    double seconds;

    @Option(names = "--port", defaultValue = "47201", description = "First of three host ports: loopback server, bridge server, published port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--out", paramLabel = "FILE", required = true, description = "Where to write the results (JSON).")
    Path out;

    private final List<Process> servers = new ArrayList<>();

    public static void main(String[] args) {
        BenchCli.exit("net", new NetPerf(), args);
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        BenchRoot.require();
        if (!JboxCommand.available()) {
            throw new BenchException("no ./jbox; run from the repository root (benchmarks/run does)");
        }
        try (BenchImage image = BenchImage.create()) {
            JboxCommand jbox = new JboxCommand(image.storeRoot());
            try {
                Path program = StaticProgram.build(PROGRAM, image.directory("bin"));
                Files.copy(program, image.rootfs().resolve(IN_CONTAINER.substring(1)), StandardCopyOption.COPY_ATTRIBUTES);
                Json.write(out, measure(jbox, program));
                return 0;
            } finally {
                servers.forEach(Process::destroyForcibly);
                for (Process p : servers) {
                    p.waitFor();
                }
                jbox.reset();
            }
        }
    }

    private NetResults measure(JboxCommand jbox, Path program) throws IOException, InterruptedException {
        int hostPort = port + 2;
        // The server container first: its start creates the bridge, whose address the host's second server needs.
        jbox.output(List.of("run", "-d", "--name", SERVER_CONTAINER, "-p", "127.0.0.1:" + hostPort + ":" + CONTAINER_PORT,
                "busybox", IN_CONTAINER, "server", "0.0.0.0", Integer.toString(CONTAINER_PORT)));
        JsonNode endpoint = Json.mapper().readTree(jbox.output(List.of("inspect", SERVER_CONTAINER)))
                .get(0).at("/NetworkSettings/Networks/bridge");
        String containerIp = endpoint.get("IPAddress").asText();
        String gateway = endpoint.get("Gateway").asText();
        if (containerIp.isEmpty() || gateway.isEmpty()) {
            throw new BenchException("jbox inspect " + SERVER_CONTAINER + " shows no address on the bridge network: " + endpoint);
        }
        startServer(program, "127.0.0.1", port);
        startServer(program, gateway, port + 1);
        awaitListening(containerIp, CONTAINER_PORT);

        String secs = String.format(Locale.ROOT, "%.3f", seconds);
        Map<String, String> labels = new LinkedHashMap<>();
        Map<String, List<String>> commands = new LinkedHashMap<>();
        labels.put(NetResults.LOOPBACK, "host to host over loopback (127.0.0.1), no container");
        commands.put(NetResults.LOOPBACK, List.of(program.toString(), "client", "127.0.0.1", Integer.toString(port), secs));
        labels.put("container-host", "container to host: the container's eth0, the veth pair, the bridge, to the"
                + " bridge's address " + gateway);
        commands.put("container-host", jboxClient(gateway, port + 1, secs));
        labels.put("published", "host to a published port: 127.0.0.1:" + hostPort + ", DNAT (iptables) to the container's"
                + " port " + CONTAINER_PORT + " over the bridge and veth");
        commands.put("published", List.of(program.toString(), "client", "127.0.0.1", Integer.toString(hostPort), secs));
        labels.put("container-container", "container to container on one bridge: veth, bridge, veth");
        commands.put("container-container", jboxClient(containerIp, CONTAINER_PORT, secs));

        Map<String, List<NetResults.Round>> measured = new LinkedHashMap<>();
        commands.keySet().forEach(k -> measured.put(k, new ArrayList<>()));
        for (int round = 1; round <= rounds; round++) {
            // Interleaved, so a change in the machine's load hits every path alike.
            for (Map.Entry<String, List<String>> c : commands.entrySet()) {
                ProcessBuilder pb = new ProcessBuilder(c.getValue());
                jbox.environment(pb);
                NetResults.Round r = parse(c.getKey(), Commands.output(pb.environment(), pb.command()));
                measured.get(c.getKey()).add(r);
                System.err.printf(Locale.ROOT, "net: %d/%d %-20s %8.1f MiB/s  %7.1f us round trip%n",
                        round, rounds, c.getKey(), r.mibPerSecond(), r.rttMicros());
            }
        }
        List<NetResults.PathResult> paths = new ArrayList<>();
        measured.forEach((name, rs) -> paths.add(new NetResults.PathResult(name, labels.get(name), rs)));
        return new NetResults(seconds, rounds, paths);
    }

    /** The client in a fresh container on the default bridge network, as `jbox run` gives it. */
    private static List<String> jboxClient(String address, int port, String secs) {
        return List.of("./jbox", "run", "--rm", "busybox", IN_CONTAINER, "client", address, Integer.toString(port), secs);
    }

    private void startServer(Path program, String address, int port) throws IOException, InterruptedException {
        servers.add(new ProcessBuilder(program.toString(), "server", address, Integer.toString(port))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.INHERIT).start());
        awaitListening(address, port);
    }

    /** A connection that sends nothing is one the server drops: it only tells that the server listens. */
    private void awaitListening(String address, int port) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(address, port), 200);
                return;
            } catch (IOException e) {
                for (Process p : servers) {
                    if (!p.isAlive()) {
                        throw new BenchException("a " + PROGRAM + " server exited with " + p.exitValue() + " (see above)");
                    }
                }
                Thread.sleep(50);
            }
        }
        throw new BenchException("no " + PROGRAM + " server listens on " + address + ":" + port + " after 5 s");
    }

    static NetResults.Round parse(String path, String output) {
        long bytes = -1;
        long transactions = -1;
        double streamSeconds = 0;
        double rrSeconds = 0;
        for (String line : output.lines().toList()) {
            String[] w = line.strip().split(" ");
            if (line.startsWith(PREFIX) && w.length == 4 && w[1].equals("stream")) {
                bytes = Long.parseLong(w[2]);
                streamSeconds = Double.parseDouble(w[3]);
            } else if (line.startsWith(PREFIX) && w.length == 4 && w[1].equals("rr")) {
                transactions = Long.parseLong(w[2]);
                rrSeconds = Double.parseDouble(w[3]);
            }
        }
        if (bytes <= 0 || transactions <= 0) {
            throw new BenchException("the " + path + " client printed no results: " + output.strip().replace('\n', ' '));
        }
        return new NetResults.Round(bytes, streamSeconds, transactions, rrSeconds);
    }
}
