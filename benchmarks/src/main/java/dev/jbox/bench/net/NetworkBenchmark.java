package dev.jbox.bench.net;

import dev.jbox.bench.BenchRoot;
import dev.jbox.kernel.Kernel;
import dev.jbox.kernel.NetlinkRoute;
import dev.jbox.network.Ipv4Subnet;
import dev.jbox.network.Netns;
import dev.jbox.network.NetworkDefinition;
import dev.jbox.network.Network;
import dev.jbox.network.PortMapping;
import dev.jbox.network.Veth;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What each step of plugging a container into a network costs from a warm engine: the part of
 * {@code jbox run} that {@code --network none} leaves out. A network namespace of the benchmark's
 * own plays the host (the bridge, the host ends of the veth pairs, the NAT rules), so the
 * machine's own interfaces and iptables are never touched; the kernel's work is the same.
 *
 * <p>Only the step is timed. What it made is checked ({@code eth0} must exist in the container's
 * namespace, so a fast failure cannot pass as a fast success) and undone after each invocation,
 * untimed.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1, time = 1)
// 2 s: the untimed check and undo after each step (a veth's deletion waits for RCU) take longer than the step.
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class NetworkBenchmark {
    private static final String CONTAINER_ID = "bench";
    private static final String VETH = "jbxbench";
    private static final String ETH0 = "eth0";

    /**
     * The stand-in host and two networks on it: one plain bridge, one with NAT (iptables) as jbox's
     * default has. Benchmark scope: one instance, also where {@link Attached} asks for it (JMH gives
     * each injection of a thread-scoped state an instance of its own).
     */
    @State(Scope.Benchmark)
    public static class Host {
        Netns netns;
        NetlinkRoute netlink;
        Path state;
        Network plain;
        Network nat;

        @Setup(Level.Trial)
        public void open() throws IOException {
            BenchRoot.require();
            Kernel.warmUp();
            netns = Netns.create();
            netlink = netns.netlink();
            state = BenchRoot.temporaryStore();
            // Inside the stand-in host, so no route of the machine's can clash with these subnets.
            plain = Network.open(state.resolve("plain"), new NetworkDefinition("plain", "jbxbench0",
                    Ipv4Subnet.parse("10.76.0.0/24"), "jbxb", "JBXBENCH", false), netns);
            nat = Network.open(state.resolve("nat"), new NetworkDefinition("nat", "jbxbench1",
                    Ipv4Subnet.parse("10.76.1.0/24"), "jbxn", "JBXBENCHNAT", true), netns);
        }

        @TearDown(Level.Trial)
        public void close() {
            try {
                plain.detach(CONTAINER_ID);
                nat.detach(CONTAINER_ID);
                plain.remove();
                nat.remove();
            } finally {
                netlink.close();
                netns.close();
                BenchRoot.delete(state);
            }
        }
    }

    /**
     * A container's network namespace, new for each invocation (untimed), and what the timed step
     * leaves to check and undo afterwards (untimed too), before the namespace is closed.
     */
    @State(Scope.Thread)
    public static class Container {
        Netns netns;
        private final Deque<Runnable> undo = new ArrayDeque<>();

        @Setup(Level.Invocation)
        public void create() {
            netns = Netns.create();
        }

        void afterwards(Runnable step) {
            undo.push(step);
        }

        void checkEth0() {
            try (NetlinkRoute inside = NetlinkRoute.openInNetns(netns.fd())) {
                if (inside.link(ETH0).isEmpty()) {
                    throw new IllegalStateException("no " + ETH0 + " in the container's namespace: the step failed");
                }
            }
        }

        @TearDown(Level.Invocation)
        public void close() {
            try {
                while (!undo.isEmpty()) {
                    undo.pop().run();
                }
            } finally {
                undo.clear();
                netns.close();
            }
        }
    }

    /** A container already attached to the plain network, for timing the detach. */
    @State(Scope.Thread)
    public static class Attached {
        Netns netns;
        private Network network;

        @Setup(Level.Invocation)
        public void attach(Host host) {
            network = host.plain;
            netns = Netns.create();
            network.attach(CONTAINER_ID, netns, List.of());
        }

        @TearDown(Level.Invocation)
        public void close() {
            try (NetlinkRoute inside = NetlinkRoute.openInNetns(netns.fd())) {
                if (inside.link(ETH0).isPresent()) {
                    throw new IllegalStateException("detach left " + ETH0 + " in the container's namespace");
                }
            } finally {
                network.detach(CONTAINER_ID);
                netns.close();
            }
        }
    }

    /** Namespaces this benchmark made, closed after each invocation. */
    @State(Scope.Thread)
    public static class Made {
        private final Deque<AutoCloseable> made = new ArrayDeque<>();

        @TearDown(Level.Invocation)
        public void close() throws Exception {
            while (!made.isEmpty()) {
                made.pop().close();
            }
        }
    }

    /** unshare(CLONE_NEWNET) on a new thread and a descriptor that holds the namespace. */
    @Benchmark
    public int netnsCreate(Made made) {
        Netns netns = Netns.create();
        made.made.push(netns);
        return netns.fd();
    }

    /** A netlink socket inside a namespace: a thread that joins it (setns) and opens the socket there. */
    @Benchmark
    public void netlinkInNetns(Container container) {
        NetlinkRoute inside = NetlinkRoute.openInNetns(container.netns.fd());
        container.afterwards(inside::close);
    }

    /** A veth pair whose peer is born in the container's namespace as eth0: one netlink request. */
    @Benchmark
    public void vethPeerInNetns(Host host, Container container) {
        Veth.create(host.netlink, VETH, container.netns, ETH0);
        container.afterwards(() -> {
            container.checkEth0();
            Veth.delete(host.netlink, VETH);
        });
    }

    /** The same made the usual way: a pair on the host, then the peer moved and renamed (three requests, two sockets). */
    @Benchmark
    public void vethMoveRename(Host host, Container container) {
        Veth.createMoveRename(host.netlink, VETH, container.netns, ETH0);
        container.afterwards(() -> {
            container.checkEth0();
            Veth.delete(host.netlink, VETH);
        });
    }

    /** jbox's attach on a network without NAT: an address, the veth pair on the bridge, eth0, lo and the route inside. */
    @Benchmark
    public void attach(Host host, Container container) {
        host.plain.attach(CONTAINER_ID, container.netns, List.of());
        container.afterwards(() -> {
            container.checkEth0();
            host.plain.detach(CONTAINER_ID);
        });
    }

    /** jbox's detach without NAT: the veth pair deleted, the address released. */
    @Benchmark
    public void detach(Host host, Attached attached) {
        host.plain.detach(CONTAINER_ID);
    }

    /** jbox's attach with NAT and one published port, as {@code jbox run -p 8080:80}: iptables-save and -restore as well. */
    @Benchmark
    public void attachPublished(Host host, Container container) {
        host.nat.attach(CONTAINER_ID, container.netns, List.of(PortMapping.parse("8080:80")));
        container.afterwards(() -> {
            container.checkEth0();
            host.nat.detach(CONTAINER_ID);
        });
    }
}
