package dev.jbox.cli;

import dev.jbox.JboxException;
import dev.jbox.network.Ipv4Subnet;
import dev.jbox.network.NetworkStore;
import dev.jbox.network.NetworkDefinition;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "create", description = "Create a network: a bridge of its own, on which containers find each other by name.")
final class NetworkCreateCommand implements Callable<Integer> {
    @ParentCommand
    NetworkCommand parent;

    @Option(names = "--subnet", paramLabel = "CIDR",
            description = "The network's addresses, e.g. 10.99.0.0/24 (default: the first free /24 of 10.78.0.0/16).")
    String subnet;

    @Parameters(paramLabel = "NAME")
    String name;

    @Override
    public Integer call() {
        Ipv4Subnet requested = null;
        if (subnet != null) {
            try {
                requested = Ipv4Subnet.parse(subnet);
            } catch (IllegalArgumentException e) {
                throw new JboxException("invalid --subnet " + subnet + ": " + e.getMessage());
            }
        }
        try (NetworkStore catalog = parent.catalog()) {
            NetworkDefinition config = catalog.create(name, requested);
            System.out.println(config.name());
        }
        return 0;
    }
}
