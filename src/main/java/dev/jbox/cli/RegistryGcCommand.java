package dev.jbox.cli;

import dev.jbox.registry.GarbageCollector;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "gc", description = "Remove the blobs no manifest references (the registry must not be serving).")
final class RegistryGcCommand implements Callable<Integer> {
    @picocli.CommandLine.Mixin
    HelpOption helpOption;

    @ParentCommand
    RegistryCommand parent;

    @Option(names = "--root", paramLabel = "DIR", description = "The registry's store (default: registry/ under jbox's data root).")
    Path root;

    @Option(names = "--dry-run", description = "Only list what would be removed.")
    boolean dryRun;

    @Override
    public Integer call() {
        GarbageCollector.Result r = GarbageCollector.collect(parent.store(root), dryRun);
        String verb = dryRun ? "would remove " : "removed ";
        r.removed().forEach(d -> System.out.println(verb + d));
        System.out.printf("%s%d blobs (%d bytes); %d referenced blobs kept%n", verb, r.removed().size(), r.bytesFreed(), r.kept());
        return 0;
    }
}
