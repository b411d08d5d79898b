package dev.jbox.cli;

import dev.jbox.layers.ContainerFiles;
import dev.jbox.layers.LayerDiff;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "diff", description = "List the files a container added (A), changed (C) and deleted (D) in its image.")
final class DiffCommand extends ContainerCommand implements Callable<Integer> {
    @Parameters(paramLabel = "CONTAINER")
    String container;

    @Override
    public Integer call() {
        var c = engine().find(container);
        for (LayerDiff.Change change : new ContainerFiles(main.store()).changes(c)) {
            System.out.println(change);
        }
        return 0;
    }
}
