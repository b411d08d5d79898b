package dev.jbox.cli;

import dev.jbox.JboxException;
import dev.jbox.kernel.Kernel;
import dev.jbox.lifecycle.ContainerRecord;
import dev.jbox.lifecycle.ContainerStore;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "rm", description = "Remove containers.")
final class RmCommand extends ContainerCommand implements Callable<Integer> {
    @Option(names = {"-f", "--force"}, description = "Kill a running container first.")
    boolean force;

    @Parameters(paramLabel = "CONTAINER", arity = "1..*")
    List<String> names;

    @Override
    public Integer call() {
        ContainerStore store = containers();
        for (String name : names) {
            ContainerRecord c = store.find(name);
            if (store.state(c).running()) {
                if (!force) {
                    throw new JboxException("container " + c.name() + " is running; stop it first (jbox stop "
                            + c.name() + ") or use jbox rm -f");
                }
                Kernel.kill(c.pid(), StopCommand.SIGKILL);
                if (!awaitEnd(store, c, 10)) {
                    throw new JboxException("container " + c.name() + " did not end within 10 s of SIGKILL; try again");
                }
            }
            store.remove(c);
            System.out.println(name);
        }
        return 0;
    }
}
