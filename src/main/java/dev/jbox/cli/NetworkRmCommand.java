package dev.jbox.cli;

import dev.jbox.lifecycle.ContainerRecord;
import dev.jbox.network.NetworkStore;
import dev.jbox.network.NetworkDefinition;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "rm", description = "Remove networks (refused while containers are attached).")
final class NetworkRmCommand implements Callable<Integer> {
    @ParentCommand
    NetworkCommand parent;

    @Parameters(paramLabel = "NETWORK", arity = "1..*")
    List<String> names;

    @Override
    public Integer call() {
        Map<String, ContainerRecord> containers = parent.containersById();
        try (NetworkStore catalog = parent.catalog()) {
            for (String name : names) {
                List<String> attached = NetworkStore.isPredefined(name) ? List.of()
                        : attachedNames(catalog, catalog.get(name), containers);
                catalog.remove(name, attached);
                System.out.println(name);
            }
        }
        return 0;
    }

    private static List<String> attachedNames(NetworkStore catalog, NetworkDefinition n, Map<String, ContainerRecord> containers) {
        return catalog.attachments(n).keySet().stream()
                .map(id -> containers.containsKey(id) ? containers.get(id).name() : id.substring(0, Math.min(12, id.length())))
                .toList();
    }
}
