package dev.jbox.cli;

import dev.jbox.image.ImageStore;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

@Command(name = "images", description = "List the images in the store.")
final class ImagesCommand implements Callable<Integer> {
    @picocli.CommandLine.Mixin
    HelpOption helpOption;

    @ParentCommand
    Main main;

    @Override
    public Integer call() {
        Main.requireRoot();
        ImageStore images = new ImageStore(main.store());
        images.get(ImageStore.DEFAULT_IMAGE); // the built-in image always exists
        System.out.println("NAME");
        images.names().forEach(System.out::println);
        return 0;
    }
}
