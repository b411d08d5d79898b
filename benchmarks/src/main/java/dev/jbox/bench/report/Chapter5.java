package dev.jbox.bench.report;

import dev.jbox.bench.Stats;
import dev.jbox.bench.registry.RegistryResults;
import dev.jbox.bench.registry.RegistryResults.Transfer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;

/**
 * Chapter 5's tables and findings, from registry.json: jbox's registry server against
 * Distribution, jbox's client against skopeo (whole processes, and jbox's warm for scale), blob
 * GET throughput, simultaneous pulls, the servers' memory. Every caption says the load it was
 * measured under: the median 1-minute load average of its samples.
 */
final class Chapter5 {
    static final String JBOX = "jbox";
    static final String DISTRIBUTION = "distribution";
    static final String SKOPEO = "skopeo";
    static final String WARM = "jbox-warm";
    private static final double MIB = 1 << 20;
    private static final List<String[]> TRANSFERS = List.of(new String[] {"push", "big"}, new String[] {"push", "many"},
            new String[] {"pull", "big"}, new String[] {"pull", "many"});

    private final RegistryResults results;

    Chapter5(ResultFiles files) {
        this.results = files.registry;
    }

    boolean measured() {
        return results != null;
    }

    /** "push 1 × 200 MiB", "pull 20 × 5 MiB". */
    String what(String op, String image) {
        RegistryResults.Setup s = results.setup();
        return op + " " + (image.equals("big") ? "1 × " + mibs(s.bigBytes()) : s.manyLayers() + " × "
                + mibs(s.manyBytes() / s.manyLayers())) + " MiB";
    }

    /** A layer's size in MiB as the options gave it: the tar header and gzip framing add a few KiB. */
    private static String mibs(long bytes) {
        return Long.toString(Math.round(bytes / MIB));
    }

    private static String clientLabel(String client) {
        return switch (client) {
            case JBOX -> "`jbox` (process)";
            case WARM -> "jbox, warm (in a JVM)";
            default -> "`skopeo copy`";
        };
    }

    private List<Transfer> transfers(String op, String image, String client, String server) {
        return results.transfers().stream().filter(t -> t.op().equals(op) && t.image().equals(image) && t.client().equals(client)
                && t.server().equals(server)).toList();
    }

    private static double median(List<Transfer> ts, ToDoubleFunction<Transfer> f) {
        return Stats.of(ts.stream().map(f::applyAsDouble).toList()).median();
    }

    private static double loadOf(List<Double> loads) {
        return loads.isEmpty() ? 0 : Stats.of(loads).median();
    }

    private String load(Predicate<Transfer> which) {
        return Fmt.num(loadOf(results.transfers().stream().filter(which).map(Transfer::load1).toList()));
    }

    /** The 2 × 2 grid by server: each client's time against jbox's server and against Distribution. */
    Table servers() {
        Table t = new Table("Servers: each push and pull against jbox's server and against Distribution, wall time of the client's"
                + " whole process, median of " + rounds() + " rounds (fresh servers each round), and the server's CPU time during it;"
                + " median load average " + (results == null ? "" : load(x -> !x.client().equals(WARM))),
                "llrrrrr", "transfer", "client", "jbox server s", "Distribution s", "× Distribution", "jbox server CPU s",
                "Distribution CPU s");
        if (results == null) {
            return t;
        }
        for (String[] tr : TRANSFERS) {
            for (String client : List.of(JBOX, SKOPEO, WARM)) {
                List<Transfer> j = transfers(tr[0], tr[1], client, JBOX), d = transfers(tr[0], tr[1], client, DISTRIBUTION);
                if (j.isEmpty() || d.isEmpty()) {
                    continue;
                }
                double js = median(j, Transfer::seconds), ds = median(d, Transfer::seconds);
                t.row(what(tr[0], tr[1]), clientLabel(client), Fmt.num(js), Fmt.num(ds), Fmt.ratio(js / ds),
                        Fmt.num(median(j, Transfer::serverCpuSeconds)), Fmt.num(median(d, Transfer::serverCpuSeconds)));
            }
        }
        return t;
    }

