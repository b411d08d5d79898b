package dev.jbox.bench;

import dev.jbox.vm.VmException;
import picocli.CommandLine;

/**
 * Runs a benchmark command line: a {@link BenchException} (or a {@link VmException} of the guest
 * machinery the VM benchmarks use) becomes one line "NAME: message" and exit status 1.
 */
public final class BenchCli {
    private BenchCli() {
    }

    public static void exit(String name, Object command, String[] args) {
        CommandLine cli = new CommandLine(command).setCaseInsensitiveEnumValuesAllowed(true);
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof BenchException || e instanceof VmException) {
                cmd.getErr().println(name + ": " + e.getMessage());
                return 1;
            }
            throw e;
        });
        System.exit(cli.execute(args));
    }
}
