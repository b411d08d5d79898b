package dev.jbox.bench.report;

import dev.jbox.bench.Stats;
import dev.jbox.bench.layers.LayersResults;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Chapter 4's tables and findings, from layers.json: a start on an overlay against a plain
 * directory, copy-up, layer extraction against GNU tar and umoci, the build cache, and the disk
 * N containers of one image take against N VM disks.
 */
final class Chapter4 {
    private static final double MIB = 1 << 20;

    private final LayersResults results;

    Chapter4(ResultFiles files) {
        this.results = files.layers;
    }

    boolean measured() {
        return results != null;
    }

    /** Chapter 3 and 4 from the warm engine, paired, and their difference. */
    Table start() {
        Table t = new Table("A start from an image in a warm engine: `run --rm --network none busybox /bin/true` through jbox's"
                + " engine, chapter 3 and chapter 4 alternating", "llrrrr", "engine", "the container's root", "median ms",
                "IQR ms", "samples", "× chapter 3");
        if (results == null) {
            return t;
        }
        LayersResults.Start s = results.start();
        Stats three = Stats.of(s.chapter3()), four = Stats.of(s.chapter4()), diff = Chapter3.paired(s.chapter3(), s.chapter4());
        t.row("chapter 3", "the image's plain directory, shared by every container (bind-mounted, pivot_root)",
                Fmt.num(three.median()), iqr(three), Long.toString(three.n()), "1.00");
        t.row("chapter 4", "an overlay: the image's snapshot as the lower dir, an upper and a work dir of its own, made,"
                + " mounted, unmounted from the host once the container holds it, removed with it", Fmt.num(four.median()),
                iqr(four), Long.toString(four.n()), Fmt.ratio(four.median() / three.median()));
        t.row("difference", "chapter 4 minus chapter 3, pair by pair", Fmt.signed(diff.median()),
                Fmt.signed(diff.p25()) + " to " + Fmt.signed(diff.p75()), Long.toString(diff.n()), "-");
        return t;
    }

    /** The first write to the image's file against the same write elsewhere. */
    Table copyUp() {
        String size = results == null ? "" : Fmt.num(results.copyUp().fileBytes() / MIB) + " MiB ";
        Table t = new Table("Copy-up: one byte written at the start of a " + size + "file (open for writing, write, close)"
                + (results == null ? "" : ", upper and plain directories on " + results.copyUp().fileSystem())
                + ", a fresh upper dir each round", "llrrrr", "write", "where", "median ms", "IQR ms", "rounds", "× plain write");
        if (results == null) {
            return t;
        }
        LayersResults.CopyUp c = results.copyUp();
        Stats plain = Stats.of(c.plainWrite());
        row(t, "first write", "to the image's file through jbox's overlay: overlayfs copies the whole file up first",
                Stats.of(c.copyUp()), plain);
        row(t, "again", "the same write once more: the file is in the upper dir now", Stats.of(c.inUpper()), plain);
        row(t, "plain", "the same write to the same file in a plain directory", plain, plain);
        row(t, "copy", "for scale: Files.copy of the whole file in a plain directory", Stats.of(c.plainCopy()), plain);
        return t;
    }

    private static void row(Table t, String name, String what, Stats s, Stats base) {
        t.row(name, what, Fmt.num(s.median()), iqr(s), Long.toString(s.n()), Fmt.ratio(s.median() / base.median()));
    }

    /** Each extractor's median time and its rate over the uncompressed layer. */
    Table extraction() {
        String caption = results == null ? "" : String.format(Locale.ROOT, ": %s, %s MB in %d entries, uncompressed; under a"
                + " load average of %s at the start", results.extraction().layer(), Fmt.num(results.extraction().tarBytes() / 1e6),
                results.extraction().entries(), load());
        Table t = new Table("Layer extraction, one layer into an empty directory on the same file system, rounds rotating the"
                + " order" + caption, "llrrrr", "tool", "what", "median s", "range s", "MB/s", "× tar's time");
        if (results == null) {
            return t;
        }
        Stats tar = tool("tar").map(Stats::of).orElse(null);
        for (LayersResults.Tool tool : results.extraction().tools()) {
            if (tool.seconds().isEmpty()) {
                t.row("`" + tool.name() + "`", "**Not measured**: " + tool.note(), "-", "-", "-", "-");
                continue;
            }
            Stats s = Stats.of(tool.seconds());
            t.row("`" + tool.name() + "`", tool.label(), Fmt.num(s.median()), Fmt.range(s.min(), s.max()),
                    Fmt.num(rate(s.median())), tar == null ? "-" : Fmt.ratio(s.median() / tar.median()));
        }
        return t;
    }

