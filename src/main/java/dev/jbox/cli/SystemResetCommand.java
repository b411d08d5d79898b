package dev.jbox.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

@Command(name = "reset", description = "Kill and remove every container, remove every network (bridges, iptables"
        + " chains) and put ip_forward back: the machine as before jbox ran. The build cache goes; images and named volumes stay (as with"
        + " Docker's system prune without --volumes); anonymous volumes of --rm containers go with them.")
final class SystemResetCommand implements Callable<Integer> {
    @ParentCommand
    SystemCommand parent;

    @Override
    public Integer call() {
        Main.requireRoot();
        List<String> removed = parent.main.engine().reset();
        if (removed.isEmpty()) {
            System.out.println("nothing to remove");
        }
        removed.forEach(System.out::println);
        return 0;
    }
}
