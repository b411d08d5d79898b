package dev.jbox.cli;

import dev.jbox.JboxException;
import dev.jbox.DataRoot;
import dev.jbox.kernel.Kernel;
import dev.jbox.kernel.KernelException;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code jbox} command: Docker's verbs, one class per subcommand. */
@Command(name = "jbox", mixinStandardHelpOptions = true, version = "jbox 0.1.0",
        description = "A container engine in Java, built one chapter at a time.",
        subcommands = {
                RunCommand.class,
                PsCommand.class,
                LogsCommand.class,
                StopCommand.class,
                KillCommand.class,
                RmCommand.class,
                ExecCommand.class,
                InspectCommand.class,
                StatsCommand.class,
                TopCommand.class,
                UpdateCommand.class,
                ImagesCommand.class,
                ImageCommand.class,
                TagCommand.class,
                RmiCommand.class,
                HistoryCommand.class,
                BuildCommand.class,
                SaveCommand.class,
                LoadCommand.class,
                NetworkCommand.class,
                SystemCommand.class,
                LabCommand.class,
                RegistryCommand.class,
                PullCommand.class,
                PushCommand.class,
                LoginCommand.class,
                LogoutCommand.class,
                DiffCommand.class,
                CommitCommand.class,
                ExportCommand.class,
                ImportCommand.class,
                VolumeCommand.class})
public final class Main {
    @Option(names = "--root", paramLabel = "DIR",
            description = "Where jbox keeps images and containers (default: $JBOX_ROOT or /var/lib/jbox).")
    Path root;

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    public static int execute(String... args) {
        Kernel.warmUp();
        CommandLine cli = new CommandLine(new Main());
        // Docker reads `jbox run IMAGE sh -c ...` as: options, image, then the command untouched.
        cli.setStopAtPositional(true);
        cli.setParameterExceptionHandler(Main::badUsage);
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> failure(e, cmd.getErr()));
        addHelp(cli);
        return cli.execute(args);
    }

    /**
     * Every command takes --help, as every docker command does, whether or not its class remembered
     * the mixin: `jbox image prune --help` said "Unknown option" before this walked the whole tree.
     */
    static void addHelp(CommandLine cli) {
        var spec = cli.getCommandSpec();
        if (spec.options().stream().noneMatch(o -> o.usageHelp())) {
            spec.addOption(CommandLine.Model.OptionSpec.builder("--help").usageHelp(true)
                    .description("Show this help and exit.").build());
        }
        cli.getSubcommands().values().forEach(Main::addHelp);
    }

    DataRoot store() {
        return DataRoot.fromEnvironment(root);
    }

    /** The engine every subcommand talks to; the CLI itself keeps no state. */
    dev.jbox.engine.Engine engine() {
        return new dev.jbox.engine.Engine(store());
    }

    static void requireRoot() {
        if (Kernel.geteuid() != 0) {
            throw new JboxException("jbox needs root (it changes roots, mounts and namespaces); run it as root, e.g. sudo ./jbox ...");
        }
    }

    private static int badUsage(CommandLine.ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        cmd.getErr().println("jbox: " + e.getMessage() + "; see '" + cmd.getCommandSpec().qualifiedName() + " --help'");
        return JboxException.ENGINE;
    }

    static int failure(Exception e, PrintWriter err) {
        if (e instanceof JboxException j) {
            err.println("jbox: " + j.getMessage());
            err.flush();
            return j.exitCode();
        }
        if (e instanceof KernelException k) {
            err.println("jbox: " + k.getMessage());
        } else {
            err.println("jbox: internal error: " + e + " (please report it; JBOX_DEBUG=1 prints the stack)");
        }
        if (System.getenv("JBOX_DEBUG") != null) {
            e.printStackTrace(err);
        }
        err.flush();
        return JboxException.ENGINE;
    }
}