    /** MB/s over the uncompressed layer for a time of {@code seconds}. */
    double rate(double seconds) {
        return results.extraction().tarBytes() / 1e6 / seconds;
    }

    private java.util.Optional<List<Double>> tool(String name) {
        return results.extraction().tools().stream().filter(x -> x.name().equals(name) && !x.seconds().isEmpty())
                .map(LayersResults.Tool::seconds).findFirst();
    }

    /** Cold and warm builds. */
    Table build() {
        Table t = new Table("`jbox build` of a Dockerfile of " + (results == null ? "" : steps() + " ")
                + "instructions (below), with and without its cache" + (results == null ? "" : "; " + results.build().how()),
                "llrrrr", "cache", "what runs", "median ms", "IQR ms", "builds", "× warm");
        if (results == null) {
            return t;
        }
        Stats cold = Stats.of(results.build().cold()), warm = Stats.of(results.build().warm());
        row(t, "cold (`--no-cache`)", "every step: RUN in a container on an overlay, COPY, each layer tarred, hashed and"
                + " unpacked into its snapshot", cold, warm);
        row(t, "warm", "every step found in the cache: the Dockerfile parsed, the context hashed, the image tagged", warm, warm);
        return t;
    }

    long steps() {
        return results.build().dockerfile().lines().filter(l -> !l.isBlank()).count();
    }

    /** Containers of one image against VM disks of the same root file system. */
    Table disk() {
        Table t = new Table("Disk: " + (results == null ? "N" : Integer.toString(results.disk().count())) + " containers of one"
                + " image against as many VM disks of the same root file system" + (results == null ? "" : " ("
                + results.disk().rootfs() + ")") + ", bytes allocated (du), as made: no VM booted, each container ran"
                + " /bin/true", "llrr", "what", "counted", "MiB", "× jbox's");
        if (results == null) {
            return t;
        }
        long jbox = diskRow("jbox-total");
        for (LayersResults.DiskRow r : results.disk().rows()) {
            t.row((r.vm() ? "VM: " : "jbox: ") + "`" + r.name() + "`", r.label(), Fmt.num(r.bytes() / MIB),
                    r.name().equals("jbox-image") || r.name().equals("jbox-containers") ? "-" : Fmt.ratio((double) r.bytes() / jbox));
        }
        return t;
    }

    private long diskRow(String name) {
        return results.disk().rows().stream().filter(r -> r.name().equals(name)).mapToLong(LayersResults.DiskRow::bytes)
                .findFirst().orElse(0);
    }

    /** The chart's rows, in ms: the paired starts, copy-up against a copy, the builds, the extractions. */
    List<Row> chartRows() {
        List<Row> rows = new ArrayList<>();
        if (results == null) {
            return rows;
        }
        rows.add(new Row(Row.Group.CHAPTER4, "chapter 3", "chapter 3, plain directory", Stats.of(results.start().chapter3())));
        rows.add(new Row(Row.Group.CHAPTER4, "chapter 4", "chapter 4, overlay", Stats.of(results.start().chapter4())));
        rows.add(new Row(Row.Group.COPY_UP, "first write", "copy-up", Stats.of(results.copyUp().copyUp())));
        rows.add(new Row(Row.Group.COPY_UP, "Files.copy", "copy", Stats.of(results.copyUp().plainCopy())));
        rows.add(new Row(Row.Group.BUILD, "warm", "warm", Stats.of(results.build().warm())));
        rows.add(new Row(Row.Group.BUILD, "cold", "cold", Stats.of(results.build().cold())));
        for (LayersResults.Tool tool : results.extraction().tools()) {
            if (!tool.seconds().isEmpty()) {
                rows.add(new Row(Row.Group.EXTRACT, tool.name(), tool.label(),
                        Stats.of(tool.seconds().stream().map(s -> s * 1000).toList())));
            }
        }
        return rows;
    }

