package dev.jbox.cli;

import dev.jbox.JboxException;
import dev.jbox.kernel.Kernel;
import dev.jbox.kernel.WaitStatus;
import dev.jbox.lifecycle.ContainerRecord;
import dev.jbox.lifecycle.ContainerStore;
import dev.jbox.namespaces.Exec;
import dev.jbox.runtime.Container;
import dev.jbox.runtime.ContainerSpec;
import dev.jbox.runtime.Namespace;
import java.nio.file.Path;
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

    @Parameters(paramLabel = "CONTAINER COMMAND", arity = "2..*")
    List<String> args;

    @Override
    public Integer call() {
        ContainerStore store = containers();
        ContainerRecord c = store.find(args.get(0));
        if (!store.state(c).running()) {
            throw new JboxException("container " + c.name() + " is not running; start a new one with jbox run");
        }
        if (interactive && tty && !Kernel.isatty(0)) {
            throw new JboxException("the input device is not a TTY; drop -t, or run jbox from a terminal");
        }
        List<String> environment = new ArrayList<>(c.env());
        environment.addAll(RunCommand.EnvOptions.resolve(env));
        int devNull = interactive ? -1 : Kernel.open("/dev/null", Kernel.O_RDONLY | Kernel.O_CLOEXEC, 0);
        Exec.Process p;
        try {
            ContainerSpec spec = ContainerSpec.builder(Path.of("/"), args.subList(1, args.size()))
                    .env(RunCommand.EnvOptions.dedupe(environment))
                    .workdir(workdir != null ? workdir : c.workdir())
                    .stdio(new ContainerSpec.Stdio(interactive ? 0 : devNull, 1, 2)).tty(tty).build();
            p = Exec.start(c.pid(), c.namespaces().stream().map(Namespace::named).toList(), spec);
        } finally {
            Kernel.closeQuietly(devNull);
        }
        Container process = new ExecedProcess(p.pid());
        return Foreground.waitFor(process, false, p.ptyMaster(), interactive).shellExitCode();
    }

    private record ExecedProcess(int pid) implements Container {
        @Override
        public void start() {
        }

        @Override
        public WaitStatus waitFor() {
            return Kernel.waitpid(pid);
        }
    }
}
