package dev.jbox.bench.cgroups;

import dev.jbox.DataRoot;
import dev.jbox.bench.BenchException;
import dev.jbox.bench.BenchImage;
import dev.jbox.cgroups.Machine;
import dev.jbox.cgroups.ResourceFlags;
import dev.jbox.cgroups.Resources;
import dev.jbox.engine.Engine;
import dev.jbox.engine.RunRequest;
import dev.jbox.image.ImageStore;
import dev.jbox.kernel.Kernel;
import dev.jbox.kernel.WaitStatus;
import dev.jbox.lifecycle.ContainerRecord;
import dev.jbox.network.NetworkStore;
import dev.jbox.runtime.Launch;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Containers through jbox's engine, as {@code jbox run} makes them, in the benchmark's own store:
 * the features of the chapter asked for act (records, namespaces, and in chapter 3 the cgroup),
 * with loopback only, so no bridge or iptables rule is made. Their cgroups go under a parent of
 * the benchmark's own, so a reader's jbox containers are never touched.
 */
public final class EngineRuns implements AutoCloseable {
    static final String CGROUP_PARENT = "jbox-bench";

    private final Engine engine;
    private final int devNull;

    public EngineRuns(BenchImage image) {
        this.engine = new Engine(new DataRoot(image.storeRoot()));
        this.devNull = Kernel.open("/dev/null", Kernel.O_RDWR | Kernel.O_CLOEXEC, 0);
    }

    /** The engine itself, for what a benchmark needs beyond a run (its store, its containers). */
    public Engine engine() {
        return engine;
    }

    /** A request for chapter {@code chapter}'s engine, loopback only, removed when it ends; {@code more} adds to it. */
    public RunRequest request(int chapter, List<String> command, UnaryOperator<RunRequest.Builder> more) {
        RunRequest.Builder b = new RunRequest.Builder().chapter(chapter).image(ImageStore.DEFAULT_IMAGE).command(command)
                .network(NetworkStore.NONE).autoRemove(true).stdio(new Launch.Stdio(devNull, devNull, 2));
        if (chapter >= 3) {
            b.cgroupParent(CGROUP_PARENT);
        }
        return more.apply(b).build();
    }

    /** Runs the container to its end; one that fails stops the benchmark instead of being timed. */
    public void run(RunRequest request) {
        WaitStatus status = engine.run(request);
        if (status == null || !status.exited() || status.exitCode() != 0) {
            throw new BenchException("the container " + request.command() + " (chapter " + request.chapter() + ") " + status
                    + "; the benchmark would time a failure");
        }
    }

    /** Starts {@code request} detached, by name, and returns its record. */
    ContainerRecord detach(RunRequest request) {
        engine.run(request);
        return engine.find(request.name());
    }

    /** CPU time the container's cgroup has used, ns. */
    long cpuNanos(ContainerRecord c) {
        return engine.usage(c).cgroup().cpuUsageNanos();
    }

    public void remove(ContainerRecord c) {
        engine.remove(c, true);
    }

    /** Docker's flags as chapter 3 takes them, e.g. {@code f -> f.cpus("0.5")}. */
    static Resources limits(UnaryOperator<ResourceFlags> flags) {
        return flags.apply(new ResourceFlags()).toResources(Machine.current());
    }

    /**
     * Kills and removes every container left in the store (a failure half-way), and their cgroups.
     * Not the engine's reset: that would also remove the default network, which may be the reader's.
     */
    @Override
    public void close() {
        try {
            engine.list().forEach(c -> engine.remove(c, true));
        } finally {
            Kernel.closeQuietly(devNull);
        }
    }
}
