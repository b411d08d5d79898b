package dev.jbox.cli;

import dev.jbox.JboxException;
import dev.jbox.engine.Engine;
import dev.jbox.engine.ExecRequest;
import dev.jbox.kernel.Kernel;
import dev.jbox.runtime.ContainerProcess;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "exec", description = "Run a command in a running container.",
        customSynopsis = "jbox exec [OPTIONS] CONTAINER COMMAND [ARG...]")
final class ExecCommand extends ContainerCommand implements Callable<Integer> {
    @Option(names = {"-i", "--interactive"}, description = "Keep stdin open.")
    boolean interactive;

    @Option(names = {"-t", "--tty"}, description = "Give the command a terminal.")
    boolean tty;

    @Option(names = {"-e", "--env"}, paramLabel = "KEY=VALUE", converter = EnvOption.class,
            description = "Set an environment variable.")
    List<String> env = new ArrayList<>();

    @Option(names = {"-w", "--workdir"}, paramLabel = "DIR", description = "Working directory inside the container.")
    String workdir;

    @Option(names = {"-u", "--user"}, paramLabel = "USER[:GROUP]",
            description = "Run as this user (names from the container's /etc/passwd), instead of the container's.")
    String user;

    @Parameters(paramLabel = "CONTAINER COMMAND", arity = "2..*")
    List<String> args;

    @Override
    public Integer call() {
        Engine engine = engine();
        if (interactive && tty && !Kernel.isatty(0)) {
            throw new JboxException("the input device is not a TTY; drop -t, or run jbox from a terminal");
        }
        ContainerProcess p = engine.exec(engine.find(args.get(0)), new ExecRequest(args.subList(1, args.size()),
                RunCommand.EnvOptions.resolve(env), workdir, interactive, tty, null, user));
        return Foreground.waitFor(p, false, interactive).shellExitCode();
    }
}