    /** The clients side by side on each server: jbox's process, and warm, against skopeo. */
    Table clients() {
        Table t = new Table("Clients: `jbox push|pull` and `skopeo copy`, whole processes, and jbox's client warm in a JVM (no start,"
                + " JIT done) for scale; wall time and the client's CPU time (user + system), medians", "llrrrrrr", "transfer",
                "server", "jbox s", "skopeo s", "jbox × skopeo", "jbox CPU s", "skopeo CPU s", "warm jbox s");
        if (results == null) {
            return t;
        }
        for (String[] tr : TRANSFERS) {
            for (String server : List.of(JBOX, DISTRIBUTION)) {
                List<Transfer> j = transfers(tr[0], tr[1], JBOX, server), s = transfers(tr[0], tr[1], SKOPEO, server),
                        w = transfers(tr[0], tr[1], WARM, server);
                if (j.isEmpty() || s.isEmpty()) {
                    continue;
                }
                double js = median(j, Transfer::seconds), ss = median(s, Transfer::seconds);
                t.row(what(tr[0], tr[1]), server.equals(JBOX) ? "jbox" : "Distribution", Fmt.num(js), Fmt.num(ss),
                        Fmt.ratio(js / ss), Fmt.num(median(j, Transfer::cpuSeconds)), Fmt.num(median(s, Transfer::cpuSeconds)),
                        w.isEmpty() ? "-" : Fmt.num(median(w, Transfer::seconds)));
            }
        }
        return t;
    }

    /** The least a client process costs. */
    Table floors() {
        Table t = new Table("What starting the client costs: `./jbox push --help` (the launcher, a JVM with push's JIT flags, the CLI)"
                + " and `skopeo --version`, whole process" + (results == null ? "" : "; median load average "
                + Fmt.num(loadOf(results.floors().stream().map(RegistryResults.Floor::load1).toList()))), "lrrr", "command",
                "median s", "CPU s", "runs");
        if (results == null) {
            return t;
        }
        for (String client : List.of(JBOX, SKOPEO)) {
            List<RegistryResults.Floor> f = results.floors().stream().filter(x -> x.client().equals(client)).toList();
            if (!f.isEmpty()) {
                t.row(client.equals(JBOX) ? "`./jbox push --help`" : "`skopeo --version`",
                        Fmt.num(Stats.of(f.stream().map(RegistryResults.Floor::seconds).toList()).median()),
                        Fmt.num(Stats.of(f.stream().map(RegistryResults.Floor::cpuSeconds).toList()).median()), Integer.toString(f.size()));
            }
        }
        return t;
    }

    /** One big blob fetched with curl. */
    Table blobGet() {
        Table t = new Table("Blob GET: `curl -o /dev/null` of the " + (results == null ? "" : mibs(results.setup().bigBytes())
                + " MiB ") + "layer from each server, alternating" + (results == null ? "" : "; median load average "
                + Fmt.num(loadOf(results.blobGets().stream().map(RegistryResults.BlobGet::load1).toList()))), "lrrrr", "server",
                "median MB/s", "range MB/s", "server CPU s", "GETs");
        if (results == null) {
            return t;
        }
        for (String server : List.of(JBOX, DISTRIBUTION)) {
            List<RegistryResults.BlobGet> g = results.blobGets().stream().filter(x -> x.server().equals(server)).toList();
            if (g.isEmpty()) {
                continue;
            }
            Stats rate = Stats.of(g.stream().map(x -> x.bytes() / 1e6 / x.seconds()).toList());
            t.row(server.equals(JBOX) ? "jbox" : "Distribution", Fmt.num(rate.median()), Fmt.range(rate.min(), rate.max()),
                    Fmt.num(Stats.of(g.stream().map(RegistryResults.BlobGet::serverCpuSeconds).toList()).median()),
                    Integer.toString(g.size()));
        }
        return t;
    }

    /** All latencies of one server's simultaneous pulls. */
    List<Double> concurrentMs(String server) {
        List<Double> ms = new ArrayList<>();
        results.concurrent().stream().filter(c -> c.server().equals(server)).forEach(c -> ms.addAll(c.ms()));
        return ms;
    }

    Table concurrent() {
        Table t = new Table((results == null ? "N" : Integer.toString(results.setup().clients())) + " simultaneous pulls of a small"
                + " image (manifest, config, one " + (results == null ? "" : Fmt.num(results.setup().tinyBytes() / 1024.0) + " KiB ")
                + "layer; a connection each), latency from the first request to the last byte" + (results == null ? ""
                : "; median load average " + Fmt.num(loadOf(results.concurrent().stream().map(RegistryResults.Concurrent::load1)
                .toList()))), "lrrrr", "server", "p50 ms", "p99 ms", "max ms", "pulls");
        if (results == null) {
            return t;
        }
        for (String server : List.of(JBOX, DISTRIBUTION)) {
            List<Double> ms = concurrentMs(server);
            if (!ms.isEmpty()) {
                Stats s = Stats.of(ms);
                t.row(server.equals(JBOX) ? "jbox" : "Distribution", Fmt.num(s.median()), Fmt.num(p99(ms)), Fmt.num(s.max()),
                        Integer.toString(ms.size()));
            }
        }
        return t;
    }

