package dev.jbox.cli;

import dev.jbox.kernel.Kernel;
import dev.jbox.lifecycle.ContainerRecord;
import dev.jbox.lifecycle.ContainerState;
import dev.jbox.lifecycle.ContainerStore;
import dev.jbox.lifecycle.Processes;
import dev.jbox.network.NetworkStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

@Command(name = "reset", description = "Kill and remove every container, remove every network (bridges, iptables"
        + " chains) and put ip_forward back: the machine as before jbox ran. Images stay.")
final class SystemResetCommand implements Callable<Integer> {
    @ParentCommand
    SystemCommand parent;

    @Override
    public Integer call() {
        Main.requireRoot();
        ContainerStore store = new ContainerStore(parent.main.store());
        List<String> removed = new ArrayList<>();
        for (ContainerRecord c : store.list()) {
            ContainerState.Status s = store.state(c).status();
            if (s == ContainerState.Status.RUNNING) {
                Kernel.kill(c.pid(), StopCommand.SIGKILL);
                ContainerCommand.awaitEnd(store, c, 10);
            } else if (s == ContainerState.Status.CREATED && Processes.alive(c.shimPid(), c.shimStartTime())) {
                Kernel.kill(c.shimPid(), StopCommand.SIGKILL);
            }
            store.remove(c);
            removed.add("removed container " + c.name() + " (" + c.shortId() + ")");
        }
        try (NetworkStore catalog = NetworkStore.open(parent.main.store())) {
            removed.addAll(catalog.reset());
        }
        if (removed.isEmpty()) {
            System.out.println("nothing to remove");
        }
        removed.forEach(System.out::println);
        return 0;
    }
}
