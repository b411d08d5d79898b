package dev.jbox.cli;

import dev.jbox.JboxException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

@Command(name = "system", description = "Manage jbox itself: df, reset.",
        subcommands = {SystemDfCommand.class, SystemResetCommand.class})
final class SystemCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Override
    public Integer call() {
        throw new JboxException("'jbox system' needs a command: df or reset (see 'jbox system --help')");
    }
}
