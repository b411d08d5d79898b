package dev.jbox.bench.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jbox.bench.BenchException;
import dev.jbox.bench.Json;
import dev.jbox.bench.NamespaceResults;
import dev.jbox.bench.NamespaceRounds;
import dev.jbox.bench.cgroups.CgroupResults;
import dev.jbox.bench.layers.LayersResults;
import dev.jbox.bench.registry.RegistryResults;
import dev.jbox.bench.Stats;
import dev.jbox.bench.memory.MemoryResults;
import dev.jbox.bench.net.NetResults;
import dev.jbox.bench.overhead.OverheadResults;
import dev.jbox.bench.process.ProcessResults;
import dev.jbox.bench.vm.VmResults;
import dev.jbox.vm.BootResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;

/** The result files of one run, read into rows; a missing file is an empty section, not an error. */
final class ResultFiles {
    static final String JMH = "jmh.json";
    static final String NAMESPACES = "namespaces.json";
    static final String PROCESS = "process.json";
    static final String VM = "vm.json";
    static final String MEMORY = "memory.json";
    static final String OVERHEAD = "overhead.json";
    static final String NET = "net.json";
    static final String CGROUPS = "cgroups.json";
    static final String LAYERS = "layers.json";
    static final String REGISTRY = "registry.json";
    private static final String START_BENCHMARK = "dev.jbox.bench.StartBenchmark.";
    /** The benchmarks in the order that tells the story, from a bare spawn to a container. */
    private static final Map<String, String> ENGINE_LABELS = orderedMap(
            "spawnHostTrue", "posix_spawn of the host's /bin/true (jbox's spawn path, no jail)",
            "processBuilderHostTrue", "ProcessBuilder of the host's /bin/true (the JDK's way)",
            "spawnBusyboxTrue", "posix_spawn of the image's busybox as `true`, no jail",
            "chapter1Jail", "chapter-1 container: thread, unshare(CLONE_FS), chroot, spawn busybox `true`");
    private static final String NETWORK_BENCHMARK = "dev.jbox.bench.net.NetworkBenchmark.";
    /** The steps of attaching a container, from the kernel's pieces to jbox's whole attach. */
    private static final Map<String, String> NETWORK_LABELS = orderedMap(
            "netnsCreate", "a network namespace: unshare(CLONE_NEWNET) on a new thread, a descriptor to hold it",
            "netlinkInNetns", "a netlink socket inside a namespace: a thread that joins it (setns) and opens the socket",
            "vethPeerInNetns", "a veth pair whose peer is born in the namespace as eth0: one netlink request (jbox's way)",
            "vethMoveRename", "the same the usual way: a pair on the host, then the peer moved and renamed (three requests)",
            "attach", "jbox's attach without NAT: address, veth pair on the bridge, eth0, lo and the route inside",
            "detach", "jbox's detach: the veth pair deleted, the address released",
            "attachPublished", "jbox's attach with NAT and one published port (`-p 8080:80`): iptables-save and -restore too");
    /** NamespaceBenchmark's parameter values, in the order of the report. */
    private static final Map<String, String> NAMESPACE_LABELS = orderedMap(
            "none", "mount namespace only: private mounts, root bind, /dev, /sys, pivot_root, jbox-init (shim and pid 1)",
            "pid", "and a PID namespace (jbox-init's clone; pid 1 mounts /proc)",
            "uts", "and a UTS namespace (and sethostname)",
            "ipc", "and an IPC namespace",
            "net", "and a network namespace (and its loopback brought up)",
            "cgroup", "and a cgroup namespace",
            "all", "all: mount, PID, UTS, IPC, network and cgroup namespaces (the default)");

    final Path dir;
    final JsonNode jmh;
    final NamespaceResults namespaces;
    final ProcessResults process;
    final VmResults vm;
    final MemoryResults memory;
    final OverheadResults overhead;
    final NetResults net;
    final CgroupResults cgroups;
    final LayersResults layers;
    final RegistryResults registry;

    ResultFiles(Path dir) {
        this.dir = dir;
        this.jmh = readTree(dir.resolve(JMH)).orElse(null);
        this.namespaces = read(dir.resolve(NAMESPACES), NamespaceResults.class);
        this.process = read(dir.resolve(PROCESS), ProcessResults.class);
        this.vm = read(dir.resolve(VM), VmResults.class);
        this.memory = read(dir.resolve(MEMORY), MemoryResults.class);
        this.overhead = read(dir.resolve(OVERHEAD), OverheadResults.class);
        this.net = read(dir.resolve(NET), NetResults.class);
        this.cgroups = read(dir.resolve(CGROUPS), CgroupResults.class);
        this.layers = read(dir.resolve(LAYERS), LayersResults.class);
        this.registry = read(dir.resolve(REGISTRY), RegistryResults.class);
    }

    boolean isEmpty() {
        return jmh == null && namespaces == null && process == null && vm == null && memory == null && overhead == null && net == null
                && cgroups == null && layers == null && registry == null;
    }

    private static <T> T read(Path file, Class<T> type) {
        return Files.exists(file) ? Json.read(file, type) : null;
    }

