package dev.jbox.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jbox.cli.format.GoValues;
import dev.jbox.cli.format.HumanDuration;
import dev.jbox.cli.format.ListFormat;
import dev.jbox.lifecycle.ContainerRecord;
import dev.jbox.lifecycle.ContainerState;
import dev.jbox.engine.Engine;
import dev.jbox.network.PortMapping;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "ps", description = "List containers (running ones unless -a).")
final class PsCommand extends ContainerCommand implements Callable<Integer> {
    /** Docker's default table. */
    static final String DEFAULT_FORMAT = "table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.RunningFor}}\t{{.Status}}\t{{.Ports}}\t{{.Names}}";

    /** Each field's name in the header row of a table, as Docker names it. */
    private static final Map<String, String> HEADERS = Map.ofEntries(Map.entry("ID", "CONTAINER ID"),
            Map.entry("Names", "NAMES"), Map.entry("Image", "IMAGE"), Map.entry("Command", "COMMAND"),
            Map.entry("CreatedAt", "CREATED AT"), Map.entry("RunningFor", "CREATED"), Map.entry("Ports", "PORTS"),
            Map.entry("State", "STATE"), Map.entry("Status", "STATUS"), Map.entry("Size", "SIZE"),
            Map.entry("Labels", "LABELS"), Map.entry("Mounts", "MOUNTS"), Map.entry("LocalVolumes", "LOCAL VOLUMES"),
            Map.entry("Networks", "NETWORKS"));

    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = {"-a", "--all"}, description = "Show all containers, not only running ones.")
    boolean all;

    @Option(names = {"-q", "--quiet"}, description = "Only print ids.")
    boolean quiet;

    @Option(names = "--format", paramLabel = "TEMPLATE",
            description = {"Print each container through a Go template, as docker ps --format does: 'table' and a"
                    + " template for columns with a header, 'json' for one JSON object a line, or a template alone,"
                    + " e.g. 'table {{.ID}}\\t{{.Names}}\\t{{.Status}}'.",
                    "Fields: .ID .Image .Command .CreatedAt .RunningFor .Ports .State .Status .Names .Labels .Mounts"
                            + " .LocalVolumes .Networks"})
    String format;

    @Option(names = "--no-trunc", description = "Don't truncate: full ids and commands.")
    boolean noTrunc;

    @Override
    public Integer call() {
        String f = format == null ? DEFAULT_FORMAT : format;
        if (quiet) {
            if (format != null && !format.isEmpty()) {
                System.err.println("WARNING: Ignoring custom format, because both --format and --quiet are set.");
            }
            f = "{{.ID}}";
        }
        ListFormat list = ListFormat.parse(f, DEFAULT_FORMAT); // a bad template fails before anything is read
        Engine engine = engine();
        List<JsonNode> rows = new ArrayList<>();
        List<ContainerRecord> newestFirst = new ArrayList<>(engine.list());
        Collections.reverse(newestFirst); // as Docker lists them
        for (ContainerRecord c : newestFirst) {
            ContainerState s = engine.state(c);
            if (all || s.running()) {
                rows.add(JSON.valueToTree(row(c, s, !noTrunc)));
            }
        }
        System.out.print(list.render(rows, JSON.valueToTree(HEADERS)));
        return 0;
    }

    /** What Docker's ps template sees of a container, with the same names (sorted, as its JSON prints them). */
    private static Map<String, Object> row(ContainerRecord c, ContainerState s, boolean trunc) {
        Instant created = Instant.parse(c.created());
        Map<String, Object> row = new TreeMap<>();
        row.put("ID", trunc ? c.shortId() : c.id());
        row.put("Image", c.image());
        row.put("Command", command(c.command(), trunc));
        row.put("CreatedAt", DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss Z z")
                .format(created.atZone(ZoneId.systemDefault())));
        row.put("RunningFor", HumanDuration.of(Duration.between(created, Instant.now())) + " ago");
        row.put("Ports", c.endpoint() == null ? "" : ports(c.ports()));
        row.put("State", s.status().name().toLowerCase());
        row.put("Status", status(s, created));
        row.put("Names", c.name());
        row.put("Labels", "");
        row.put("Mounts", "");
        row.put("LocalVolumes", "0");
        row.put("Networks", c.networkName());
        return row;
    }

    /** Docker's wording: "Up 5 seconds", "Exited (0) 3 minutes ago". jbox starts a container as it creates it. */
    static String status(ContainerState s, Instant started) {
        return switch (s.status()) {
            case RUNNING -> "Up " + HumanDuration.of(Duration.between(started, Instant.now()));
            case EXITED -> "Exited (" + s.exitCode() + ")"
                    + (s.finishedAt() == null ? "" : " " + HumanDuration.of(Duration.between(s.finishedAt(), Instant.now())) + " ago");
            case CREATED -> "Created";
            case DEAD -> "Dead";
        };
    }

    /**
     * The command as Docker's ps shows it: arguments with a space in single quotes, cut to 20
     * characters with an ellipsis unless --no-trunc, the whole in Go's double quotes.
     */
    static String command(List<String> argv, boolean trunc) {
        List<String> words = new ArrayList<>();
        for (String a : argv) {
            words.add(a.contains(" ") ? "'" + a + "'" : a);
        }
        String cmd = String.join(" ", words);
        if (trunc && cmd.codePointCount(0, cmd.length()) > 20) {
            cmd = cmd.substring(0, cmd.offsetByCodePoints(0, 19)) + "…";
        }
        return GoValues.quote(cmd);
    }

    /**
     * Docker's PORTS column: "0.0.0.0:8080->80/tcp"; ports published on the same number on both
     * sides and next to each other are grouped ("0.0.0.0:80-81->80-81/tcp").
     */
    static String ports(List<String> specs) {
        List<PortMapping> mappings = new ArrayList<>();
        for (String spec : specs) {
            mappings.add(PortMapping.parse(spec));
        }
        mappings.sort(Comparator.comparingInt(PortMapping::containerPort).thenComparing(PsCommand::hostIp)
                .thenComparingInt(PortMapping::hostPort).thenComparing(PortMapping::protocol));
        // as Docker's DisplayablePorts: one open group per address and protocol, closed by a gap
        Map<String, int[]> open = new HashMap<>();
        List<String> keys = new ArrayList<>();
        List<String> result = new ArrayList<>();
        List<String> moved = new ArrayList<>();
        for (PortMapping p : mappings) {
            int port = p.containerPort();
            if (p.hostPort() != port) {
                moved.add(hostIp(p) + ":" + p.hostPort() + "->" + port + "/" + p.protocol());
                continue;
            }
            String key = hostIp(p) + "/" + p.protocol();
            int[] g = open.get(key);
            if (g == null) {
                keys.add(key);
            } else if (port == g[1] + 1) {
                g[1] = port;
                continue;
            } else {
                result.add(group(key, g[0], g[1]));
            }
            open.put(key, new int[] {port, port});
        }
        for (String key : keys) {
            result.add(group(key, open.get(key)[0], open.get(key)[1]));
        }
        result.addAll(moved);
        return String.join(", ", result);
    }

    private static String group(String key, int first, int last) {
        String range = first == last ? Integer.toString(first) : first + "-" + last;
        int slash = key.lastIndexOf('/');
        return key.substring(0, slash) + ":" + range + "->" + range + key.substring(slash);
    }

    private static String hostIp(PortMapping p) {
        return p.hostAddress() == null ? "0.0.0.0" : p.hostAddress().getHostAddress();
    }
}
