package dev.jbox.bench.report;

import dev.jbox.bench.BenchException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes RESULTS.md, MACHINE.md, the charts and the book's fragments from the result files of
 * one run in a directory. Every number in them comes from those files: nothing is typed by hand.
 */
public final class Report {
    static final String RESULTS = "RESULTS.md";
    static final String CHART = "start-latency.png";
    static final String CHAPTER2_CHART = "chapter2-start.png";
    static final String OVERHEAD_CHART = "overhead.png";
    static final String CHAPTER3_CHART = "chapter3-start.png";
    static final String CHAPTER3_WORK_CHART = "chapter3-workloads.png";
    static final String CHAPTER4_CHART = "chapter4-layers.png";
    static final String CHAPTER5_CHART = "chapter5-registry.png";

    private final ResultFiles files;
    private final Tables tables;
    private final Summary summary;
    private final Chapter3 chapter3;
    private final Chapter4 chapter4;
    private final Chapter5 chapter5;
    private final StringBuilder md = new StringBuilder();

    private Report(ResultFiles files) {
        this.files = files;
        this.tables = new Tables(files);
        this.summary = new Summary(files);
        this.chapter3 = new Chapter3(files);
        this.chapter4 = new Chapter4(files);
        this.chapter5 = new Chapter5(files);
    }

    public static void main(String[] args) {
        try {
            Path dir = Path.of(args.length > 0 ? args[0] : "benchmarks/results");
            ResultFiles files = new ResultFiles(dir);
            if (files.isEmpty()) {
                throw new BenchException("no result files in " + dir + "; run the benchmarks first: sudo benchmarks/run");
            }
            writeCharts(dir, files);
            Files.writeString(dir.resolve(RESULTS), new Report(files).markdown());
            Files.writeString(dir.resolve(MachineInfo.FILE), MachineInfo.markdown(files));
            List<Path> fragments = BookFragments.write(dir, files, new Tables(files), new Summary(files));
            System.err.println("report: wrote " + dir.resolve(RESULTS) + ", " + MachineInfo.FILE + ", the charts and "
                    + fragments.size() + " book fragments");
        } catch (BenchException e) {
            System.err.println("report: " + e.getMessage());
            System.exit(1);
        } catch (IOException e) {
            System.err.println("report: cannot write the report: " + e.getMessage());
            System.exit(1);
        }
    }

    /** Only the charts that have data; the fragments refer only to charts that exist. */
    private static void writeCharts(Path dir, ResultFiles files) throws IOException {
        List<Row> all = startRows(files);
        if (!all.isEmpty()) {
            String accelerator = files.vm == null ? "" : " (VM: " + files.vm.accelerator().toUpperCase() + ")";
            LatencyChart.write(dir.resolve(CHART), "Starting /bin/true: container vs process vs VM" + accelerator, all);
        }
        List<Row> chapter2 = chapter2Rows(files);
        if (!chapter2.isEmpty()) {
            LatencyChart.write(dir.resolve(CHAPTER2_CHART), "Chapter 2: starting /bin/true in namespaces, and the peers", chapter2);
        }
        if (files.overhead != null) {
            OverheadChart.write(dir.resolve(OVERHEAD_CHART), new Overheads(files.overhead));
        }
        Chapter3 chapter3 = new Chapter3(files);
        if (chapter3.measured()) {
            LatencyChart.write(dir.resolve(CHAPTER3_CHART), "Chapter 3: what the cgroup adds to a start, and crun's",
                    chapter3.chartRows());
            OverheadChart.write(dir.resolve(CHAPTER3_WORK_CHART), "Chapter 3: work with and without limits, against native",
                    chapter3.overheads());
        }
        Chapter4 chapter4 = new Chapter4(files);
        if (chapter4.measured()) {
            LatencyChart.write(dir.resolve(CHAPTER4_CHART), "Chapter 4: a start on an overlay, copy-up, build, extraction",
                    chapter4.chartRows());
        }
        Chapter5 chapter5 = new Chapter5(files);
        if (chapter5.measured()) {
            RegistryChart.write(dir.resolve(CHAPTER5_CHART), "Chapter 5: push and pull, jbox's server against Distribution",
                    chapter5.chartBars());
        }
    }

