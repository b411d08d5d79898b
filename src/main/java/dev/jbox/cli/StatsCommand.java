package dev.jbox.cli;

import dev.jbox.engine.Engine;
import dev.jbox.lifecycle.ContainerRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "stats", description = "A live table of running containers' CPU, memory, pids, network and block IO"
        + " (chapter 3: read from their cgroups).")
final class StatsCommand extends ContainerCommand implements Callable<Integer> {
    @Option(names = "--no-stream", description = "Print one table and exit.")
    boolean noStream;

    @Option(names = "--format", paramLabel = "TEMPLATE",
            description = "Print each row with a template: {{.ID}} {{.Name}} {{.CPUPerc}} {{.MemUsage}} {{.MemPerc}}"
                    + " {{.NetIO}} {{.BlockIO}} {{.PIDs}}.")
    String format;

    @Parameters(paramLabel = "CONTAINER", arity = "0..*", description = "Containers to show (default: every running one).")
    List<String> names = new ArrayList<>();

    private static final String TABLE = "%-14s%-20s%-9s%-22s%-8s%-20s%-20s%s%n";

    @Override
    public Integer call() throws InterruptedException {
        Engine engine = engine();
        Map<String, Engine.Usage> before = sample(engine);
        long t0 = System.nanoTime();
        while (true) {
            Thread.sleep(noStream ? 500 : 1000); // CPU % needs two samples
            Map<String, Engine.Usage> now = sample(engine);
            long elapsed = System.nanoTime() - t0;
            if (!noStream && format == null) {
                System.out.print("\033[2J\033[H"); // refresh in place, as docker stats does
            }
            if (format == null) {
                System.out.printf(TABLE, "CONTAINER ID", "NAME", "CPU %", "MEM USAGE / LIMIT", "MEM %", "NET I/O",
                        "BLOCK I/O", "PIDS");
            }
            for (Engine.Usage u : now.values()) {
                Map<String, String> row = row(u, before.get(u.record().id()), elapsed);
                if (format != null) {
                    String line = format;
                    for (var e : row.entrySet()) {
                        line = line.replace("{{." + e.getKey() + "}}", e.getValue());
                    }
                    System.out.println(line.replace("\\t", "\t"));
                } else {
                    System.out.printf(TABLE, row.values().toArray());
                }
            }
            System.out.flush();
            if (noStream) {
                return 0;
            }
            before = now;
            t0 = System.nanoTime();
        }
    }

    private Map<String, Engine.Usage> sample(Engine engine) {
        Map<String, Engine.Usage> out = new LinkedHashMap<>();
        List<ContainerRecord> chosen = names.isEmpty()
                ? engine.list().stream().filter(c -> engine.state(c).running() && c.spec() != null && c.spec().linux().cgroupsPath() != null).toList()
                : names.stream().map(engine::find).toList();
        for (ContainerRecord c : chosen) {
            if (engine.state(c).running()) {
                out.put(c.id(), engine.usage(c));
            }
        }
        return out;
    }

    private static Map<String, String> row(Engine.Usage u, Engine.Usage before, long elapsedNanos) {
        var s = u.cgroup();
        double cpu = before == null ? 0 : s.cpuPercentSince(before.cgroup(), elapsedNanos);
        long limit = s.memoryLimit();
        Map<String, String> row = new LinkedHashMap<>();
        row.put("ID", u.record().shortId());
        row.put("Name", u.record().name());
        row.put("CPUPerc", String.format(Locale.ROOT, "%.2f%%", cpu));
        row.put("MemUsage", bytes(s.memoryWorkingSet()) + " / " + (limit > 0 ? bytes(limit) : "unlimited"));
        row.put("MemPerc", limit > 0 ? String.format(Locale.ROOT, "%.2f%%", 100.0 * s.memoryWorkingSet() / limit) : "--");
        row.put("NetIO", bytes(u.netRxBytes()) + " / " + bytes(u.netTxBytes()));
        row.put("BlockIO", bytes(s.blockReadBytes()) + " / " + bytes(s.blockWriteBytes()));
        row.put("PIDs", Long.toString(s.pidsCurrent()));
        return row;
    }

    /** Docker's units: 1.5MiB, 512KiB, 20B. */
    static String bytes(long n) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        double v = n;
        int i = 0;
        while (v >= 1024 && i < units.length - 1) {
            v /= 1024;
            i++;
        }
        return i == 0 ? n + "B" : String.format(Locale.ROOT, "%.2f%s", v, units[i]);
    }
}