    /** The 99th percentile, interpolated between ranks as {@link Stats} does. */
    static double p99(List<Double> samples) {
        List<Double> sorted = samples.stream().sorted().toList();
        double h = 0.99 * (sorted.size() - 1);
        int below = (int) Math.floor(h);
        double lower = sorted.get(below), upper = sorted.get(Math.min(below + 1, sorted.size() - 1));
        return lower + (h - below) * (upper - lower);
    }

    Table memory() {
        Table t = new Table("The servers' memory (RSS from /proc/PID/status, MiB, medians over rounds): after the start, the peak"
                + " during a push of the " + (results == null ? "big" : mibs(results.setup().bigBytes()) + " MiB")
                + " layer (VmHWM, reset before it), right after it, and at the end of the round", "lrrrr", "server", "after start",
                "peak in the big push", "after it", "end of round");
        if (results == null) {
            return t;
        }
        for (String server : List.of(JBOX, DISTRIBUTION)) {
            List<RegistryResults.Memory> m = results.memory().stream().filter(x -> x.server().equals(server)).toList();
            List<Transfer> big = results.transfers().stream().filter(x -> x.op().equals("push") && x.image().equals("big")
                    && x.server().equals(server)).toList();
            if (m.isEmpty() || big.isEmpty()) {
                continue;
            }
            t.row(server.equals(JBOX) ? "jbox" : "Distribution",
                    mib(Stats.of(m.stream().map(x -> (double) x.afterStartKiB()).toList()).median()),
                    mib(median(big, x -> x.serverPeakKiB())), mib(median(big, x -> x.serverAfterKiB())),
                    mib(Stats.of(m.stream().map(x -> (double) x.endKiB()).toList()).median()));
        }
        return t;
    }

    private static String mib(double kib) {
        return Fmt.num(kib / 1024);
    }

    int rounds() {
        return results == null ? 0 : results.setup().rounds();
    }

    /** The chart: each transfer's median by client and server. */
    List<RegistryChart.Bar> chartBars() {
        List<RegistryChart.Bar> bars = new ArrayList<>();
        for (String[] tr : TRANSFERS) {
            for (String client : List.of(JBOX, SKOPEO, WARM)) {
                for (String server : List.of(JBOX, DISTRIBUTION)) {
                    List<Transfer> ts = transfers(tr[0], tr[1], client, server);
                    if (!ts.isEmpty()) {
                        bars.add(new RegistryChart.Bar(what(tr[0], tr[1]) + ", " + (client.equals(WARM) ? "jbox warm" : client),
                                server.equals(JBOX) ? "jbox registry serve" : "Distribution", median(ts, Transfer::seconds)));
                    }
                }
            }
        }
        return bars;
    }

