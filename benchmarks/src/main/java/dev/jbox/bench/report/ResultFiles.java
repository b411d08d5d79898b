package dev.jbox.bench.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jbox.bench.BenchException;
import dev.jbox.bench.Json;
import dev.jbox.bench.Stats;
import dev.jbox.bench.process.ProcessResults;
import dev.jbox.bench.vm.BootResult;
import dev.jbox.bench.vm.VmResults;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The three result files of one run, read into rows; a missing file is an empty section, not an error. */
final class ResultFiles {
    static final String JMH = "jmh.json";
    static final String PROCESS = "process.json";
    static final String VM = "vm.json";
    private static final String BENCHMARK_CLASS = "dev.jbox.bench.StartBenchmark.";
    /** The benchmarks in the order that tells the story, from a bare spawn to a container. */
    private static final Map<String, String> ENGINE_LABELS = orderedMap(
            "spawnHostTrue", "posix_spawn of the host's /bin/true (jbox's spawn path, no jail)",
            "processBuilderHostTrue", "ProcessBuilder of the host's /bin/true (the JDK's way)",
            "spawnBusyboxTrue", "posix_spawn of the image's busybox as `true`, no jail",
            "chapter1Jail", "chapter-1 container: thread, unshare(CLONE_FS), chroot, spawn busybox `true`");

    final Path dir;
    final JsonNode jmh;
    final ProcessResults process;
    final VmResults vm;

    ResultFiles(Path dir) {
        this.dir = dir;
        this.jmh = read(dir.resolve(JMH)).orElse(null);
        this.process = Files.exists(dir.resolve(PROCESS)) ? Json.read(dir.resolve(PROCESS), ProcessResults.class) : null;
        this.vm = Files.exists(dir.resolve(VM)) ? Json.read(dir.resolve(VM), VmResults.class) : null;
    }

    private static Optional<JsonNode> read(Path file) {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Json.mapper().readTree(file.toFile()));
        } catch (IOException e) {
            throw new BenchException("cannot read " + file + " (" + e.getMessage() + "); run sudo benchmarks/run again");
        }
    }

    /** JMH's SampleTime histograms of every fork and iteration, merged, so the median is over all samples. */
    List<Row> engine() {
        List<Row> rows = new ArrayList<>();
        if (jmh == null) {
            return rows;
        }
        for (JsonNode benchmark : jmh) {
            String unit = benchmark.at("/primaryMetric/scoreUnit").asText();
            if (!"sample".equals(benchmark.get("mode").asText()) || !"ms/op".equals(unit)) {
                throw new BenchException(JMH + " holds " + benchmark.get("mode").asText() + " in " + unit
                        + "; the report reads SampleTime in ms/op, as StartBenchmark declares: run it without -bm/-tu");
            }
            Map<Double, Long> counts = new TreeMap<>();
            for (JsonNode fork : benchmark.at("/primaryMetric/rawDataHistogram")) {
                for (JsonNode iteration : fork) {
                    for (JsonNode bin : iteration) {
                        counts.merge(bin.get(0).asDouble(), bin.get(1).asLong(), Long::sum);
                    }
                }
            }
            String name = benchmark.get("benchmark").asText().replace(BENCHMARK_CLASS, "");
            rows.add(new Row(Row.Group.ENGINE, name, ENGINE_LABELS.getOrDefault(name, name), Stats.ofCounts(counts)));
        }
        List<String> order = new ArrayList<>(ENGINE_LABELS.keySet());
        rows.sort(java.util.Comparator.comparingInt(r -> order.contains(r.name()) ? order.indexOf(r.name()) : order.size()));
        return rows;
    }

    List<Row> process() {
        List<Row> rows = new ArrayList<>();
        if (process != null) {
            for (ProcessResults.Command c : process.commands()) {
                rows.add(new Row(Row.Group.PROCESS, c.name(), c.label(), Stats.of(c.millis())));
            }
        }
        return rows;
    }

    /** Time until the guest's init said it was up: the VM's "start latency". */
    List<Row> vmUp() {
        return vm(BootResult::upMs, "");
    }

    List<Row> vmExit() {
        return vm(BootResult::exitMs, " (to QEMU's exit)");
    }

    private List<Row> vm(java.util.function.ToDoubleFunction<BootResult> metric, String suffix) {
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
        Map<String, String> map = new java.util.LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    double medianPeakRssMiB(VmResults.Series series) {
        return Stats.of(series.runs().stream().map(BootResult::peakRssMiB).toList()).median();
    }
}
