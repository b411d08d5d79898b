package dev.jbox.bench.report;

import static dev.jbox.bench.report.Tables.find;
import static dev.jbox.bench.report.Tables.jboxRun;

import dev.jbox.bench.ProcMemory;
import dev.jbox.bench.Stats;
import dev.jbox.bench.net.NetResults;
import dev.jbox.bench.overhead.OverheadResults;
import dev.jbox.bench.vm.VmResults;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The findings of one run in sentences, each from the result files alone. They use only inline
 * markup that Markdown and AsciiDoc share (`code`, **strong**), so RESULTS.md and the book say
 * the same thing.
 */
final class Summary {
    private final ResultFiles files;

    Summary(ResultFiles files) {
        this.files = files;
    }

    /** Chapter 0: a process, a JVM, a VM. */
    List<String> baselines() {
        List<String> lines = new ArrayList<>();
        find(files.process(), "host").ifPresent(host -> lines.add("Starting `/bin/true` as a process and waiting for it takes **"
                + Fmt.ms(host) + " ms** on the host" + find(files.process(), "jvm").map(jvm -> "; a JVM that starts jbox's"
                + " command line and only prints its version takes " + Fmt.ms(jvm) + " ms, " + Fmt.times(jvm, host)
                + " as long").orElse("") + "."));
        vm().ifPresent(lines::add);
        return lines;
    }

    /** Chapter 1: the jail against the same spawn without it, and the whole command. */
    List<String> chapter1() {
        List<String> lines = new ArrayList<>();
        Optional<Row> jail = find(files.engine(), "chapter1Jail");
        Optional<Row> busybox = find(files.engine(), "spawnBusyboxTrue");
        if (jail.isPresent() && busybox.isPresent()) {
            lines.add("A chapter-1 container (`/bin/true` in a chroot jail) starts and exits in **" + Fmt.ms(jail.get())
                    + " ms** from a warm engine: " + Fmt.times(jail.get(), busybox.get()) + " the " + Fmt.ms(busybox.get())
                    + " ms of spawning the same busybox binary without a jail.");
        }
        jboxRun(files.process()).ifPresent(j -> {
            // Each command against the JVM started the same way, so the difference is the engine's work.
            Optional<Row> baseline = find(files.process(), j.name().equals("jbox") ? "jbox-version" : "jvm");
            lines.add("As a whole process, `" + j.label().replaceAll(" \\(.*", "") + "` takes **" + Fmt.ms(j) + " ms**"
                    + baseline.map(b -> "; `" + b.label().replaceAll(":.*", "") + "`, the same JVM and command line without"
                    + " a container, takes " + Fmt.ms(b) + " ms").orElse("") + ".");
        });
        return lines;
    }

    /** The fastest VM boot against the container starts. */
    Optional<String> vm() {
        List<Row> up = files.vmUp();
        if (up.isEmpty()) {
            return Optional.empty();
        }
        Row fastest = up.stream().min(Comparator.comparingDouble(r -> r.stats().median())).get();
        StringBuilder s = new StringBuilder("The fastest VM here (" + fastest.label() + ") boots to its init in **"
                + Fmt.ms(fastest) + " ms**");
        jboxRun(files.process()).ifPresent(j -> s.append(": ").append(Fmt.times(fastest, j)).append(" a whole `jbox run`"));
        find(files.chapter2(), "all").or(() -> find(files.engine(), "chapter1Jail")).ifPresent(c -> s.append(", ")
                .append(Fmt.times(fastest, c)).append(c.group() == Row.Group.CHAPTER2 ? " a chapter-2" : " a chapter-1")
                .append(" container in a warm engine"));
        return Optional.of(s + ".");
    }

    /** Chapter 2: the start against crun, what each namespace costs, the whole command, memory, overhead. */
    List<String> chapter2() {
        List<String> lines = new ArrayList<>();
        List<Row> ch2 = files.chapter2();
        Optional<Row> all = find(ch2, "all");
        Optional<Row> crun = find(files.process(), "crun");
        all.ifPresent(a -> {
            StringBuilder s = new StringBuilder("A chapter-2 container (`/bin/true` in new mount, PID, UTS, IPC, network and"
                    + " cgroup namespaces) starts and exits in **" + Fmt.ms(a) + " ms** from a warm engine");
            crun.ifPresent(c -> s.append("; `crun run` takes **").append(Fmt.ms(c)).append(" ms** as a whole process on the"
                    + " same root file system: the warm chapter-2 start takes **").append(Fmt.times(a, c))
                    .append("** crun's (the ratio of the two medians)"));
            find(files.process(), "crun-nocg").ifPresent(c -> s.append("; crun without its cgroup takes ")
                    .append(Fmt.ms(c)).append(" ms"));
            lines.add(s + ".");
            find(files.engine(), "chapter1Jail").ifPresent(jail -> lines.add("From the same kind of warm engine, the"
                    + " chapter-1 jail takes " + Fmt.ms(jail) + " ms: the namespaces, the new root, the pivot and"
                    + " jbox-init's two processes make a chapter-2 start " + Fmt.times(a, jail) + " as long."));
        });
        find(ch2, NamespaceCosts.BASE).ifPresent(none -> lines.add(namespaceCosts(none)));
        find(files.process(), "jbox2").ifPresent(j -> lines.add("The whole command `./jbox run --rm busybox true` takes **"
                + Fmt.ms(j) + " ms** with the default bridge network" + find(files.process(), "jbox2-nonet")
                .map(n -> " (" + Fmt.ms(n) + " ms with `--network none`)").orElse("") + ", most of it the JVM's start"
                + find(files.process(), "jbox-version").map(v -> " (`./jbox --version` takes " + Fmt.ms(v) + " ms)").orElse("")
                + find(files.process(), "runc").map(r -> "; `runc run` takes " + Fmt.ms(r) + " ms").orElse("") + "."));
        memory().ifPresent(lines::add);
        overhead().ifPresent(lines::add);
        network().ifPresent(lines::add);
        return lines;
    }

