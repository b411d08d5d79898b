package dev.jbox.cli;

import dev.jbox.volumes.VolumeStore;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "create", description = "Create a volume (with a random name if none is given); an existing one is kept as it is.")
final class VolumeCreateCommand implements Callable<Integer> {
    @ParentCommand
    VolumeCommand parent;

    @Parameters(paramLabel = "NAME", arity = "0..1")
    String name;

    @Override
    public Integer call() {
        VolumeStore volumes = parent.volumes();
        System.out.println((name == null ? volumes.createAnonymous(VolumeStore.anonymousName()) : volumes.create(name)).name());
        return 0;
    }
}
