package dev.jbox.cli;

import dev.jbox.JboxException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

@Command(name = "image", description = "Manage images: inspect, prune (and jbox images, tag, rmi, history).",
        subcommands = {ImageInspectCommand.class, ImagePruneCommand.class})
final class ImageCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Override
    public Integer call() {
        throw new JboxException("'jbox image' needs a command: inspect or prune (see 'jbox image --help')");
    }
}
