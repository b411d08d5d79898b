package dev.jbox.bench.report;

import dev.jbox.bench.ProcMemory;
import dev.jbox.bench.Stats;
import dev.jbox.bench.docker.DockerPeer;
import dev.jbox.bench.net.NetResults;
import dev.jbox.bench.process.ProcessResults;
import dev.jbox.bench.overhead.OverheadResults;
import dev.jbox.bench.vm.VmResults;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.ToLongFunction;

/** The report's tables, from the result files of one run; the same tables go to RESULTS.md and to the book. */
final class Tables {
    private final ResultFiles files;

    Tables(ResultFiles files) {
        this.files = files;
    }

    Table engine() {
        List<Row> rows = files.engine();
        Table t = new Table("Chapter 1 from a warm engine: /bin/true started and waited for (JMH SampleTime)",
                "llrrrrr", "benchmark", "what it does", "median ms", "IQR ms", "p90 ms", "samples", "× spawnHostTrue");
        Row base = find(rows, "spawnHostTrue").orElse(rows.isEmpty() ? null : rows.get(0));
        rows.forEach(r -> t.row("`" + r.name() + "`", r.label(), Fmt.ms(r), iqr(r), Fmt.num(r.stats().p90()),
                Long.toString(r.stats().n()), Fmt.ratio(r, base)));
        return t;
    }

    /**
     * Each set of namespaces, all rounds pooled; "adds" is the difference of its median from the
     * mount namespace alone, a cost only if it was above zero in every round ({@link NamespaceCosts}).
     */
    Table chapter2() {
        List<Row> rows = files.chapter2();
        String rounds = files.namespaces == null ? "" : ", " + files.namespaces.rounds() + " interleaved rounds of one fork"
                + " each, pooled";
        Table t = new Table("Chapter 2 from a warm engine: /bin/true in the namespaces named, started and waited for"
                + " (JMH SampleTime" + rounds + ")", "llrrrrr", "namespaces", "what the container gets", "median ms",
                "IQR ms", "p90 ms", "samples", "adds ms (each round's difference)");
        NamespaceCosts costs = new NamespaceCosts(files.namespaces);
        rows.forEach(r -> t.row("`" + r.name() + "`", r.label(), Fmt.ms(r), iqr(r), Fmt.num(r.stats().p90()),
                Long.toString(r.stats().n()), costs.of(r.name()).map(NamespaceCosts.Cost::cell).orElse("-")));
        return t;
    }

    /** The steps of networking a container, each from a warm engine. */
    Table networkSteps() {
        List<Row> rows = files.networkSteps();
        Table t = new Table("Networking a container, step by step, from a warm engine (JMH SampleTime; a network namespace"
                + " of the benchmark's own plays the host)", "llrrrr", "step", "what it does", "median ms", "IQR ms",
                "p90 ms", "samples");
        rows.forEach(r -> t.row("`" + r.name() + "`", r.label(), Fmt.ms(r), iqr(r), Fmt.num(r.stats().p90()),
                Long.toString(r.stats().n())));
        return t;
    }

    /** Whole-process times, including the peers, and a line for each that could not be measured here. */
    Table process() {
        Table t = process(files.process());
        for (ProcessResults.Missing m : files.notMeasured()) {
            if (!m.name().equals(DockerPeer.API)) {
                t.row(m.name(), m.label() + ". **Not measured**: " + m.reason(), "-", "-", "-", "0", "-");
            }
        }
        return t;
    }

    /** Whole-process times of the commands named, in that order. */
    Table process(String... names) {
        List<Row> rows = new ArrayList<>();
        for (String name : names) {
            find(files.process(), name).ifPresent(rows::add);
        }
        return process(rows);
    }

    private Table process(List<Row> rows) {
        String title = files.process == null ? "Whole process" : "Whole process: wall time from exec to exit ("
                + files.process.tool() + ", " + files.process.warmup() + " warm-up runs, then " + files.process.runs() + ")";
        Table t = new Table(title, "llrrrrr", "name", "command", "median ms", "IQR ms", "min ms", "runs", "× host");
        Row base = find(rows, "host").orElse(rows.isEmpty() ? null : rows.get(0));
        rows.forEach(r -> t.row(r.name(), r.label(), Fmt.ms(r), iqr(r), Fmt.num(r.stats().min()),
                Long.toString(r.stats().n()), Fmt.ratio(r, base)));
        return t;
    }

