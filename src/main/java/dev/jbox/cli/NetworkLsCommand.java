package dev.jbox.cli;

import dev.jbox.lifecycle.ContainerRecord;
import dev.jbox.engine.Engine;
import dev.jbox.network.NetworkStore;
import dev.jbox.network.NetworkDefinition;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

@Command(name = "ls", description = "List the networks.")
final class NetworkLsCommand implements Callable<Integer> {
    @ParentCommand
    NetworkCommand parent;

    @Override
    public Integer call() {
        Main.requireRoot();
        Engine containers = parent.main.engine();
        String format = "%-16s%-10s%-18s%-14s%s%n";
        System.out.printf(format, "NAME", "BRIDGE", "SUBNET", "GATEWAY", "CONTAINERS");
        try (NetworkStore catalog = parent.catalog()) {
            List<NetworkDefinition> plugged = new ArrayList<>(List.of(catalog.defaultNetwork()));
            plugged.addAll(catalog.userNetworks());
            List<ContainerRecord> all = containers.list();
            for (String builtIn : List.of(NetworkStore.HOST, NetworkStore.NONE)) {
                long running = all.stream().filter(c -> c.networkName().equals(builtIn) && containers.state(c).running()).count();
                System.out.printf(format, builtIn, "-", "-", "-", running);
            }
            for (NetworkDefinition n : plugged) {
                System.out.printf(format, n.name(), n.bridge(), n.subnet(), n.subnet().gateway().getHostAddress(),
                        catalog.attachments(n).size());
            }
        }
        return 0;
    }
}