    /** The main chart: chapter 1's warm starts, chapter 2's with all namespaces, whole processes, VM boots. */
    static List<Row> startRows(ResultFiles files) {
        List<Row> rows = new ArrayList<>(files.engine());
        Tables.find(files.chapter2(), "all").ifPresent(rows::add);
        rows.addAll(files.process());
        rows.addAll(files.vmUp());
        return rows;
    }

    /** Chapter 2's chart: every set of namespaces, then the host process, the peers and the whole jbox command. */
    static List<Row> chapter2Rows(ResultFiles files) {
        List<Row> rows = new ArrayList<>(files.chapter2());
        for (String name : List.of("host", "crun-nocg", "crun", "runc", "jbox2-nonet", "jbox2", "docker-nonet", "docker")) {
            Tables.find(files.process(), name).ifPresent(rows::add);
        }
        rows.addAll(files.warmPeers());
        return rows;
    }

    String markdown() {
        line("# jbox benchmarks: results");
        line("");
        line("One run of `benchmarks/run` (as root), report written " + Instant.now().truncatedTo(ChronoUnit.SECONDS)
                + ". The machine: [MACHINE.md](MACHINE.md). Generated by `dev.jbox.bench.report.Report` from the JSON"
                + " files in this directory: do not edit by hand. What the numbers mean: [../README.md](../README.md)."
                + " Times are medians; the spread is the interquartile range (p25-p75), and for the few VM boots and"
                + " workload rounds the whole range. Ratios divide medians of this run.");
        line("");
        line("## Summary");
        line("");
        List<String> findings = new ArrayList<>(summary.chapter1());
        summary.vm().ifPresent(findings::add);
        findings.addAll(summary.chapter2());
        findings.addAll(chapter3.findings());
        findings.addAll(chapter4.findings());
        findings.addAll(chapter5.findings());
        findings.forEach(f -> line("- " + f));
        line("");
        heading("1. Chapter 1 in a warm engine");
        table(tables.engine(), "benchmarks/run jmh StartBenchmark");
        heading("2. Chapter 2 in a warm engine: what each namespace costs");
        table(tables.chapter2(), "benchmarks/run namespaces --out benchmarks/results/namespaces.json");
        if (Files.exists(files.dir.resolve(CHAPTER2_CHART))) {
            line("![chapter 2 start latency, log scale](" + CHAPTER2_CHART + ")");
            line("");
        }
        heading("3. Whole process");
        table(tables.process(), "benchmarks/run process --out benchmarks/results/process.json");
        heading("4. Like with like: warm against warm, whole process against whole process");
        table(tables.warm(), "benchmarks/run (namespaces and process)");
        table(tables.whole(), "benchmarks/run process --out benchmarks/results/process.json");
        heading("5. VM baseline");
        if (files.vm != null) {
            line("Accelerator **" + files.vm.accelerator().toUpperCase() + "**: " + files.vm.acceleratorNote() + ". "
                    + files.vm.qemu() + ". \"up\" is the time from starting QEMU to the marker the guest's /init prints on"
                    + " the serial console; \"exit\" is until QEMU has exited after the guest rebooted (-no-reboot).");
            line("");
        }
        table(tables.vm(), "benchmarks/vm compare --out benchmarks/results/vm.json");
        heading("6. Memory per running container");
        table(tables.memory(), "benchmarks/run memory --out benchmarks/results/memory.json");
        heading("7. Overhead: native, container, VM");
        if (files.overhead != null) {
            line("After Felter et al. (ISPASS 2015): one static C program, timing itself, in each environment. The VM's"
                    + " accelerator is **" + files.overhead.accelerator().toUpperCase() + "** (" + files.overhead.acceleratorNote()
                    + "); under TCG every VM ratio is the emulator's, not virtualisation's.");
            line("");
            files.overhead.environments().forEach(e -> line("- **" + e.name() + "**: " + e.label()));
            line("");
        }
        table(tables.overhead(), "benchmarks/run overhead --out benchmarks/results/overhead.json");
        if (Files.exists(files.dir.resolve(OVERHEAD_CHART))) {
            line("![overhead against native, log scale](" + OVERHEAD_CHART + ")");
            line("");
        }
        heading("8. Network: TCP throughput and round trip");
        summary.networkMethod().ifPresent(m -> {
            line(m);
            line("");
        });
        table(tables.network(), "benchmarks/run net");
        table(tables.networkSteps(), "benchmarks/run jmh NetworkBenchmark");
        heading("9. Chapter 3: cgroups");
        table(chapter3.start(), "benchmarks/run cgroups");
        table(chapter3.peers(), "benchmarks/run process --out benchmarks/results/process.json");
        image(CHAPTER3_CHART, "chapter 3 start latency, log scale");
        table(chapter3.accuracy(), "benchmarks/run cgroups");
        if (chapter3.measured()) {
            chapter3.overheads().others().forEach(e -> line("- **" + e.name() + "**: " + e.label()));
            line("");
        }
        table(chapter3.workloads(), "benchmarks/run cgroups");
        image(CHAPTER3_WORK_CHART, "chapter 3 workloads against native, log scale");
        heading("10. Chapter 4: images and union layers");
        table(chapter4.start(), "benchmarks/run layers");
        table(chapter4.copyUp(), "benchmarks/run layers");
        table(chapter4.extraction(), "benchmarks/run layers");
        table(chapter4.build(), "benchmarks/run layers");
        if (chapter4.measured()) {
            line("The Dockerfile:");
            line("");
            line("```dockerfile");
            md.append(files.layers.build().dockerfile());
            line("```");
            line("");
        }
        table(chapter4.disk(), "benchmarks/run layers");
        if (chapter4.measured()) {
            line("`jbox system df` in the containers' store (the busybox image is there too):");
            line("");
            line("```");
            files.layers.disk().systemDf().forEach(this::line);
            line("```");
            line("");
        }
        image(CHAPTER4_CHART, "chapter 4: start, copy-up, build and extraction, log scale");
        heading("11. Chapter 5: the registry");
        if (chapter5.measured()) {
            files.registry.setup().notes().forEach(n -> line("- " + n));
            line("- Versions: " + files.registry.setup().distribution() + "; " + files.registry.setup().skopeo() + "; "
                    + files.registry.setup().java() + ".");
            line("");
        }
        table(chapter5.servers(), "benchmarks/run registry");
        table(chapter5.clients(), "benchmarks/run registry");
        table(chapter5.floors(), "benchmarks/run registry");
        table(chapter5.blobGet(), "benchmarks/run registry");
        table(chapter5.concurrent(), "benchmarks/run registry");
        table(chapter5.memory(), "benchmarks/run registry");
        image(CHAPTER5_CHART, "chapter 5: push and pull by client and server, log scale");
        if (Files.exists(files.dir.resolve(CHART))) {
            line("![start latency, log scale](" + CHART + ")");
        }
        return md.toString();
    }

    private void image(String png, String alt) {
        if (Files.exists(files.dir.resolve(png))) {
            line("![" + alt + "](" + png + ")");
            line("");
        }
    }

    private void heading(String title) {
        line("## " + title);
        line("");
    }

    /** The table, or a line saying how to measure what it would hold. */
    private void table(Table table, String command) {
        if (table.isEmpty()) {
            line("Not measured in this run; `" + command + "` measures it.");
            line("");
            return;
        }
        line(table.title() + ":");
        line("");
        md.append(table.markdown());
        line("");
    }

    private void line(String s) {
        md.append(s).append('\n');
    }
}
