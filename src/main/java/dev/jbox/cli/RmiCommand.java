package dev.jbox.cli;

import dev.jbox.JboxException;
import dev.jbox.image.ImageStore;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "rmi", description = {"Remove images: a tag, and with the last tag the image.",
        "The layers are freed by 'jbox image prune'."})
final class RmiCommand implements Callable<Integer> {
    @picocli.CommandLine.Mixin
    HelpOption helpOption;

    @ParentCommand
    Main main;

    @Option(names = {"-f", "--force"}, description = "Remove an image a container uses (it stays, untagged, until"
            + " the container goes) or that has several tags.")
    boolean force;

    @Parameters(arity = "1..*", paramLabel = "IMAGE", description = "name[:tag], name@digest or image id.")
    List<String> refs;

    @Override
    public Integer call() {
        Main.requireRoot();
        ImageStore images = new ImageStore(main.store());
        var users = ImageUsers.of(main.engine().list(), images);
        JboxException failed = null;
        for (String ref : refs) {
            try {
                images.remove(ref, force, users).forEach(System.out::println);
            } catch (JboxException e) {
                failed = e; // as Docker: the others are still removed, then the error
                if (refs.size() > 1) {
                    System.err.println("jbox: " + e.getMessage());
                }
            }
        }
        if (failed != null) {
            if (refs.size() > 1) {
                return failed.exitCode();
            }
            throw failed;
        }
        return 0;
    }
}
