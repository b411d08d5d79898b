package dev.jbox.cli;

import dev.jbox.image.ImageStore;
import dev.jbox.image.Reference;
import dev.jbox.registry.client.ImagePuller;
import dev.jbox.registry.client.Platform;
import dev.jbox.registry.client.Progress;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "pull", description = "Download an image from a registry: jbox pull NAME[:TAG|@DIGEST].")
final class PullCommand implements Callable<Integer> {
    @Mixin
    HelpOption helpOption;

    @Mixin
    RegistryClientOptions registry;

    @ParentCommand
    Main main;

    @Option(names = "--platform", paramLabel = "OS/ARCH[/VARIANT]",
            description = "Which image of a multi-platform index (default: this machine's, linux/amd64 or linux/arm64).")
    String platform;

    @Parameters(index = "0", paramLabel = "NAME", description = "e.g. localhost:5000/app:v1 or busybox (Docker Hub).")
    String name;

    @Override
    public Integer call() {
        Main.requireRoot();
        Platform p = platform == null ? Platform.host() : Platform.parse(platform);
        Reference ref = Reference.parse(name);
        new ImagePuller(new ImageStore(main.store()), registry.config(), Progress.forConsole(System.out), p).pull(ref);
        return 0;
    }
}