    private static Optional<JsonNode> readTree(Path file) {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Json.mapper().readTree(file.toFile()));
        } catch (IOException e) {
            throw new BenchException("cannot read " + file + " (" + e.getMessage() + "); run sudo benchmarks/run again");
        }
    }

    /** Chapter 1's warm-engine benchmarks ({@code StartBenchmark}). */
    List<Row> engine() {
        return jmhRows(START_BENCHMARK, Row.Group.ENGINE, ENGINE_LABELS, b -> b.get("benchmark").asText().replace(START_BENCHMARK, ""));
    }

    /** Chapter 2's warm-engine starts ({@code NamespaceBenchmark}), one row per set of namespaces, all rounds pooled. */
    List<Row> chapter2() {
        List<Row> rows = new ArrayList<>();
        if (namespaces == null) {
            return rows;
        }
        Map<String, Map<Double, Long>> pooled = new LinkedHashMap<>();
        for (NamespaceResults.Fork f : namespaces.forks()) {
            NamespaceRounds.counts(f.histogram()).forEach((ms, n) ->
                    pooled.computeIfAbsent(f.namespaces(), k -> new TreeMap<>()).merge(ms, n, Long::sum));
        }
        pooled.forEach((name, counts) -> rows.add(new Row(Row.Group.CHAPTER2, name, NAMESPACE_LABELS.getOrDefault(name, name),
                Stats.ofCounts(counts))));
        return inOrder(rows, NAMESPACE_LABELS);
    }

    /** The steps of networking a container ({@code NetworkBenchmark}). */
    List<Row> networkSteps() {
        return jmhRows(NETWORK_BENCHMARK, Row.Group.NETWORK, NETWORK_LABELS,
                b -> b.get("benchmark").asText().replace(NETWORK_BENCHMARK, ""));
    }

    /** JMH's SampleTime histograms of every fork and iteration, merged, so the median is over all samples. */
    private List<Row> jmhRows(String prefix, Row.Group group, Map<String, String> labels,
                              java.util.function.Function<JsonNode, String> name) {
        List<Row> rows = new ArrayList<>();
        if (jmh == null) {
            return rows;
        }
        for (JsonNode benchmark : jmh) {
            if (!benchmark.get("benchmark").asText().startsWith(prefix)) {
                continue;
            }
            String unit = benchmark.at("/primaryMetric/scoreUnit").asText();
            if (!"sample".equals(benchmark.get("mode").asText()) || !"ms/op".equals(unit)) {
                throw new BenchException(JMH + " holds " + benchmark.get("mode").asText() + " in " + unit
                        + "; the report reads SampleTime in ms/op, as the benchmarks declare: run them without -bm/-tu");
            }
            Map<Double, Long> counts = new TreeMap<>();
            for (JsonNode fork : benchmark.at("/primaryMetric/rawDataHistogram")) {
                for (JsonNode iteration : fork) {
                    for (JsonNode bin : iteration) {
                        counts.merge(bin.get(0).asDouble(), bin.get(1).asLong(), Long::sum);
                    }
                }
            }
            String n = name.apply(benchmark);
            rows.add(new Row(group, n, labels.getOrDefault(n, n), Stats.ofCounts(counts)));
        }
        return inOrder(rows, labels);
    }

    /** Rows in the order of {@code labels}' keys; others after them. */
    private static List<Row> inOrder(List<Row> rows, Map<String, String> labels) {
        List<String> order = new ArrayList<>(labels.keySet());
        rows.sort(Comparator.comparingInt(r -> order.contains(r.name()) ? order.indexOf(r.name()) : order.size()));
        return rows;
    }

    /** Whole-process times; the OCI runtimes and Docker are peers, not jbox. */
    List<Row> process() {
        List<Row> rows = new ArrayList<>();
        if (process != null) {
            for (ProcessResults.Command c : process.commands()) {
                boolean peer = c.name().startsWith("crun") || c.name().startsWith("runc") || c.name().startsWith("docker");
                rows.add(new Row(peer ? Row.Group.PEER : Row.Group.PROCESS, c.name(), c.label(), Stats.of(c.millis())));
            }
        }
        return rows;
    }

    /** The peers' warm paths: Docker's daemon through its API, timed from the benchmark's warm JVM. */
    List<Row> warmPeers() {
        List<Row> rows = new ArrayList<>();
        if (process != null) {
            process.warm().forEach(c -> rows.add(new Row(Row.Group.WARM_PEER, c.name(), c.label(), Stats.of(c.millis()))));
        }
        return rows;
    }

    /** What could not be measured on this machine, and why. */
    List<ProcessResults.Missing> notMeasured() {
        return process == null ? List.of() : process.notMeasured();
    }

    /** Time until the guest's init said it was up: the VM's "start latency". */
    List<Row> vmUp() {
        return vm(BootResult::upMs, "");
    }

    List<Row> vmExit() {
        return vm(BootResult::exitMs, " (to QEMU's exit)");
    }

    private List<Row> vm(ToDoubleFunction<BootResult> metric, String suffix) {
        List<Row> rows = new ArrayList<>();
        if (vm != null) {
            for (VmResults.Series s : vm.configs()) {
                List<Double> values = s.runs().stream().map(metric::applyAsDouble).toList();
                rows.add(new Row(Row.Group.VM, s.name(), s.label() + ", " + s.accelerator().toUpperCase() + suffix, Stats.of(values)));
            }
        }
        return rows;
    }

    private static Map<String, String> orderedMap(String... keysAndValues) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    double medianPeakRssMiB(VmResults.Series series) {
        return Stats.of(series.runs().stream().map(BootResult::peakRssMiB).toList()).median();
    }

    /** QEMU's PSS when the guest was up, median over the boots; empty for result files from before it was recorded. */
    Optional<Double> medianPssMiB(VmResults.Series series) {
        List<Double> pss = series.runs().stream().map(BootResult::upPssMiB).filter(p -> p != null).toList();
        return pss.isEmpty() ? Optional.empty() : Optional.of(Stats.of(pss).median());
    }
}