    /** The findings in sentences. */
    List<String> findings() {
        List<String> lines = new ArrayList<>();
        if (results == null) {
            return lines;
        }
        LayersResults.Start s = results.start();
        Stats three = Stats.of(s.chapter3()), four = Stats.of(s.chapter4()), diff = Chapter3.paired(s.chapter3(), s.chapter4());
        lines.add("From a warm engine, a chapter-4 container of the busybox image, on an overlay of its own, starts, exits and"
                + " is removed in **" + Fmt.num(four.median()) + " ms** against " + Fmt.num(three.median()) + " ms on the image's"
                + " plain directory (chapter 3; " + three.n() + " pairs, alternating): the overlay adds **"
                + Fmt.signed(diff.median()) + " ms** (median of the pairs' differences, IQR " + Fmt.signed(diff.p25()) + " to "
                + Fmt.signed(diff.p75()) + (diff.p25() < 0 ? "; the IQR spans zero: under this load the difference is not"
                + " clearly above the noise" : "") + ").");
        LayersResults.CopyUp c = results.copyUp();
        lines.add("Copy-up: the first write of one byte to a " + Fmt.num(c.fileBytes() / MIB) + " MiB file of the image takes **"
                + Fmt.num(Stats.of(c.copyUp()).median()) + " ms**, since overlayfs copies the whole file into the upper dir"
                + " first; the same write again takes " + Fmt.num(Stats.of(c.inUpper()).median()) + " ms, and in a plain"
                + " directory " + Fmt.num(Stats.of(c.plainWrite()).median()) + " ms. Copy-up is a copy of the whole file, paid once"
                + " per file on its first write: copying the file in a plain directory takes " + Fmt.num(Stats.of(c.plainCopy())
                .median()) + " ms.");
        List<String> rates = new ArrayList<>();
        for (LayersResults.Tool tool : results.extraction().tools()) {
            rates.add(tool.seconds().isEmpty() ? tool.name() + " not measured (" + tool.note() + ")"
                    : tool.name() + " " + Fmt.num(rate(Stats.of(tool.seconds()).median())) + " MB/s");
        }
        lines.add("Extracting a " + Fmt.num(results.extraction().tarBytes() / 1e6) + " MB layer of "
                + results.extraction().entries() + " entries (median of " + tool("jbox").map(List::size).orElse(0)
                + " rounds): " + String.join(", ", rates) + ", on a shared machine under a load average of " + load()
                + " at the start.");
        Stats cold = Stats.of(results.build().cold()), warm = Stats.of(results.build().warm());
        lines.add("`jbox build` of a Dockerfile of " + steps() + " instructions takes **" + Fmt.num(cold.median()) + " ms** with"
                + " `--no-cache` and **" + Fmt.num(warm.median()) + " ms** with every step in the cache ("
                + Fmt.ratio(cold.median() / warm.median()) + " times faster; in process, without the JVM's start).");
        LayersResults.Disk d = results.disk();
        long jbox = diskRow("jbox-total"), copies = diskRow("qcow2-copies"), overlays = diskRow("qcow2-overlays");
        String vm = copies == 0 ? " (the VM disks were not made: qemu-img is missing)" : "; " + d.count() + " VM disks of the"
                + " same tree take " + Fmt.num(copies / MIB) + " MiB as full qcow2 copies (" + Fmt.ratio((double) copies / jbox)
                + " times) and " + Fmt.num(overlays / MIB) + " MiB as qcow2 overlays on one backing file ("
                + Fmt.ratio((double) overlays / jbox) + " times)";
        lines.add(d.count() + " containers of one image take **" + Fmt.num(jbox / MIB) + " MiB** on disk: the image's layer once ("
                + Fmt.num(diskRow("jbox-image") / MIB) + " MiB) and " + Fmt.num(diskRow("jbox-containers") / 1024.0)
                + " KiB of their own" + vm + ".");
        return lines;
    }

    /** The 1-, 5- and 15-minute load averages when the piece started. */
    String load() {
        return Fmt.load(results.loadAtStart());
    }

    private static String iqr(Stats s) {
        return Fmt.range(s.p25(), s.p75());
    }
}
