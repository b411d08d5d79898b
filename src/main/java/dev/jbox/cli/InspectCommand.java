package dev.jbox.cli;

import dev.jbox.Json;
import dev.jbox.engine.Engine;
import dev.jbox.lifecycle.ContainerRecord;
import dev.jbox.lifecycle.ContainerState;
import dev.jbox.lifecycle.ProcessTable;
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
import picocli.CommandLine.Parameters;

@Command(name = "inspect", description = "Print what jbox knows about containers, as JSON.")
final class InspectCommand extends ContainerCommand implements Callable<Integer> {
    @Parameters(paramLabel = "CONTAINER", arity = "1..*")
    List<String> names;

    @Override
    public Integer call() throws IOException {
        Engine engine = engine();
        List<Map<String, Object>> out = new ArrayList<>();
        for (String name : names) {
            out.add(describe(engine.inspect(engine.find(name))));
        }
        System.out.println(Json.text(out));
        return 0;
    }

    private static Map<String, Object> describe(Engine.Inspection i) {
        ContainerRecord c = i.record();
        ContainerState s = i.state();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Id", c.id());
        m.put("Name", c.name());
        m.put("Created", c.created());
        m.put("Image", c.image());
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("Status", s.status().name().toLowerCase());
        state.put("Running", s.running());
        state.put("Pid", s.running() ? c.pid() : 0);
        state.put("ExitCode", s.exitCode());
        state.put("FinishedAt", s.finishedAt() == null ? null : s.finishedAt().toString());
        // Docker's OOMKilled: the container was ended by the OOM killer (a kill of one of its processes counts too).
        state.put("OOMKilled", i.oomKills() > 0 && !s.running() && s.exitCode() == 137);
        state.put("OOMKillCount", i.oomKills());
        m.put("State", state);
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("Hostname", c.hostname());
        config.put("Cmd", c.command());
        config.put("Env", c.env());
        config.put("WorkingDir", c.workdir());
        config.put("Tty", c.tty());
        config.put("Init", c.init());
        config.put("AutoRemove", c.autoRemove());
        config.put("Chapter", c.chapter());
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
        m.put("LogPath", i.logPath() == null ? null : i.logPath().toString());
        return m;
    }

    /**
     * Docker's shape: {@code Networks} by name with the container's address on it (empty strings
     * once it is unplugged), and {@code Ports}, the published ports while it is plugged in.
     */
    private static Map<String, Object> networkSettings(ContainerRecord c) {
        Map<String, Object> settings = new LinkedHashMap<>();
        Map<String, Object> networks = new LinkedHashMap<>();
        ContainerRecord.NetworkEndpoint e = c.endpoint();
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
