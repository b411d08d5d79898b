package dev.jbox.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * {@code ./jbox} as the benchmarks run it: its state in their temporary store ({@code JBOX_ROOT}),
 * and its host-wide names (bridge, veth, iptables chains) and default subnet of their own, so a
 * reader's jbox network is never touched; {@link #reset()} removes them all afterwards.
 */
public final class JboxCommand {
    public static final String NETWORK_PREFIX = "jboxbnch";
    /** Not jbox's default 10.77.0.0/16, which a reader's own jbox0 may be using. */
    public static final String SUBNET = "10.76.0.0/16";
    private final Path store;

    public JboxCommand(Path store) {
        this.store = store;
    }

    public static boolean available() {
        return Files.isExecutable(Path.of("jbox"));
    }

    /** A process builder for {@code ./jbox ARGS...} in the benchmarks' store and network names. */
    public ProcessBuilder builder(List<String> args) {
        ProcessBuilder pb = new ProcessBuilder(new java.util.ArrayList<>(List.of("./jbox")));
        pb.command().addAll(args);
        environment(pb);
        return pb;
    }

    /** Runs {@code ./jbox ARGS...} and returns its standard output; fails with its error output. */
    public String output(List<String> args) {
        ProcessBuilder pb = builder(args);
        return Commands.output(pb.environment(), pb.command());
    }

    public void environment(ProcessBuilder pb) {
        pb.environment().put("JBOX_ROOT", store.toString());
        pb.environment().put("JBOX_NETWORK_PREFIX", NETWORK_PREFIX);
        pb.environment().put("JBOX_SUBNET", SUBNET);
    }

    /** Removes every container and the network the benchmark's jbox commands made, and puts ip_forward back. */
    public void reset() throws IOException, InterruptedException {
        if (!available()) {
            return;
        }
        ProcessBuilder pb = builder(List.of("system", "reset")).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        int code = pb.start().waitFor();
        if (code != 0) {
            throw new BenchException("JBOX_NETWORK_PREFIX=" + NETWORK_PREFIX + " JBOX_ROOT=" + store
                    + " ./jbox system reset exited with " + code + "; remove the " + NETWORK_PREFIX + "0 bridge and the "
                    + NETWORK_PREFIX.toUpperCase(Locale.ROOT) + " iptables chains by hand");
        }
    }
}
