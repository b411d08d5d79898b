package dev.jbox.cli;

import dev.jbox.Json;
import dev.jbox.lifecycle.ContainerRecord;
import dev.jbox.network.NetworkStore;
import dev.jbox.network.NetworkDefinition;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "inspect", description = "Print what jbox knows about networks, as JSON.")
final class NetworkInspectCommand implements Callable<Integer> {
    @ParentCommand
    NetworkCommand parent;

    @Parameters(paramLabel = "NETWORK", arity = "1..*")
    List<String> names;

    @Override
    public Integer call() throws IOException {
        Map<String, ContainerRecord> containers = parent.containersById();
        List<Map<String, Object>> out = new ArrayList<>();
        try (NetworkStore catalog = parent.catalog()) {
            for (String name : names) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("Name", name);
                if (name.equals(NetworkStore.HOST) || name.equals(NetworkStore.NONE)) {
                    m.put("Driver", name.equals(NetworkStore.HOST) ? "host" : "null");
                    Map<String, Object> members = new LinkedHashMap<>();
                    containers.values().stream().filter(c -> c.networkName().equals(name))
                            .forEach(c -> members.put(c.id(), Map.of("Name", c.name())));
                    m.put("Containers", members);
                    out.add(m);
                    continue;
                }
                NetworkDefinition n = catalog.get(name);
                m.put("Driver", "bridge");
                m.put("Created", catalog.created(name));
                m.put("IPAM", Map.of("Config", List.of(Map.of("Subnet", n.subnet().toString(),
                        "Gateway", n.subnet().gateway().getHostAddress()))));
                m.put("Bridge", n.bridge());
                m.put("ResolvesNames", !name.equals(NetworkStore.BRIDGE));
                Map<String, Object> members = new LinkedHashMap<>();
                catalog.attachments(n).forEach((id, address) -> {
                    Map<String, Object> c = new LinkedHashMap<>();
                    c.put("Name", containers.containsKey(id) ? containers.get(id).name() : null);
                    c.put("IPv4Address", address.getHostAddress() + "/" + n.subnet().prefixLength());
                    members.put(id, c);
                });
                m.put("Containers", members);
                out.add(m);
            }
        }
        System.out.println(Json.text(out));
        return 0;
    }
}
