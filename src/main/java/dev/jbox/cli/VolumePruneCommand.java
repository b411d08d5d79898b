package dev.jbox.cli;

import dev.jbox.cli.format.HumanSize;
import dev.jbox.volumes.VolumeStore;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "prune", description = "Remove the anonymous volumes no container uses (with -a, named ones too), as Docker 23 and later do.")
final class VolumePruneCommand implements Callable<Integer> {
    @ParentCommand
    VolumeCommand parent;

    @Option(names = {"-a", "--all"}, description = "Named volumes too.")
    boolean all;

    @Option(names = {"-f", "--force"}, description = "Accepted for Docker's habit; jbox does not ask.")
    boolean force;

    @Override
    public Integer call() {
        VolumeStore volumes = parent.volumes();
        long reclaimed = 0;
        System.out.println("Deleted Volumes:");
        for (VolumeStore.Volume v : volumes.list()) {
            long size = VolumeStore.size(v);
            if ((all || v.anonymous()) && volumes.removeUnused(v.name(), parent::containers, null)) {
                reclaimed += size;
                System.out.println(v.name());
            }
        }
        System.out.println();
        System.out.println("Total reclaimed space: " + HumanSize.of(reclaimed, 4));
        return 0;
    }
}
