package dev.jbox.cli;

import dev.jbox.engine.Engine;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "rm", description = "Remove containers.")
final class RmCommand extends ContainerCommand implements Callable<Integer> {
    @Option(names = {"-f", "--force"}, description = "Kill a running container first.")
    boolean force;

    @Option(names = {"-v", "--volumes"}, description = "Remove the anonymous volumes the container made, as docker rm -v;"
            + " named volumes stay. Without -v they stay too (jbox volume prune removes them); run --rm removes them.")
    boolean volumes;

    @Parameters(paramLabel = "CONTAINER", arity = "1..*")
    List<String> names;

    @Override
    public Integer call() {
        Engine engine = engine();
        for (String name : names) {
            engine.remove(engine.find(name), force, volumes);
            System.out.println(name);
        }
        return 0;
    }
}
