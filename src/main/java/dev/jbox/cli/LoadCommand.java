package dev.jbox.cli;

import dev.jbox.JboxException;
import dev.jbox.image.ImageStore;
import dev.jbox.image.archive.ImageLoader;
import dev.jbox.kernel.Kernel;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "load", description = {"Load images from a tar archive (standard input unless -i):",
        "a Docker archive or an OCI image layout; layers plain, gzip or zstd. All or nothing."})
final class LoadCommand implements Callable<Integer> {
    @picocli.CommandLine.Mixin
    HelpOption helpOption;

    @ParentCommand
    Main main;

    @Option(names = {"-i", "--input"}, paramLabel = "FILE", description = "Read from FILE instead of standard input.")
    Path input;

    @Option(names = {"-q", "--quiet"}, description = "Print nothing.")
    boolean quiet;

    @Override
    public Integer call() throws IOException {
        Main.requireRoot();
        ImageLoader loader = new ImageLoader(new ImageStore(main.store()), main.store().root().resolve("image-ingest"));
        if (input == null && Kernel.isatty(0)) {
            throw new JboxException("requested load from standard input, but it is a terminal; use -i FILE or"
                    + " redirect the archive, e.g. jbox load < busybox.tar");
        }
        String source = input == null ? "the archive on standard input" : input.toString();
        try (InputStream in = input == null ? System.in : Files.newInputStream(input)) {
            for (String line : loader.load(in, source)) {
                if (!quiet) {
                    System.out.println(line);
                }
            }
        } catch (NoSuchFileException e) {
            throw new JboxException("cannot load " + input + ": no such file; give the path of an archive jbox save,"
                    + " docker save or skopeo made");
        }
        return 0;
    }
}