    /** Which namespaces cost something measurable, and which are lost in the noise of this machine. */
    private String namespaceCosts(Row none) {
        List<String> costs = new ArrayList<>();
        List<String> noise = new ArrayList<>();
        for (NamespaceCosts.Cost c : new NamespaceCosts(files.namespaces).all()) {
            if (!c.namespaces().equals("all")) {
                if (c.measurable()) {
                    costs.add("`" + c.namespaces() + "` " + Fmt.num(c.pooled()) + " ms");
                } else {
                    noise.add("`" + c.namespaces() + "`");
                }
            }
        }
        return "The mount namespace alone, with the root file system and jbox-init, takes " + Fmt.ms(none) + " ms. Over "
                + files.namespaces.rounds() + " interleaved rounds, "
                + (costs.isEmpty() ? "no other namespace on its own adds a measurable cost" : "on its own "
                + String.join(", ", costs) + " more")
                + (noise.isEmpty() ? "" : "; " + String.join(", ", noise) + (noise.size() == 1 ? " is" : " are")
                + " within noise")
                + " (a difference counts as a cost only if that set's median was above `none`'s in every round).";
    }

    Optional<String> memory() {
        if (files.memory == null) {
            return Optional.empty();
        }
        double pss = Tables.medianKiB(files.memory.shims(), ProcMemory::pssKiB);
        double rss = Tables.medianKiB(files.memory.shims(), ProcMemory::rssKiB);
        StringBuilder s = new StringBuilder("Each running container costs jbox one small process, jbox-init's shim: **"
                + Fmt.num(pss) + " KiB PSS** (" + Fmt.num(rss) + " KiB RSS, most of it the static binary's pages, shared)"
                + " with " + files.memory.containers() + " containers running; the JVM does not stay");
        Optional<VmResults.Series> microvm = files.vm == null ? Optional.empty()
                : files.vm.configs().stream().filter(c -> files.medianPssMiB(c).isPresent()).findFirst();
        microvm.ifPresent(c -> s.append(". A VM's QEMU (").append(c.label()).append(", ").append(c.accelerator().toUpperCase())
                .append(") holds **").append(Fmt.num(files.medianPssMiB(c).get())).append(" MiB PSS** when its guest is up: ")
                .append(Fmt.ratio(files.medianPssMiB(c).get() * 1024 / pss)).append(" times the shim"));
        return Optional.of(s + ".");
    }

    Optional<String> overhead() {
        if (files.overhead == null) {
            return Optional.empty();
        }
        Overheads o = new Overheads(files.overhead);
        List<String> parts = new ArrayList<>();
        for (OverheadResults.Environment env : o.others()) {
            List<Double> ratios = o.workloads().stream().map(w -> o.slowdown(env, w.name())).toList();
            parts.add((env.name().equals("jbox") ? "in a jbox container" : "in the " + o.shortName(env))
                    + " the workloads take " + Fmt.ratio(ratios.stream().min(Double::compare).get()) + " to "
                    + Fmt.ratio(ratios.stream().max(Double::compare).get()) + " times their native time");
        }
        return Optional.of("Overhead against native (medians of the rounds, same static program): "
                + String.join("; ", parts) + ".");
    }

    Optional<String> network() {
        if (files.net == null) {
            return Optional.empty();
        }
        Networks n = new Networks(files.net);
        Stats loopMib = n.throughput(n.path(NetResults.LOOPBACK));
        Stats loopRtt = n.roundTrip(n.path(NetResults.LOOPBACK));
        List<String> parts = new ArrayList<>();
        for (NetResults.PathResult p : files.net.paths()) {
            if (!p.name().equals(NetResults.LOOPBACK)) {
                parts.add("`" + p.name() + "` " + Fmt.num(n.throughput(p).median()) + " MiB/s (" + Fmt.ratio(n.throughputRatio(p))
                        + " × loopback) and " + Fmt.num(n.roundTrip(p).median()) + " µs (" + Fmt.ratio(n.roundTripRatio(p)) + " ×)");
            }
        }
        return Optional.of("TCP over the host's loopback moves **" + Fmt.num(loopMib.median()) + " MiB/s** with a **"
                + Fmt.num(loopRtt.median()) + " µs** round trip for one byte; through jbox's network: "
                + String.join("; ", parts) + " (medians of " + files.net.rounds() + " rounds; where a path's range overlaps"
                + " loopback's in the table below, the difference is within this machine's noise).");
    }

    /** How the network was measured, said once for RESULTS.md and the book. */
    Optional<String> networkMethod() {
        if (files.net == null) {
            return Optional.empty();
        }
        String secs = Fmt.num(files.net.seconds());
        return Optional.of("One static C program, `jbox-bench-net`, is client and server on each path: a bulk send of "
                + secs + " s in 128 KiB writes (throughput, counted when the server has acknowledged every byte), then"
                + " 1-byte requests and answers for " + secs + " s (each round's mean round trip). A client in a container is"
                + " a fresh `./jbox run --rm` on the default bridge network; " + files.net.rounds() + " rounds, the paths"
                + " interleaved. Ratios divide medians by host loopback's.");
    }
}
