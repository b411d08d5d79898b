package dev.jbox.cli;

import dev.jbox.volumes.VolumeStore;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "rm", description = "Remove volumes and their content (refused while a container, even an ended one, uses it).")
final class VolumeRmCommand implements Callable<Integer> {
    @ParentCommand
    VolumeCommand parent;

    @Parameters(paramLabel = "VOLUME", arity = "1..*")
    List<String> names;

    @Override
    public Integer call() {
        VolumeStore volumes = parent.volumes();
        for (String name : names) {
            volumes.remove(name, parent::containers);
            System.out.println(name);
        }
        return 0;
    }
}
