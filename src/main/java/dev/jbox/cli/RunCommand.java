package dev.jbox.cli;

import dev.jbox.JboxException;
import dev.jbox.image.Image;
import dev.jbox.image.ImageConfig;
import dev.jbox.image.ImageStore;
import dev.jbox.kernel.Kernel;
import dev.jbox.runtime.Container;
import dev.jbox.runtime.ContainerSpec;
import dev.jbox.runtime.Rootfs;
import dev.jbox.runtime.Runtimes;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "run", description = "Run a command in a new container.",
        customSynopsis = {"jbox run [OPTIONS] IMAGE [COMMAND [ARG...]]",
                "jbox run [OPTIONS] --rootfs DIR [COMMAND [ARG...]]"})
final class RunCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Option(names = "--chapter", paramLabel = "N",
            description = "Run the engine as it stood after chapter N of the book (default: the latest).")
    Integer chapter;

    @Option(names = "--rootfs", paramLabel = "DIR", description = "Use DIR as the root file system instead of an image.")
    Path rootfs;

    @Option(names = {"-i", "--interactive"}, description = "Keep stdin open (without it the container reads /dev/null).")
    boolean interactive;

    @Option(names = {"-t", "--tty"}, description = "Give the container the terminal (use with -i).")
    boolean tty;

    @Option(names = {"-e", "--env"}, paramLabel = "KEY=VALUE", description = "Set an environment variable (KEY alone copies it from here).")
    List<String> env = new ArrayList<>();

    @Option(names = {"-w", "--workdir"}, paramLabel = "DIR", description = "Working directory inside the container.")
    String workdir;

    @Parameters(paramLabel = "IMAGE|COMMAND", description = "The image (unless --rootfs), then the command and its arguments.")
    List<String> positional = new ArrayList<>();

    @Override
    public Integer call() {
        Main.requireRoot();
        int chapterNumber = chapter == null ? Runtimes.latest() : chapter;
        var runtime = Runtimes.forChapter(chapterNumber);
        if (tty && !Kernel.isatty(0)) {
            throw new JboxException("the input device is not a TTY; drop -t, or run jbox from a terminal");
        }
        int devNull = interactive ? -1 : Kernel.open("/dev/null", Kernel.O_RDONLY | Kernel.O_CLOEXEC, 0);
        ContainerSpec spec;
        Container container;
        try {
            spec = spec(new ContainerSpec.Stdio(interactive ? 0 : devNull, 1, 2));
            container = runtime.start(spec);
        } finally {
            Kernel.closeQuietly(devNull);
        }
        try (SignalForwarder ignored = SignalForwarder.to(container, spec.terminal())) {
            return container.waitFor().shellExitCode();
        }
    }

    private ContainerSpec spec(ContainerSpec.Stdio stdio) {
        List<String> args = new ArrayList<>(positional);
        Path root;
        ImageConfig config;
        if (rootfs != null) {
            root = Rootfs.check(rootfs);
            config = new ImageConfig(List.of("sh"), null, null);
        } else {
            if (args.isEmpty()) {
                throw new JboxException("'jbox run' needs an image or --rootfs DIR; e.g. jbox run busybox echo hello");
            }
            Image image = new ImageStore(main.store()).get(args.remove(0));
            root = Rootfs.check(image.rootfs());
            config = image.config();
        }
        List<String> command = args.isEmpty() ? config.cmd() : args;
        if (command.isEmpty()) {
            throw new JboxException("no command given and the image has no default command; add one, e.g. jbox run IMAGE sh");
        }
        List<String> environment = new ArrayList<>(config.env());
        environment.add("HOME=/root");
        if (tty) {
            environment.add("TERM=" + System.getenv().getOrDefault("TERM", "xterm"));
        }
        for (String e : env) {
            if (e.contains("=")) {
                environment.add(e);
            } else if (System.getenv(e) != null) {
                environment.add(e + "=" + System.getenv(e));
            }
        }
        String dir = workdir != null ? workdir : config.workingDir();
        if (!dir.startsWith("/")) {
            throw new JboxException("the working directory must be an absolute path inside the container: -w " + dir);
        }
        return new ContainerSpec(root, command, dedupe(environment), dir, null, stdio, interactive && Kernel.isatty(0));
    }

    /** Later values win, as with Docker's -e. */
    private static List<String> dedupe(List<String> env) {
        var byKey = new java.util.LinkedHashMap<String, String>();
        for (String e : env) {
            byKey.remove(e.substring(0, e.indexOf('=')));
            byKey.put(e.substring(0, e.indexOf('=')), e);
        }
        return List.copyOf(byKey.values());
    }
}
