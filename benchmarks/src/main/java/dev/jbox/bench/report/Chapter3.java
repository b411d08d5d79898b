package dev.jbox.bench.report;

import static dev.jbox.bench.report.Tables.find;

import dev.jbox.bench.Stats;
import dev.jbox.bench.cgroups.CgroupResults;
import dev.jbox.bench.overhead.OverheadResults;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Chapter 3's tables and findings, from cgroups.json and, for the peers, process.json of the
 * same run: the cgroup's start cost, the accuracy of CPU limits, workloads under limits.
 */
final class Chapter3 {
    /** The whole-process rows beside chapter 3's, each with the row it adds a cgroup to. */
    private static final List<String[]> PEERS = List.of(
            new String[] {"crun-nocg", null}, new String[] {"crun", "crun-nocg"}, new String[] {"crun-limits", "crun-nocg"},
            new String[] {"jbox2-nonet", null}, new String[] {"jbox3-nonet", "jbox2-nonet"});

    private final ResultFiles files;
    private final CgroupResults results;

    Chapter3(ResultFiles files) {
        this.files = files;
        this.results = files.cgroups;
    }

    boolean measured() {
        return results != null;
    }

    /** Chapter 2 and 3 from the warm engine, paired; the v2 line says what was measured there, or why nothing. */
    Table start() {
        Table t = new Table("What the cgroup adds to a start from a warm engine: `run --rm --network none busybox /bin/true`"
                + " through jbox's engine, chapter 2 and chapter 3 alternating", "lllrrrr", "cgroups", "engine",
                "what the container gets", "median ms", "IQR ms", "samples", "× chapter 2");
        if (results == null) {
            return t;
        }
        startRows(t, versionName(results.cgroupVersion()), "", results.start());
        CgroupResults.Guest guest = results.guest();
        if (guest == null || guest.start() == null) {
            t.row(versionName(guest == null ? "v2" : guest.version()), "chapter 3", "**Not measured**: "
                    + (guest == null ? "no guest was run" : guest.note()), "-", "-", "0", "-");
        } else {
            startRows(t, versionName(guest.version()) + ", in the guest (**" + guest.accelerator().toUpperCase(Locale.ROOT)
                    + "**)", Overheads.emulated(guest.accelerator()) ? " (TCG: measures the emulator)" : "", guest.start());
        }
        return t;
    }

    /** Chapter 2, chapter 3 and their paired difference, as three rows. */
    private static void startRows(Table t, String version, String note, CgroupResults.Start s) {
        Stats two = Stats.of(s.chapter2()), three = Stats.of(s.chapter3());
        t.row(version, "chapter 2", "namespaces, pid 1, the record; no cgroup" + note, Fmt.num(two.median()), range(two),
                Long.toString(two.n()), "1.00");
        t.row(version, "chapter 3", "the same and a cgroup: made, Docker's device rules, joined at \"go\", removed; its own"
                + " read-only /sys/fs/cgroup" + note, Fmt.num(three.median()), range(three), Long.toString(three.n()),
                Fmt.ratio(three.median() / two.median()));
        Stats diff = paired(s.chapter2(), s.chapter3());
        t.row(version, "difference", "chapter 3 minus chapter 2, pair by pair" + note, Fmt.signed(diff.median()), signedRange(diff),
                Long.toString(diff.n()), "-");
    }

    private static String versionName(String version) {
        return version + (version.equals("v1") ? " (a directory per controller)" : " (one directory)");
    }

    /** crun without, with and with limited cgroups, and jbox chapter 2 against 3, as whole processes of the same run. */
    Table peers() {
        Table t = new Table("The same as whole processes, beside crun with and without its cgroup (hyperfine, same run)",
                "llrrr", "command", "what", "median ms", "IQR ms", "cgroup adds ms");
        List<Row> process = files.process();
        for (String[] p : PEERS) {
            find(process, p[0]).ifPresent(r -> t.row("`" + r.name() + "`", r.label(), Fmt.ms(r),
                    range(r.stats()), p[1] == null ? "-" : find(process, p[1])
                            .map(base -> cost(r.stats(), base.stats())).orElse("-")));
        }
        return t;
    }

    /** Each limit as asked and as got: the median of the rounds, their range, and the error. */
    Table accuracy() {
        String caption = results == null ? "" : String.format(Locale.ROOT, " (%d rounds of %s s each, under a load average"
                + " of %s at the start)", results.accuracy().rounds(), Fmt.num(results.accuracy().seconds()), load());
        Table t = new Table("CPU limits, asked against got: CPU time from the container's cgroup over the wall clock" + caption,
                "llrrrr", "case", "what", "asked", "got (median)", "rounds' range", "error");
        if (results == null) {
            return t;
        }
        for (CgroupResults.Case c : results.accuracy().cases()) {
            Stats got = Stats.of(c.got());
            t.row("`" + c.name() + "`", c.label(), Fmt.num(c.asked()), Fmt.num(got.median()), Fmt.range(got.min(), got.max()),
                    percent(error(c.asked(), got.median())));
        }
        return t;
    }

    /** The workloads as the overhead table shows them, native first. */
    Table workloads() {
        if (results == null) {
            return new Table("Workloads", "l", "workload");
        }
        return Tables.overhead("CPU- and memory-bound work natively, in chapter-3 containers with and without limits, and in a"
                + " VM given the same CPU and memory: median rate (higher is faster), and time as a multiple of native's", overheads());
    }

    Overheads overheads() {
        CgroupResults.Workloads w = results.workloads();
        return new Overheads(new OverheadResults(w.accelerator(), w.note(), w.workloads(), w.environments()));
    }

