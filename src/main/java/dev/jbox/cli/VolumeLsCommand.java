package dev.jbox.cli;

import dev.jbox.volumes.VolumeStore;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "ls", description = "List the volumes.")
final class VolumeLsCommand implements Callable<Integer> {
    @ParentCommand
    VolumeCommand parent;

    @Option(names = {"-q", "--quiet"}, description = "Only the names.")
    boolean quiet;

    @Override
    public Integer call() {
        if (!quiet) {
            System.out.printf("%-10s%s%n", "DRIVER", "VOLUME NAME");
        }
        for (VolumeStore.Volume v : parent.volumes().list()) {
            System.out.println(quiet ? v.name() : String.format("%-10s%s", "local", v.name()));
        }
        return 0;
    }
}
