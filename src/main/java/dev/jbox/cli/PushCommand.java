package dev.jbox.cli;

import dev.jbox.JboxException;
import dev.jbox.image.ImageStore;
import dev.jbox.image.Reference;
import dev.jbox.registry.client.ImagePusher;
import dev.jbox.registry.client.Progress;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "push", description = "Upload an image to a registry: jbox push NAME[:TAG] (tag it first: jbox tag IMAGE localhost:5000/NAME).")
final class PushCommand implements Callable<Integer> {
    @Mixin
    HelpOption helpOption;

    @Mixin
    RegistryClientOptions registry;

    @ParentCommand
    Main main;

    @Option(names = "--chunk-size", paramLabel = "MiB", defaultValue = "0",
            description = "Upload blobs larger than this in chunks of this size (PATCH with Content-Range); default 0: each blob in one PUT.")
    long chunkMiB;

    @Parameters(index = "0", paramLabel = "NAME", description = "The image's name in the registry, e.g. localhost:5000/app:v1.")
    String name;

    @Override
    public Integer call() {
        Main.requireRoot();
        if (chunkMiB < 0) {
            throw new JboxException("--chunk-size " + chunkMiB + " must be a number of MiB, 0 or more");
        }
        Reference ref = Reference.parse(name);
        new ImagePusher(new ImageStore(main.store()), registry.config(), Progress.forConsole(System.out), chunkMiB << 20).push(ref);
        return 0;
    }
}