    /** The chart's rows: chapter 2 and 3 from the warm engine, then the whole processes. */
    List<Row> chartRows() {
        List<Row> rows = new ArrayList<>();
        if (results == null) {
            return rows;
        }
        rows.add(new Row(Row.Group.CHAPTER3, "chapter 2", "chapter 2, warm engine", Stats.of(results.start().chapter2())));
        rows.add(new Row(Row.Group.CHAPTER3, "chapter 3", "chapter 3, warm engine", Stats.of(results.start().chapter3())));
        for (String[] p : PEERS) {
            find(files.process(), p[0]).ifPresent(rows::add);
        }
        return rows;
    }

    /** The findings in sentences. */
    List<String> findings() {
        List<String> lines = new ArrayList<>();
        if (results == null) {
            return lines;
        }
        CgroupResults.Start s = results.start();
        Stats two = Stats.of(s.chapter2()), three = Stats.of(s.chapter3()), diff = paired(s.chapter2(), s.chapter3());
        lines.add("From a warm engine on cgroup " + results.cgroupVersion() + ", a chapter-3 container starts, exits and is"
                + " removed in **" + Fmt.num(three.median()) + " ms** against chapter 2's " + Fmt.num(two.median()) + " ms ("
                + Fmt.ratio(three.median() / two.median()) + " times; " + two.n() + " pairs, alternating): the cgroup adds **"
                + Fmt.signed(diff.median()) + " ms** (median of the pairs' differences, IQR " + signedRange(diff) + ").");
        CgroupResults.Guest guest = results.guest();
        if (guest != null && guest.start() != null) {
            Stats g2 = Stats.of(guest.start().chapter2()), g3 = Stats.of(guest.start().chapter3());
            lines.add("On cgroup " + guest.version() + ", in the QEMU guest under " + guest.accelerator().toUpperCase(Locale.ROOT)
                    + ", chapter 3 takes " + Fmt.ratio(g3.median() / g2.median()) + " times chapter 2's start (" + Fmt.num(g3.median())
                    + " against " + Fmt.num(g2.median()) + " ms, " + g2.n() + " pairs)" + (Overheads.emulated(guest.accelerator())
                    ? "; the guest's instructions are emulated, so its milliseconds measure the emulator and only the ratio"
                    + " within the guest means anything" : "") + ".");
        } else if (guest != null) {
            lines.add("On cgroup " + guest.version() + " the start was not measured: " + guest.note() + ".");
        }
        Optional<Row> crun = find(files.process(), "crun"), nocg = find(files.process(), "crun-nocg"),
                limits = find(files.process(), "crun-limits");
        if (crun.isPresent() && nocg.isPresent()) {
            lines.add("As whole processes, crun takes " + Fmt.ms(crun.get()) + " ms with its cgroup" + limits.map(l -> ", "
                    + Fmt.ms(l) + " ms with limits in its config.json,").orElse("") + " and " + Fmt.ms(nocg.get()) + " ms"
                    + " with `--cgroup-manager=disabled`. What its cgroup adds, in ms: " + cost(crun.get().stats(), nocg.get().stats())
                    + limits.map(l -> "; with limits, " + cost(l.stats(), nocg.get().stats())).orElse("") + ".");
        }
        List<String> got = new ArrayList<>();
        for (CgroupResults.Case c : results.accuracy().cases()) {
            got.add("`" + c.name() + "` " + Fmt.num(Stats.of(c.got()).median()) + " for " + Fmt.num(c.asked()));
        }
        lines.add("CPU limits, asked against got (median of " + results.accuracy().rounds() + " rounds): " + String.join(", ", got)
                + ". These were taken on a shared machine under a load average of " + load() + " at the start: a"
                + " quota is a ceiling, so other work can only push a figure below it.");
        Overheads o = overheads();
        List<String> ratios = new ArrayList<>();
        for (OverheadResults.WorkloadInfo w : o.workloads()) {
            for (OverheadResults.Environment e : o.others()) {
                ratios.add("`" + w.name() + "` " + o.shortName(e) + " " + Fmt.ratio(o.slowdown(e, w.name())));
            }
        }
        lines.add("Work under limits, as time × native: " + String.join(", ", ratios) + (Overheads.emulated(o.accelerator())
                ? ". The VM runs under TCG: its ratios measure the emulator, not virtualisation." : "."));
        return lines;
    }

    /** The 1-, 5- and 15-minute load averages when the piece started. */
    String load() {
        return Fmt.load(results.loadAtStart());
    }

    /** The differences {@code b[i] - a[i]} of paired samples, summarised. */
    static Stats paired(List<Double> a, List<Double> b) {
        if (a.size() != b.size()) {
            throw new IllegalArgumentException(a.size() + " samples paired with " + b.size());
        }
        List<Double> d = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) {
            d.add(b.get(i) - a.get(i));
        }
        return Stats.of(d);
    }

    /**
     * What {@code row} adds to {@code base}, two unpaired series: the difference of their medians,
     * counted as a cost only if their interquartile ranges do not overlap; otherwise, and always
     * when it is negative, "within noise".
     */
    static String cost(Stats row, Stats base) {
        double d = row.median() - base.median();
        return row.p25() > base.p75() ? Fmt.signed(d) : "within noise (" + Fmt.signed(d) + ")";
    }

    /** How far {@code got} is from {@code asked}, as a fraction of it. */
    static double error(double asked, double got) {
        return (got - asked) / asked;
    }

    static String percent(double fraction) {
        return String.format(Locale.ROOT, "%+.1f%%", 100 * fraction);
    }

    private static String signedRange(Stats s) {
        return Fmt.signed(s.p25()) + " to " + Fmt.signed(s.p75());
    }

    private static String range(Stats s) {
        return Fmt.range(s.p25(), s.p75());
    }
}
