package dev.jbox.cli;

import dev.jbox.image.ImageStore;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "tag", description = "Give an image another name: jbox tag SOURCE[:TAG] TARGET[:TAG].")
final class TagCommand implements Callable<Integer> {
    @picocli.CommandLine.Mixin
    HelpOption helpOption;

    @ParentCommand
    Main main;

    @Parameters(index = "0", paramLabel = "SOURCE", description = "An image: name[:tag], name@digest or id.")
    String source;

    @Parameters(index = "1", paramLabel = "TARGET", description = "The new name[:tag] (default tag: latest).")
    String target;

    @Override
    public Integer call() {
        Main.requireRoot();
        new ImageStore(main.store()).tag(source, target);
        return 0;
    }
}
