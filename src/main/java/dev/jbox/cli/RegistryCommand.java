package dev.jbox.cli;

import dev.jbox.JboxException;
import dev.jbox.registry.RegistryStore;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

@Command(name = "registry", description = "Run an OCI registry: serve, gc.",
        subcommands = {RegistryServeCommand.class, RegistryGcCommand.class})
final class RegistryCommand implements Callable<Integer> {
    @picocli.CommandLine.Mixin
    HelpOption helpOption;

    @ParentCommand
    Main main;

    @Override
    public Integer call() {
        throw new JboxException("'jbox registry' needs a command: serve or gc (see 'jbox registry --help')");
    }

    /** The registry's store: {@code --root DIR} of the subcommand, else {@code registry/} under jbox's data root. */
    RegistryStore store(Path root) {
        return new RegistryStore(root != null ? root : main.store().root().resolve("registry"));
    }
}
