package dev.jbox.bench.report;

import static dev.jbox.bench.report.Tables.find;
import static dev.jbox.bench.report.Tables.jboxRun;

import dev.jbox.bench.ProcMemory;
import dev.jbox.bench.Stats;
import dev.jbox.bench.docker.DockerPeer;
import dev.jbox.bench.net.NetResults;
import dev.jbox.bench.process.ProcessResults;
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
        String accel = files.vm.accelerator().toUpperCase(java.util.Locale.ROOT);
        StringBuilder s = new StringBuilder("The fastest VM here (" + fastest.label() + ") boots to its init in **"
                + Fmt.ms(fastest) + " ms** under " + accel);
        List<String> ratios = new ArrayList<>();
        jboxRun(files.process()).ifPresent(j -> ratios.add(Fmt.times(fastest, j) + " a whole `jbox run`"));
        find(files.chapter2(), "all").or(() -> find(files.engine(), "chapter1Jail")).ifPresent(c -> ratios.add(
                Fmt.times(fastest, c) + (c.group() == Row.Group.CHAPTER2 ? " a chapter-2" : " a chapter-1")
                        + " container in a warm engine"));
        if (!ratios.isEmpty()) {
            s.append(": ").append(String.join(", ", ratios)).append(" (").append(accel).append(" ratios")
                    .append(Overheads.emulated(files.vm.accelerator()) ? ": QEMU emulates every guest instruction, so they"
                            + " measure the emulator, not virtualisation)" : ")");
        }
        return Optional.of(s + ".");
    }

    /** Chapter 2: against Docker both ways, what each namespace costs, memory, overhead, network. */
    List<String> chapter2() {
        List<String> lines = new ArrayList<>();
        List<Row> ch2 = files.chapter2();
        find(ch2, "all").ifPresent(a -> {
            lines.add(warmAgainstWarm(a));
            find(files.engine(), "chapter1Jail").ifPresent(jail -> lines.add("From the same warm engine, the"
                    + " chapter-1 jail takes " + Fmt.ms(jail) + " ms: the namespaces, the new root, the pivot and"
                    + " jbox-init's two processes make a chapter-2 start " + Fmt.times(a, jail) + " as long."));
        });
        wholeAgainstWhole().ifPresent(lines::add);
        find(ch2, NamespaceCosts.BASE).ifPresent(none -> lines.add(namespaceCosts(none)));
        memory().ifPresent(lines::add);
        overhead().ifPresent(lines::add);
        network().ifPresent(lines::add);
        return lines;
    }

    /**
     * The headline, first way: an engine that is already running starts a container. jbox's engine
     * in a JVM against Docker's daemon through its API; neither pays for a process start of its own.
     */
    private String warmAgainstWarm(Row jbox) {
        StringBuilder s = new StringBuilder("**Warm engine against warm engine**: a chapter-2 container (`/bin/true` in"
                + " new mount, PID, UTS, IPC, network and cgroup namespaces, loopback only) starts and exits in **"
                + Fmt.ms(jbox) + " ms** in jbox's running engine");
        Optional<Row> docker = find(files.warmPeers(), DockerPeer.API);
        if (docker.isPresent()) {
            s.append("; Docker's running daemon takes **").append(Fmt.ms(docker.get())).append(" ms** for the same through"
                    + " its API (create, start, wait, `--network none`): ").append(asLongAs(jbox, "jbox's warm start", docker.get(),
                    "Docker's")).append(". Docker does more for each container: an overlay2 layer, a cgroup, a record on"
                    + " disk, containerd's shim and runc");
        } else {
            missing(DockerPeer.API).ifPresent(m -> s.append("; Docker's warm path was not measured: ").append(m.reason()));
        }
        return s + ".";
    }

    /** The headline, second way: the commands a user types, each a whole process. */
    private Optional<String> wholeAgainstWhole() {
        Optional<Row> jbox = find(files.process(), "jbox2");
        if (jbox.isEmpty()) {
            return Optional.empty();
        }
        StringBuilder s = new StringBuilder("**Whole process against whole process**: `./jbox run --rm busybox true` takes **"
                + Fmt.ms(jbox.get()) + " ms** with the default bridge network");
        Optional<Row> docker = find(files.process(), DockerPeer.RUN);
        if (docker.isPresent()) {
            s.append(" and `docker run --rm busybox:local true` **").append(Fmt.ms(docker.get())).append(" ms**: ")
                    .append(asLongAs(jbox.get(), "jbox", docker.get(), "Docker"));
            find(files.process(), "jbox2-nonet").ifPresent(jn -> find(files.process(), DockerPeer.RUN_NONET).ifPresent(dn ->
                    s.append(" (with `--network none` ").append(Fmt.ms(jn)).append(" ms against ").append(Fmt.ms(dn))
                            .append(" ms, ").append(Fmt.times(jn, dn)).append(")")));
        } else {
            missing(DockerPeer.RUN).ifPresent(m -> s.append("; `docker run` was not measured: ").append(m.reason()));
        }
        find(files.process(), "jbox-version").ifPresent(v -> s.append(". Most of jbox's time is its JVM's start (`./jbox"
                + " --version` takes ").append(Fmt.ms(v)).append(" ms)"));
        List<String> oci = new ArrayList<>();
        find(files.process(), "crun").ifPresent(c -> oci.add("`crun run` " + Fmt.ms(c) + " ms"));
        find(files.process(), "runc").ifPresent(r -> oci.add("`runc run` " + Fmt.ms(r) + " ms"));
        if (!oci.isEmpty()) {
            s.append(". The OCI runtimes alone, which keep no record and set up no bridge, take ").append(String.join(" and ", oci));
        }
        return Optional.of(s + ".");
    }

    /** "jbox takes **2.30 times** as long as Docker", said of whichever is slower, so the ratio is at least 1. */
    private static String asLongAs(Row a, String aName, Row b, String bName) {
        boolean aSlower = a.stats().median() >= b.stats().median();
        return (aSlower ? aName : bName) + " takes **" + Fmt.times(aSlower ? a : b, aSlower ? b : a) + "** as long as "
                + (aSlower ? bName : aName);
    }

    private Optional<ProcessResults.Missing> missing(String name) {
        return files.notMeasured().stream().filter(m -> m.name().equals(name)).findFirst();
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
                .append(Fmt.ratio(files.medianPssMiB(c).get() * 1024 / pss)).append(" times the shim (")
                .append(c.accelerator().toUpperCase()).append(Overheads.emulated(c.accelerator())
                        ? ", which includes QEMU's translation cache)" : ")"));
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
