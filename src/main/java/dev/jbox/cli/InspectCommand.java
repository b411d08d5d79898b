package dev.jbox.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.jbox.cli.format.GoTemplate;
import dev.jbox.cli.format.TemplateException;
import dev.jbox.lifecycle.ContainerRecord;
import dev.jbox.lifecycle.ContainerState;
import dev.jbox.Json;
import dev.jbox.engine.Engine;
import dev.jbox.lifecycle.ProcessTable;
import dev.jbox.network.NetworkStore;
import dev.jbox.network.PortMapping;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "inspect", description = "Print what jbox knows about containers, as JSON.")
final class InspectCommand extends ContainerCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Go's zero time, which Docker prints for a start or end that has not happened. */
    private static final String NEVER = "0001-01-01T00:00:00Z";

    @Option(names = {"-f", "--format"}, paramLabel = "TEMPLATE",
            description = {"Print each container through a Go template, as docker inspect -f does,"
                    + " e.g. '{{.State.Pid}}', '{{.NetworkSettings.IPAddress}}', '{{json .Config}}',"
                    + " '{{range .Config.Env}}{{.}} {{end}}'; 'json' prints the JSON on one line.",
                    "Exit status 64 if the template does not parse, 1 if it fails on a container."})
    String format;

    @Parameters(paramLabel = "CONTAINER", arity = "1..*")
    List<String> names;

    @Override
    public Integer call() throws IOException {
        // parsed before anything is read, so a bad template changes nothing and prints nothing else
        if (format != null && format.isEmpty()) {
            format = null; // as in Docker: an empty template is no template
        }
        GoTemplate template = format == null || format.equals("json") ? null : GoTemplate.parse(format);
        Engine engine = engine();
        List<Map<String, Object>> out = new ArrayList<>();
        for (String name : names) {
            out.add(describe(engine.inspect(engine.find(name))));
        }
        if (format == null) {
            System.out.println(Json.text(out));
        } else if (template == null) {
            System.out.println(JSON.writeValueAsString(out));
        } else {
            print(template, out);
        }
        return 0;
    }

    /**
     * One line per container, as Docker prints them; a container the template fails on is left
     * out and its error ends the command after the others are printed, as in Docker.
     */
    private static void print(GoTemplate template, List<Map<String, Object>> containers) {
        StringBuilder text = new StringBuilder();
        TemplateException failure = null;
        for (Map<String, Object> c : containers) {
            try {
                text.append(template.execute(JSON.valueToTree(c))).append('\n');
            } catch (TemplateException e) {
                failure = failure == null ? e : failure;
            }
        }
        System.out.print(text);
        System.out.flush();
        if (failure != null) {
            throw failure;
        }
    }

    private static Map<String, Object> describe(Engine.Inspection i) {
        ContainerRecord c = i.record();
        ContainerState s = i.state();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Id", c.id());
        m.put("Name", c.name());
        m.put("Created", c.created());
        m.put("Path", c.command().isEmpty() ? "" : c.command().get(0));
        m.put("Args", c.command().isEmpty() ? List.of() : c.command().subList(1, c.command().size()));
        m.put("Image", c.image());
        m.put("State", state(c, s, i.oomKills()));
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("Hostname", c.hostname());
        config.put("Cmd", c.command());
        // As Docker's Config.Env: what the image and -e gave, without the HOSTNAME the engine adds at start.
        config.put("Env", c.env().stream().filter(e -> !e.equals("HOSTNAME=" + c.hostname())).toList());
        config.put("WorkingDir", c.workdir());
        config.put("Tty", c.tty());
        config.put("Init", c.init());
        config.put("AutoRemove", c.autoRemove());
        config.put("Chapter", c.chapter());
        config.put("Image", c.image());
        config.put("Labels", Map.of()); // jbox has no labels; here so that {{index .Config.Labels "k"}} works
        m.put("Config", config);
        Map<String, Object> hostConfig = new LinkedHashMap<>();
        hostConfig.put("NetworkMode", c.networkName());
        hostConfig.put("PortBindings", ports(c.ports()));
        hostConfig.put("CgroupsPath", c.spec() == null ? null : c.spec().linux().cgroupsPath());
        hostConfig.put("Resources", c.spec() == null ? null : c.spec().linux().resources());
        m.put("HostConfig", hostConfig);
        m.put("NetworkSettings", networkSettings(c));
        m.put("Namespaces", i.namespaces());
        m.put("Mounts", i.mounts().stream().map(InspectCommand::mount).toList());
        m.put("LogPath", i.logPath() == null ? "" : i.logPath().toString());
        return m;
    }

    /**
     * Docker's State, with the fields scripts read ({@code {{.State.Pid}}}, {@code {{.State.Status}}}).
     * jbox starts a container as it creates it, so its creation time stands for its start.
     */
    private static Map<String, Object> state(ContainerRecord c, ContainerState s, long oomKills) {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("Status", s.status().name().toLowerCase());
        state.put("Running", s.running());
        state.put("Paused", false);
        state.put("Restarting", false);
        // Docker's OOMKilled: the container ended by the OOM killer (chapter 3; a cgroup counts the kills).
        state.put("OOMKilled", oomKills > 0 && !s.running() && s.exitCode() == 137);
        state.put("OOMKillCount", oomKills);
        state.put("Dead", s.status() == ContainerState.Status.DEAD);
        state.put("Pid", s.running() ? c.pid() : 0);
        state.put("ExitCode", s.exitCode());
        state.put("Error", "");
        state.put("StartedAt", s.status() == ContainerState.Status.CREATED ? NEVER : c.created());
        state.put("FinishedAt", s.finishedAt() == null ? NEVER : s.finishedAt().toString());
        return state;
    }

    /**
     * Docker's shape: {@code Networks} by name with the container's address on it (empty strings
     * once it is unplugged), and {@code Ports}, the published ports while it is plugged in.
     */
    private static Map<String, Object> networkSettings(ContainerRecord c) {
        Map<String, Object> settings = new LinkedHashMap<>();
        Map<String, Object> networks = new LinkedHashMap<>();
        ContainerRecord.NetworkEndpoint e = c.endpoint();
        // Docker's older top-level fields, still in every lab sheet ({{.NetworkSettings.IPAddress}}):
        // filled for the default bridge network only, as Docker fills them
        boolean defaultBridge = e != null && c.networkName().equals(NetworkStore.BRIDGE);
        settings.put("IPAddress", defaultBridge ? e.ipAddress() : "");
        settings.put("IPPrefixLen", defaultBridge ? e.prefixLength() : 0);
        settings.put("Gateway", defaultBridge ? e.gateway() : "");
        Map<String, Object> n = new LinkedHashMap<>();
        n.put("IPAddress", e == null ? "" : e.ipAddress());
        n.put("IPPrefixLen", e == null ? 0 : e.prefixLength());
        n.put("Gateway", e == null ? "" : e.gateway());
        n.put("HostVeth", e == null ? "" : e.hostVeth());
        networks.put(c.networkName(), n);
        settings.put("Networks", networks);
        settings.put("Ports", c.endpoint() == null ? Map.of() : ports(c.ports()));
        return settings;
    }

    /** "127.0.0.1:8080:80/tcp" becomes {"80/tcp": [{"HostIp": "127.0.0.1", "HostPort": "8080"}]}, as Docker shows it. */
    private static Map<String, List<Map<String, String>>> ports(List<String> specs) {
        Map<String, List<Map<String, String>>> ports = new LinkedHashMap<>();
        for (String spec : specs) {
            PortMapping p = PortMapping.parse(spec);
            Map<String, String> binding = new LinkedHashMap<>();
            binding.put("HostIp", p.hostAddress() == null ? "0.0.0.0" : p.hostAddress().getHostAddress());
            binding.put("HostPort", Integer.toString(p.hostPort()));
            ports.computeIfAbsent(p.containerPort() + "/" + p.protocol(), k -> new ArrayList<>()).add(binding);
        }
        return ports;
    }

    private static Map<String, String> mount(ProcessTable.Mount mount) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("Destination", mount.destination());
        m.put("Type", mount.type());
        m.put("Source", mount.source());
        m.put("Options", mount.options());
        return m;
    }
}