    /**
     * Like with like, first of two: a container from an engine that is already running. jbox's
     * engine in the benchmark's JVM (JMH) against Docker's daemon, reached through its API from a
     * warm client; neither pays for starting a process of its own.
     */
    Table warm() {
        Table t = new Table("Warm engine against warm engine: a container running /bin/true, started and waited for by"
                + " an engine that is already running; times as multiples of jbox's", "llrrr", "what",
                "how it is measured", "median ms", "IQR ms", "× jbox chapter 2, warm");
        Optional<Row> jbox = find(files.chapter2(), "all");
        if (jbox.isEmpty()) {
            return t;
        }
        List<Row> rows = new ArrayList<>();
        for (String name : List.of("spawnBusyboxTrue", "chapter1Jail")) {
            find(files.engine(), name).ifPresent(rows::add);
        }
        rows.add(jbox.get());
        rows.addAll(files.warmPeers());
        for (Row r : rows) {
            String how = r.group() == Row.Group.WARM_PEER ? "Docker's API from a warm JVM, " + files.process.runs()
                    + " runs after " + files.process.warmup() : "in jbox's engine (JMH): start and wait";
            String what = r.group() == Row.Group.CHAPTER2 ? "jbox chapter 2: all namespaces, loopback only" : r.label();
            t.row(what, how, Fmt.ms(r), iqr(r), Fmt.ratio(r, jbox.get()));
        }
        notMeasured(t, List.of(DockerPeer.API), "Docker's API", "-", "-", "-");
        return t;
    }

    /**
     * Like with like, second of two: whole commands as a user at a shell runs them, each paying for
     * its own process start; times as multiples of {@code docker run}'s, the tool users know (or of
     * jbox's, when Docker could not run).
     */
    Table whole() {
        List<Row> rows = new ArrayList<>();
        for (String name : List.of("jbox2", "jbox2-nonet", DockerPeer.RUN, DockerPeer.RUN_NONET, "crun", "crun-nocg", "runc")) {
            find(files.process(), name).ifPresent(rows::add);
        }
        Optional<Row> base = find(rows, DockerPeer.RUN).or(() -> find(rows, "jbox2"));
        Table t = new Table("Whole process against whole process: the command started, run and exited, as at a shell"
                + " (" + (files.process == null ? "" : files.process.tool() + ", ") + "the same run)", "lrrr", "command",
                "median ms", "IQR ms", "× " + base.map(b -> b.name().equals(DockerPeer.RUN) ? "docker run" : "jbox run")
                .orElse("-"));
        if (base.isEmpty()) {
            return t;
        }
        rows.forEach(r -> t.row(r.label(), Fmt.ms(r), iqr(r), Fmt.ratio(r, base.get())));
        notMeasured(t, List.of(DockerPeer.RUN, DockerPeer.RUN_NONET, "crun", "crun-nocg", "runc"), "-", "-", "-");
        return t;
    }

    /** A line for each of {@code names} that could not be measured: what it is and why not, then {@code otherCells}. */
    private void notMeasured(Table t, List<String> names, String... otherCells) {
        for (ProcessResults.Missing m : files.notMeasured()) {
            if (names.contains(m.name())) {
                List<String> cells = new ArrayList<>(List.of(m.label() + ". **Not measured**: " + m.reason()));
                cells.addAll(List.of(otherCells));
                t.row(cells.toArray(String[]::new));
            }
        }
    }

    Table vm() {
        VmResults vm = files.vm;
        List<Row> up = files.vmUp();
        // Every ratio says its accelerator: a TCG ratio measures QEMU's emulator, not virtualisation.
        String accel = vm == null ? "" : ", " + vm.accelerator().toUpperCase();
        Table t = new Table(vm == null ? "VM boot" : "VM boot to the guest's init: " + vm.kernel() + ", busybox initramfs, "
                + vm.memoryMiB() + " MiB, 1 vCPU, accelerator " + vm.accelerator().toUpperCase(),
                "lrrrrrrr", "configuration", "median up ms", "range ms", "median exit ms", "peak RSS MiB", "boots",
                "× whole jbox run" + accel, "× chapter-1 in engine" + accel);
        Optional<Row> jbox = jboxRun(files.process());
        Optional<Row> jail = find(files.engine(), "chapter1Jail");
        List<Row> exits = files.vmExit();
        for (int i = 0; i < up.size(); i++) {
            Row r = up.get(i);
            t.row(r.label(), Fmt.ms(r), Fmt.range(r.stats().min(), r.stats().max()), Fmt.ms(exits.get(i)),
                    Fmt.num(files.medianPeakRssMiB(vm.configs().get(i))), Long.toString(r.stats().n()),
                    jbox.map(j -> Fmt.ratio(r, j)).orElse("-"), jail.map(j -> Fmt.ratio(r, j)).orElse("-"));
        }
        return t;
    }

