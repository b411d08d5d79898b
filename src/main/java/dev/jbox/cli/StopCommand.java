package dev.jbox.cli;

import dev.jbox.engine.Engine;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "stop", description = "Stop containers: SIGTERM, then SIGKILL after a grace period.")
final class StopCommand extends ContainerCommand implements Callable<Integer> {
    @Option(names = {"-t", "--time"}, paramLabel = "SECONDS", description = "Seconds to wait before SIGKILL (default 10).")
    double seconds = 10;

    @Parameters(paramLabel = "CONTAINER", arity = "1..*")
    List<String> names;

    @Override
    public Integer call() {
        Engine engine = engine();
        for (String name : names) {
            engine.stop(engine.find(name), seconds);
            System.out.println(name);
        }
        return 0;
    }
}
