package dev.jbox.cli;

import dev.jbox.JboxException;
import dev.jbox.kernel.Kernel;
import dev.jbox.layers.ContainerFiles;
import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "export", description = "Write a container's file system as a tar archive (to stdout, or -o FILE).")
final class ExportCommand extends ContainerCommand implements Callable<Integer> {
    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write to FILE instead of stdout.")
    Path output;

    @Parameters(paramLabel = "CONTAINER")
    String container;

    @Override
    public Integer call() throws IOException {
        var c = engine().find(container);
        if (output == null && Kernel.isatty(1)) {
            throw new JboxException("refusing to write a tar to the terminal; redirect it (jbox export " + container
                    + " > fs.tar) or use -o FILE");
        }
        Path tmp = output == null ? null : output.toAbsolutePath().resolveSibling("." + output.getFileName() + ".part");
        try (OutputStream out = new BufferedOutputStream(output == null ? new FileOutputStream(java.io.FileDescriptor.out)
                : Files.newOutputStream(tmp), 1 << 16)) {
            new ContainerFiles(main.store()).export(c, out);
        } catch (RuntimeException | IOException e) {
            if (tmp != null) {
                Files.deleteIfExists(tmp); // no half-written archive under the name asked for
            }
            throw e;
        }
        if (tmp != null) {
            Files.move(tmp, output, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }
        return 0;
    }
}