    /** jbox's shim beside the container's own process, and QEMU when its guest is up. */
    Table memory() {
        Table t = new Table("Resident memory per running container or VM, MiB (medians)", "llrrrrr", "process",
                "what it is", "count", "RSS", "PSS", "USS", "PSS × shim");
        if (files.memory == null) {
            return t;
        }
        List<ProcMemory> shims = files.memory.shims();
        double shimPss = medianKiB(shims, ProcMemory::pssKiB);
        t.row("jbox-init shim", "what jbox adds per running container (" + files.memory.containers() + " running at once)",
                Integer.toString(shims.size()), mib(medianKiB(shims, ProcMemory::rssKiB)), mib(shimPss),
                mib(medianKiB(shims, ProcMemory::ussKiB)), "1.00");
        List<ProcMemory> pid1s = files.memory.pid1s();
        double pid1Pss = medianKiB(pid1s, ProcMemory::pssKiB);
        t.row("container pid 1", "the workload itself (`" + files.memory.command() + "`), not jbox's",
                Integer.toString(pid1s.size()), mib(medianKiB(pid1s, ProcMemory::rssKiB)), mib(pid1Pss),
                mib(medianKiB(pid1s, ProcMemory::ussKiB)), Fmt.ratio(pid1Pss / shimPss));
        if (files.vm != null) {
            for (VmResults.Series s : files.vm.configs()) {
                Optional<Double> pss = files.medianPssMiB(s);
                t.row("QEMU", "a VM, " + s.label() + ", " + s.accelerator().toUpperCase() + ", " + files.vm.memoryMiB()
                                + " MiB guest; peak RSS and PSS when its init is up", Integer.toString(s.runs().size()),
                        Fmt.num(files.medianPeakRssMiB(s)), pss.map(Fmt::num).orElse("-"), "-",
                        pss.map(p -> Fmt.ratio(p * 1024 / shimPss) + " (" + s.accelerator().toUpperCase() + ")").orElse("-"));
            }
        }
        return t;
    }

    /** One row per workload: each environment's median rate (and range) and its time as a multiple of native's. */
    Table overhead() {
        if (files.overhead == null) {
            return new Table("Overhead", "l", "workload");
        }
        return overhead("Overhead: median rate of each workload (higher is faster), and time as a multiple of"
                + " native's (1.00 is native speed)", new Overheads(files.overhead));
    }

    /** Each workload's median rate (and range) in every environment, and its time against native's. */
    static Table overhead(String title, Overheads o) {
        List<String> headers = new ArrayList<>(List.of("workload", "what", "rate in", "native (range)"));
        StringBuilder align = new StringBuilder("lllr");
        for (OverheadResults.Environment env : o.others()) {
            headers.add(o.shortName(env) + " (range)");
            headers.add(o.shortName(env) + " × native");
            align.append("rr");
        }
        Table t = new Table(title, align.toString(), headers.toArray(String[]::new));
        OverheadResults.Environment nativeEnv = o.environment(Overheads.NATIVE);
        for (OverheadResults.WorkloadInfo w : o.workloads()) {
            List<String> cells = new ArrayList<>(List.of("`" + w.name() + "`", w.label(), w.rateUnit(),
                    rate(o.rates(nativeEnv, w.name()))));
            for (OverheadResults.Environment env : o.others()) {
                cells.add(rate(o.rates(env, w.name())));
                cells.add(Fmt.ratio(o.slowdown(env, w.name())));
            }
            t.row(cells.toArray(String[]::new));
        }
        return t;
    }

    /** Each network path's median throughput and round trip, with the range of the rounds, against loopback's. */
    Table network() {
        Table t = new Table("TCP between two jbox-bench-net processes over each path: medians of the rounds (range),"
                + " and as multiples of host loopback's", "llrrrr", "path", "what", "MiB/s", "× loopback", "round trip µs",
                "× loopback");
        if (files.net == null) {
            return t;
        }
        Networks n = new Networks(files.net);
        for (NetResults.PathResult p : files.net.paths()) {
            Stats mib = n.throughput(p);
            Stats rtt = n.roundTrip(p);
            t.row("`" + p.name() + "`", p.label(), Fmt.num(mib.median()) + " (" + Fmt.range(mib.min(), mib.max()) + ")",
                    Fmt.ratio(n.throughputRatio(p)), Fmt.num(rtt.median()) + " (" + Fmt.range(rtt.min(), rtt.max()) + ")",
                    Fmt.ratio(n.roundTripRatio(p)));
        }
        return t;
    }

    private static String rate(Stats s) {
        return Fmt.num(s.median()) + " (" + Fmt.range(s.min(), s.max()) + ")";
    }

    static double medianKiB(List<ProcMemory> samples, ToLongFunction<ProcMemory> field) {
        return Stats.of(samples.stream().map(m -> (double) field.applyAsLong(m)).toList()).median();
    }

    private static String mib(double kib) {
        return Fmt.num(kib / 1024);
    }

    private static String iqr(Row r) {
        return Fmt.range(r.stats().p25(), r.stats().p75());
    }

    /** The launcher users run if it was measured, else the jar. */
    static Optional<Row> jboxRun(List<Row> process) {
        return find(process, "jbox").or(() -> find(process, "jbox-jar"));
    }

    static Optional<Row> find(List<Row> rows, String name) {
        return rows.stream().filter(r -> r.name().equals(name)).findFirst();
    }
}
