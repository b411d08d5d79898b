package dev.jbox.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * The book's measurement sections, as AsciiDoc fragments beside the results (book/README.md has
 * the contract): each starts by setting the attribute named after its file, so the chapter can
 * tell that results exist, and uses no section titles, only paragraphs, titled tables and
 * figures, because it is included at different section levels. Images are referenced through
 * the book's {results} attribute, and only when the chart was written.
 */
final class BookFragments {
    private final Path dir;
    private final ResultFiles files;
    private final Tables tables;
    private final Summary summary;

    private BookFragments(Path dir, ResultFiles files, Tables tables, Summary summary) {
        this.dir = dir;
        this.files = files;
        this.tables = tables;
        this.summary = summary;
    }

    static List<Path> write(Path dir, ResultFiles files, Tables tables, Summary summary) throws IOException {
        BookFragments book = new BookFragments(dir, files, tables, summary);
        return List.of(book.baselines(), book.chroot(), book.namespaces(), book.cgroups(), book.layers(), book.registry());
    }

    private Path baselines() throws IOException {
        StringBuilder a = start("00-baselines");
        paragraphs(a, summary.baselines());
        table(a, tables.process("host", "chroot", "jvm", "jbox-version"));
        if (files.vm != null) {
            a.append("The VM's accelerator is *").append(files.vm.accelerator().toUpperCase()).append("* (")
                    .append(literal(files.vm.acceleratorNote())).append("): under TCG the guest's instructions are"
                    + " emulated, and its times say little about a VM under KVM.\n\n");
        }
        table(a, tables.vm());
        image(a, Report.CHART, "Starting /bin/true: container, process and VM (medians, log scale)");
        return save("00-baselines", a);
    }

    private Path chroot() throws IOException {
        StringBuilder a = start("01-chroot");
        paragraphs(a, summary.chapter1());
        table(a, tables.engine());
        table(a, tables.process("host", "chroot", "jvm", "jbox-jar", "jbox-version", "jbox"));
        return save("01-chroot", a);
    }

    private Path namespaces() throws IOException {
        StringBuilder a = start("02-namespaces");
        paragraphs(a, summary.chapter2());
        table(a, tables.chapter2());
        image(a, Report.CHAPTER2_CHART, "Chapter 2: starting /bin/true in namespaces, and the peers (medians, log scale)");
        table(a, tables.warm());
        table(a, tables.whole());
        table(a, tables.memory());
        if (files.overhead != null) {
            List<String> envs = new ArrayList<>();
            files.overhead.environments().forEach(e -> envs.add("*" + e.name() + "*: " + literal(e.label())));
            a.append("The overhead workloads are one static C program that times itself (after Felter et al.,"
                    + " ISPASS 2015), run in each environment:\n\n");
            envs.forEach(e -> a.append("* ").append(e).append('\n'));
            a.append('\n');
        }
        table(a, tables.overhead());
        image(a, Report.OVERHEAD_CHART, "Time of each workload as a multiple of native (medians, log scale)");
        summary.networkMethod().ifPresent(m -> a.append(m).append("\n\n"));
        table(a, tables.network());
        table(a, tables.networkSteps());
        return save("02-namespaces", a);
    }

    private Path cgroups() throws IOException {
        StringBuilder a = start("03-cgroups");
        Chapter3 chapter3 = new Chapter3(files);
        paragraphs(a, chapter3.findings());
        table(a, chapter3.start());
        table(a, chapter3.peers());
        image(a, Report.CHAPTER3_CHART, "Chapter 3: what the cgroup adds to a start, and crun's (medians, log scale)");
        table(a, chapter3.accuracy());
        if (chapter3.measured()) {
            // jbox's own labels, with `code` in them: not literal.
            chapter3.overheads().others().forEach(e -> a.append("* *").append(e.name()).append("*: ")
                    .append(e.label()).append('\n'));
            a.append('\n');
        }
        table(a, chapter3.workloads());
        image(a, Report.CHAPTER3_WORK_CHART, "Chapter 3: time of each workload as a multiple of native (medians, log scale)");
        return save("03-cgroups", a);
    }

    private Path layers() throws IOException {
        StringBuilder a = start("04-layers");
        Chapter4 chapter4 = new Chapter4(files);
        paragraphs(a, chapter4.findings());
        table(a, chapter4.start());
        table(a, chapter4.copyUp());
        table(a, chapter4.extraction());
        table(a, chapter4.build());
        if (chapter4.measured()) {
            a.append(".The Dockerfile built\n[source,dockerfile]\n----\n").append(files.layers.build().dockerfile()).append("----\n\n");
        }
        table(a, chapter4.disk());
        if (chapter4.measured()) {
            a.append(".`jbox system df` in the containers' store (the busybox image is there too)\n----\n");
            files.layers.disk().systemDf().forEach(l -> a.append(l).append('\n'));
            a.append("----\n\n");
        }
        image(a, Report.CHAPTER4_CHART, "Chapter 4: a start on an overlay, copy-up, build and layer extraction (medians, log scale)");
        return save("04-layers", a);
    }

    private Path registry() throws IOException {
        StringBuilder a = start("05-registry");
        Chapter5 chapter5 = new Chapter5(files);
        paragraphs(a, chapter5.findings());
        if (chapter5.measured()) {
            files.registry.setup().notes().forEach(n -> a.append("* ").append(n).append('\n'));
            a.append("* Versions: ").append(literal(files.registry.setup().distribution() + "; " + files.registry.setup().skopeo()
                    + "; " + files.registry.setup().java())).append("\n\n");
        }
        table(a, chapter5.servers());
        table(a, chapter5.clients());
        table(a, chapter5.floors());
        table(a, chapter5.blobGet());
        table(a, chapter5.concurrent());
        table(a, chapter5.memory());
        image(a, Report.CHAPTER5_CHART, "Chapter 5: push and pull by client, against jbox's server and Distribution (medians, log scale)");
        return save("05-registry", a);
    }

    private StringBuilder start(String name) {
        return new StringBuilder(":results-" + name + ":\n"
                + "// Written by dev.jbox.bench.report.BookFragments from the JSON files beside it: do not edit by hand.\n\n"
                + "Measured in one run of `benchmarks/run` (as root) on " + LocalDate.now(ZoneOffset.UTC) + ": "
                + literal(MachineInfo.oneLine(files)) + " (details: `benchmarks/results/MACHINE.md`)."
                + " Times are medians of that run, with the interquartile range (IQR) as their spread.\n\n");
    }

    private static void paragraphs(StringBuilder a, List<String> sentences) {
        sentences.forEach(s -> a.append(s).append("\n\n"));
    }

    private static void table(StringBuilder a, Table t) {
        if (!t.isEmpty()) {
            a.append(t.asciidoc()).append('\n');
        }
    }

    private void image(StringBuilder a, String png, String title) {
        if (Files.exists(dir.resolve(png))) {
            a.append('.').append(title).append("\nimage::{results}/").append(png).append("[\"").append(title.replaceAll(" \\(.*", ""))
                    .append("\"]\n\n");
        }
    }

    private Path save(String name, StringBuilder a) throws IOException {
        Path file = dir.resolve(name + ".adoc");
        Files.writeString(file, a.toString().stripTrailing() + "\n");
        return file;
    }

    /** Text from the machine (versions, notes) as it is: no AsciiDoc markup may hide in it. */
    private static String literal(String text) {
        return "pass:c[" + text.replace("]", "\\]") + "]";
    }
}
