package dev.jbox.cli;

import dev.jbox.JboxException;
import dev.jbox.image.ImageStore;
import dev.jbox.image.archive.ImageSaver;
import dev.jbox.kernel.Kernel;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "save", description = {"Save images to a tar archive (on standard output unless -o).",
        "docker format: what 'docker load' reads (an OCI layout with Docker's manifest.json);",
        "oci format: an OCI image layout of the blobs as stored."})
final class SaveCommand implements Callable<Integer> {
    @picocli.CommandLine.Mixin
    HelpOption helpOption;

    @ParentCommand
    Main main;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write to FILE instead of standard output.")
    Path output;

    @Option(names = "--format", paramLabel = "docker|oci", defaultValue = "docker",
            description = "The archive format (default: ${DEFAULT-VALUE}).")
    String format;

    @Parameters(arity = "1..*", paramLabel = "IMAGE", description = "name[:tag], name@digest or image id.")
    List<String> images;

    @Override
    public Integer call() throws IOException {
        Main.requireRoot();
        ImageSaver.Format f = switch (format.toLowerCase(Locale.ROOT)) {
            case "docker" -> ImageSaver.Format.DOCKER;
            case "oci" -> ImageSaver.Format.OCI;
            default -> throw new JboxException("unknown archive format '" + format + "'; use --format docker or --format oci");
        };
        ImageSaver saver = new ImageSaver(new ImageStore(main.store()));
        if (output == null) {
            if (Kernel.isatty(1)) {
                throw new JboxException("cowardly refusing to save to a terminal; use the -o flag or redirect the output");
            }
            saver.save(images, f, new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16));
            return 0;
        }
        // Written beside FILE, then renamed: a failed save leaves no half archive under FILE's name.
        Path target = output.toAbsolutePath();
        Path tmp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp");
        try {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
                saver.save(images, f, out);
            }
            Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
        return 0;
    }
}
