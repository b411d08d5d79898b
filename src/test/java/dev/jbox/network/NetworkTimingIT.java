package dev.jbox.network;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jbox.kernel.Kernel;
import dev.jbox.kernel.NetlinkRoute;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * What each networking step costs, warm JVM, medians of {@link #RUNS} after {@link #WARMUP}
 * discarded runs; written to {@code target/network-timings.txt}. Every sample is also checked
 * for its result (eth0 present inside), so a fast failure cannot pass as a fast success.
 */
@ExtendWith(HostLeakCheck.class)
class NetworkTimingIT {
    private static final int WARMUP = 5;
    private static final int RUNS = 30;

    @TempDir
    Path state;

    private final String tag = NetTestSupport.uniqueName();
    private final Map<String, double[]> results = new LinkedHashMap<>();

    @BeforeAll
    static void warmUp() throws Exception {
        Kernel.warmUp();
        new ProcessBuilder("true").start().waitFor();
    }

    @Test
    void measureVethAndAttach() throws Exception {
        try (NetlinkRoute host = NetlinkRoute.open()) {
            time("netns create (unshare on a new thread + open fd)", () -> Netns.create()::close);
            try (Netns c = Netns.create()) {
                time("netlink socket opened inside a netns (thread + setns + socket)",
                        () -> NetlinkRoute.openInNetns(c.fd())::close);
                time("veth pair, peer born in the netns as eth0 (1 request)", () -> {
                    Veth.create(host, tag + "v", c, "eth0");
                    return () -> {
                        assertEth0(c);
                        Veth.delete(host, tag + "v");
                    };
                });
                time("veth pair, then move + rename (3 requests, 2 sockets)", () -> {
                    Veth.createMoveRename(host, tag + "v", c, "eth0");
                    return () -> {
                        assertEth0(c);
                        Veth.delete(host, tag + "v");
                    };
                });
            }
        }

        NetworkDefinition plain = new NetworkDefinition(tag, tag + "br", NetTestSupport.freeSubnet(), tag, tag.toUpperCase(), false);
        try (Netns engine = Netns.engine()) {
            Network network = Network.open(state.resolve("plain"), plain, engine);
            try {
                time("attach, no NAT, bridge exists (address, veth, master, up, eth0/lo/route inside)", () -> {
                    Netns c = Netns.create();
                    network.attach("t", c, List.of());
                    return () -> {
                        assertEth0(c);
                        network.detach("t");
                        c.close();
                    };
                });
                double[] detach = new double[RUNS];
                for (int i = 0; i < WARMUP + RUNS; i++) {
                    try (Netns c = Netns.create()) {
                        network.attach("t", c, List.of());
                        long start = System.nanoTime();
                        network.detach("t");
                        if (i >= WARMUP) {
                            detach[i - WARMUP] = (System.nanoTime() - start) / 1e6;
                        }
                    }
                }
                Arrays.sort(detach);
                results.put("detach, no NAT (delete veth, release address)", detach);
            } finally {
                network.detach("t");
                network.remove();
            }
        }

        NetworkDefinition nat = new NetworkDefinition(tag, tag + "br", Ipv4Subnet.parse("10.77.0.0/16"), tag, "JBOX", true);
        try (Netns sandbox = Netns.create()) {
            Network network = Network.open(state.resolve("nat"), nat, sandbox);
            try {
                time("attach with NAT and one published port (iptables-save + restore through nsenter)", () -> {
                    Netns c = Netns.create();
                    network.attach("t", c, List.of(PortMapping.parse("8080:80")));
                    return () -> {
                        assertEth0(c);
                        network.detach("t");
                        c.close();
                    };
                });
            } finally {
                network.detach("t");
                network.remove();
            }
        }

        StringBuilder report = new StringBuilder("# networking step timings, ms: median (min, p90), n=" + RUNS + "\n");
        results.forEach((name, ms) -> report.append(String.format("%-90s %7.2f (%6.2f, %6.2f)%n", name,
                percentile(ms, 50), ms[0], percentile(ms, 90))));
        System.out.print(report);
        Files.writeString(Path.of("target", "network-timings.txt"), report);
        assertThat(results).hasSize(7);
    }

    private static void assertEth0(Netns c) {
        try (NetlinkRoute inside = NetlinkRoute.openInNetns(c.fd())) {
            assertThat(inside.link("eth0")).isPresent();
        }
    }

    /** One sample's work; returns what to undo afterwards, untimed (or null). */
    interface Step {
        Runnable run() throws Exception;
    }

    private void time(String name, Step step) throws Exception {
        double[] ms = new double[RUNS];
        for (int i = 0; i < WARMUP + RUNS; i++) {
            long start = System.nanoTime();
            Runnable cleanup = step.run();
            long elapsed = System.nanoTime() - start;
            if (cleanup != null) {
                cleanup.run();
            }
            if (i >= WARMUP) {
                ms[i - WARMUP] = elapsed / 1e6;
            }
        }
        Arrays.sort(ms);
        results.put(name, ms);
    }

    private static double percentile(double[] sorted, int p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.round(p / 100.0 * (sorted.length - 1)))];
    }
}
