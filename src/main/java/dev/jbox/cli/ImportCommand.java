package dev.jbox.cli;

import dev.jbox.JboxException;
import dev.jbox.image.Reference;
import dev.jbox.layers.ImageImport;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "import", description = "Make an image of one layer from a tar of a root file system (FILE, or - for stdin).")
final class ImportCommand implements Callable<Integer> {
    @picocli.CommandLine.Mixin
    HelpOption helpOption;

    @ParentCommand
    Main main;

    @Option(names = {"-m", "--message"}, paramLabel = "TEXT", description = "A comment, shown by jbox history.")
    String message;

    @Parameters(index = "0", paramLabel = "FILE|-")
    String file;

    @Parameters(index = "1", arity = "0..1", paramLabel = "IMAGE[:TAG]", description = "The new image's name (default: untagged).")
    String image;

    @Override
    public Integer call() throws IOException {
        Main.requireRoot();
        Reference tag = image == null ? null : Reference.parse(image).withDefaultTag();
        try (InputStream in = file.equals("-") ? System.in : Files.newInputStream(Path.of(file))) {
            System.out.println(new ImageImport(main.store()).importTar(in, file, tag, message).id());
        } catch (NoSuchFileException e) {
            throw new JboxException("no such file: " + file + "; give a tar of a root file system, or - to read stdin");
        }
        return 0;
    }
}
