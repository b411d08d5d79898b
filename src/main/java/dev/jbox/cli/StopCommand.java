package dev.jbox.cli;

import dev.jbox.lifecycle.ContainerRecord;
import dev.jbox.lifecycle.ContainerStore;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "stop", description = "Stop containers: SIGTERM, then SIGKILL after a grace period.")
final class StopCommand extends ContainerCommand implements Callable<Integer> {
    static final int SIGTERM = 15, SIGKILL = 9;

    @Option(names = {"-t", "--time"}, paramLabel = "SECONDS", description = "Seconds to wait before SIGKILL (default 10).")
    double seconds = 10;

    @Parameters(paramLabel = "CONTAINER", arity = "1..*")
    List<String> names;

    @Override
    public Integer call() {
        ContainerStore store = containers();
        for (String name : names) {
            ContainerRecord c = store.find(name);
            stop(store, c, seconds);
            System.out.println(name);
        }
        return 0;
    }

    /**
     * pid 1 of a PID namespace gets only the signals it has a handler for (SIGKILL aside), so a
     * program that ignores SIGTERM as pid 1 is only stopped by the SIGKILL: the lab shows it.
     */
    static void stop(ContainerStore store, ContainerRecord c, double seconds) {
        if (!store.state(c).running()) {
            return;
        }
        dev.jbox.kernel.Kernel.kill(c.pid(), SIGTERM);
        if (!awaitEnd(store, c, seconds)) {
            dev.jbox.kernel.Kernel.kill(c.pid(), SIGKILL);
            awaitEnd(store, c, 10);
        }
    }
}
