package dev.jbox.cli;

import dev.jbox.image.Reference;
import dev.jbox.layers.ContainerFiles;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "commit", description = "Make a new image of a container's changes: its writable layer on top of its image's layers.")
final class CommitCommand extends ContainerCommand implements Callable<Integer> {
    @Option(names = {"-m", "--message"}, paramLabel = "TEXT", description = "A comment, shown by jbox history.")
    String message;

    @Option(names = {"-c", "--change"}, paramLabel = "INSTRUCTION",
            description = "Change the config as a Dockerfile line would: CMD, ENTRYPOINT, ENV or WORKDIR.")
    List<String> changes = new ArrayList<>();

    @Parameters(index = "0", paramLabel = "CONTAINER")
    String container;

    @Parameters(index = "1", arity = "0..1", paramLabel = "IMAGE[:TAG]", description = "The new image's name (default: untagged).")
    String image;

    @Override
    public Integer call() {
        var c = engine().find(container);
        Reference tag = image == null ? null : Reference.parse(image).withDefaultTag();
        var made = new ContainerFiles(main.store()).commit(c, tag, message, changes);
        System.out.println(made.id());
        return 0;
    }
}
