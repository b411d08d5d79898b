package dev.jbox.cli;

import dev.jbox.JboxException;
import dev.jbox.lifecycle.ContainerRecord;
import dev.jbox.volumes.VolumeStore;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

@Command(name = "volume", description = "Manage volumes (chapter 4): create, ls, inspect, rm, prune.",
        subcommands = {VolumeCreateCommand.class, VolumeLsCommand.class, VolumeInspectCommand.class,
                VolumeRmCommand.class, VolumePruneCommand.class})
final class VolumeCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Override
    public Integer call() {
        throw new JboxException("'jbox volume' needs a command: create, ls, inspect, rm or prune (see 'jbox volume --help')");
    }

    VolumeStore volumes() {
        Main.requireRoot();
        return new VolumeStore(main.store());
    }

    /** Every container, ended ones too: a volume one of them mounts is in use (ended --rm ones are gone first). */
    List<ContainerRecord> containers() {
        return main.engine().list();
    }
}
