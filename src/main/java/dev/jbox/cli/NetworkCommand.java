package dev.jbox.cli;

import dev.jbox.JboxException;
import dev.jbox.lifecycle.ContainerRecord;
import dev.jbox.network.NetworkStore;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

@Command(name = "network", description = "Manage networks: create, ls, inspect, rm.",
        subcommands = {NetworkCreateCommand.class, NetworkLsCommand.class, NetworkInspectCommand.class,
                NetworkRmCommand.class})
final class NetworkCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Override
    public Integer call() {
        throw new JboxException("'jbox network' needs a command: create, ls, inspect or rm (see 'jbox network --help')");
    }

    NetworkStore catalog() {
        Main.requireRoot();
        return NetworkStore.open(main.store());
    }

    /** The store's containers, with the ended ones unplugged first, so what is listed as attached is running. */
    Map<String, ContainerRecord> containersById() {
        Main.requireRoot();
        Map<String, ContainerRecord> all = new LinkedHashMap<>();
        main.engine().list().forEach(c -> all.put(c.id(), c));
        return all;
    }
}