    /** The findings in sentences. */
    List<String> findings() {
        List<String> lines = new ArrayList<>();
        if (results == null) {
            return lines;
        }
        List<String> worse = new ArrayList<>(), fine = new ArrayList<>();
        for (String[] tr : TRANSFERS) {
            for (String client : List.of(JBOX, SKOPEO)) {
                List<Transfer> j = transfers(tr[0], tr[1], client, JBOX), d = transfers(tr[0], tr[1], client, DISTRIBUTION);
                if (!j.isEmpty() && !d.isEmpty()) {
                    double r = median(j, Transfer::seconds) / median(d, Transfer::seconds);
                    // A slower figure shows its rounds' spread: under load one slow round moves a median of few.
                    (r > 1.1 ? worse : fine).add(what(tr[0], tr[1]) + " with " + client + " " + Fmt.ratio(r) + (r > 1.1
                            ? " (rounds " + range(j) + " s against " + range(d) + " s)" : ""));
                }
            }
        }
        lines.add("Server against server (time with jbox's server ÷ time with Distribution, same client, medians of " + rounds()
                + " rounds under a median load average of " + load(x -> true) + " on 2 cores): " + String.join("; ", fine)
                + (worse.isEmpty() ? "" : "; **slower by more than 10 %**: " + String.join("; ", worse)) + ".");
        List<String> client = new ArrayList<>();
        for (String[] tr : TRANSFERS) {
            List<Transfer> j = new ArrayList<>(), s = new ArrayList<>(), w = new ArrayList<>();
            for (String server : List.of(JBOX, DISTRIBUTION)) {
                j.addAll(transfers(tr[0], tr[1], JBOX, server));
                s.addAll(transfers(tr[0], tr[1], SKOPEO, server));
                w.addAll(transfers(tr[0], tr[1], WARM, server));
            }
            if (!j.isEmpty() && !s.isEmpty()) {
                client.add(String.format(Locale.ROOT, "%s %s s against %s s (%s times%s)", what(tr[0], tr[1]),
                        Fmt.num(median(j, Transfer::seconds)), Fmt.num(median(s, Transfer::seconds)),
                        Fmt.ratio(median(j, Transfer::seconds) / median(s, Transfer::seconds)),
                        w.isEmpty() ? "" : "; warm " + Fmt.num(median(w, Transfer::seconds)) + " s"));
            }
        }
        lines.add("Client against client, both servers pooled: `jbox push|pull` as a process against `skopeo copy`: "
                + String.join("; ", client) + ". A jbox command is a JVM: `./jbox push --help` alone takes "
                + floorText(JBOX) + ", `skopeo --version` " + floorText(SKOPEO) + ".");
        Stats gj = rates(JBOX), gd = rates(DISTRIBUTION);
        if (gj != null && gd != null) {
            lines.add("A blob GET of the " + mibs(results.setup().bigBytes()) + " MiB layer with curl: **" + Fmt.num(gj.median())
                    + " MB/s** from jbox's server, " + Fmt.num(gd.median()) + " MB/s from Distribution (medians).");
        }
        List<Double> cj = concurrentMs(JBOX), cd = concurrentMs(DISTRIBUTION);
        if (!cj.isEmpty() && !cd.isEmpty()) {
            lines.add(results.setup().clients() + " simultaneous pulls of a small image: p50 **" + Fmt.num(Stats.of(cj).median())
                    + " ms**, p99 " + Fmt.num(p99(cj)) + " ms from jbox's server; p50 " + Fmt.num(Stats.of(cd).median()) + " ms, p99 "
                    + Fmt.num(p99(cd)) + " ms from Distribution.");
        }
        List<RegistryResults.Memory> mj = results.memory().stream().filter(x -> x.server().equals(JBOX)).toList(),
                md = results.memory().stream().filter(x -> x.server().equals(DISTRIBUTION)).toList();
        if (!mj.isEmpty() && !md.isEmpty()) {
            List<Transfer> bj = results.transfers().stream().filter(x -> x.op().equals("push") && x.image().equals("big")
                    && x.server().equals(JBOX)).toList(), bd = results.transfers().stream().filter(x -> x.op().equals("push")
                    && x.image().equals("big") && x.server().equals(DISTRIBUTION)).toList();
            lines.add("Memory: jbox's server, a JVM, holds **" + mib(Stats.of(mj.stream().map(x -> (double) x.afterStartKiB()).toList())
                    .median()) + " MiB** after its start and peaks at " + mib(median(bj, x -> x.serverPeakKiB())) + " MiB during a push of"
                    + " the big layer; Distribution holds " + mib(Stats.of(md.stream().map(x -> (double) x.afterStartKiB()).toList())
                    .median()) + " MiB and peaks at " + mib(median(bd, x -> x.serverPeakKiB())) + " MiB.");
        }
        lines.add("Load: " + Fmt.load(results.loadAtStart()) + " at the start of the piece, " + Fmt.load(results.loadAtEnd())
                + " at its end.");
        return lines;
    }

    private static String range(List<Transfer> ts) {
        Stats s = Stats.of(ts.stream().map(Transfer::seconds).toList());
        return Fmt.range(s.min(), s.max());
    }

    private String floorText(String client) {
        List<RegistryResults.Floor> f = results.floors().stream().filter(x -> x.client().equals(client)).toList();
        return f.isEmpty() ? "(not measured)" : Fmt.num(Stats.of(f.stream().map(RegistryResults.Floor::seconds).toList()).median())
                + " s (" + Fmt.num(Stats.of(f.stream().map(RegistryResults.Floor::cpuSeconds).toList()).median()) + " s of CPU)";
    }

    private Stats rates(String server) {
        List<Double> r = results.blobGets().stream().filter(x -> x.server().equals(server)).map(x -> x.bytes() / 1e6 / x.seconds())
                .toList();
        return r.isEmpty() ? null : Stats.of(r);
    }
}
