package dev.jbox.cli;

import dev.jbox.JboxException;
import dev.jbox.image.Image;
import dev.jbox.image.ImageConfig;
import dev.jbox.image.ImageStore;
import dev.jbox.kernel.Kernel;
import dev.jbox.kernel.WaitStatus;
import dev.jbox.lifecycle.ContainerRecord;
import dev.jbox.lifecycle.ContainerStore;
import dev.jbox.namespaces.ShimmedContainer;
import dev.jbox.network.NetworkStore;
import dev.jbox.network.PortMapping;
import dev.jbox.runtime.Container;
import dev.jbox.runtime.ContainerSpec;
import dev.jbox.runtime.Namespace;
import dev.jbox.runtime.Rootfs;
import dev.jbox.runtime.Runtime;
import dev.jbox.runtime.Runtimes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "run", description = "Run a command in a new container.",
        customSynopsis = {"jbox run [OPTIONS] IMAGE [COMMAND [ARG...]]",
                "jbox run [OPTIONS] --rootfs DIR [COMMAND [ARG...]]"})
final class RunCommand implements Callable<Integer> {
    @picocli.CommandLine.Mixin
    HelpOption helpOption;

    @ParentCommand
    Main main;

    @Option(names = "--chapter", paramLabel = "N",
            description = "Run the engine as it stood after chapter N of the book (default: the latest).")
    Integer chapter;

    @Option(names = "--rootfs", paramLabel = "DIR", description = "Use DIR as the root file system instead of an image.")
    Path rootfs;

    @Option(names = {"-i", "--interactive"}, description = "Keep stdin open (without it the container reads /dev/null).")
    boolean interactive;

    @Option(names = {"-t", "--tty"}, description = "Give the container a terminal.")
    boolean tty;

    @Option(names = {"-d", "--detach"}, description = "Run in the background and print the container's id.")
    boolean detach;

    @Option(names = "--rm", description = "Remove the container when it ends.")
    boolean autoRemove;

    @Option(names = "--name", paramLabel = "NAME", description = "Name the container (default: a random name).")
    String name;

    @Option(names = {"-h", "--hostname"}, paramLabel = "NAME", description = "The container's host name (default: its name).")
    String hostname;

    @Option(names = "--init", description = "Run a tiny init as pid 1 that reaps zombies and forwards signals.")
    boolean init;

    @Option(names = "--namespaces", paramLabel = "LIST", split = ",",
            description = "Which namespaces to create besides the mount namespace: pid,uts,ipc,net,cgroup (default: all).")
    List<String> namespaces;

    @Option(names = "--network", paramLabel = "NETWORK",
            description = "bridge (the default: an address on jbox0, NAT to the outside), host (the host's own network),"
                    + " none (loopback only), or a network made with 'jbox network create'.")
    String network;

    @Option(names = {"-p", "--publish"}, paramLabel = "[IP:]HOSTPORT:PORT[/udp]",
            description = "Publish the container's PORT on the host's HOSTPORT (on IP only, if given). Repeatable.")
    List<String> publish = new ArrayList<>();

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
        Runtimes.check(chapterNumber);
        if (interactive && tty && !Kernel.isatty(0)) {
            throw new JboxException("the input device is not a TTY; drop -t, or run jbox from a terminal");
        }
        if (chapterNumber < 2 && (detach || autoRemove || name != null || hostname != null || init || namespaces != null
                || network != null || !publish.isEmpty())) {
            throw new JboxException("-d, --rm, --name, --hostname, --init, --namespaces, --network and -p need namespaces"
                    + " and container state: use --chapter 2 or later");
        }
        if (detach && tty) {
            throw new JboxException("-d with -t is not supported: jbox has no daemon to hold a detached container's"
                    + " terminal; drop -t (the output goes to 'jbox logs')");
        }
        Runtime runtime = Runtimes.forChapter(chapterNumber, main.store());
        Target target = target();
        return chapterNumber == 1 ? runInJail(runtime, target) : runContainer(runtime, target, chapterNumber);
    }

    /** The image or rootfs, the command and the environment, resolved. */
    private record Target(String image, Path rootfs, List<String> command, List<String> env, String workdir) {
    }

    private int runInJail(Runtime runtime, Target t) {
        int devNull = interactive ? -1 : Kernel.open("/dev/null", Kernel.O_RDONLY | Kernel.O_CLOEXEC, 0);
        ContainerSpec spec = ContainerSpec.builder(t.rootfs(), t.command()).env(t.env()).workdir(t.workdir())
                .stdio(new ContainerSpec.Stdio(interactive ? 0 : devNull, 1, 2))
                .sharesTerminal(interactive && Kernel.isatty(0)).build();
        Container container = runtime.create(spec);
        try {
            container.start();
        } finally {
            Kernel.closeQuietly(devNull);
        }
        return Foreground.waitFor(container, spec.sharesTerminal(), -1, interactive).shellExitCode();
    }

    private int runContainer(Runtime runtime, Target t, int chapterNumber) {
        ContainerStore containers = new ContainerStore(main.store());
        containers.collectGarbage();
        Set<Namespace> chosen = chosenNamespaces();
        String networkName = networkName(chosen);
        if (networkName.equals(NetworkStore.HOST)) {
            chosen.remove(Namespace.NET);
        }
        List<String> ports = portSpecs(networkName);
        // With the host's network comes the host's name, as in Docker (unless --hostname says otherwise).
        String host = hostname == null && networkName.equals(NetworkStore.HOST) ? hostHostname() : hostname;
        ContainerRecord record = containers.create(name, () -> new ContainerRecord(null, null, t.image(), t.command(),
                null, host, autoRemove, init, tty, detach, chapterNumber, t.env(), t.workdir(),
                chosen.stream().map(Namespace::procName).toList(), 0, -1, 0, -1, networkName, ports, null));
        int in = -1, out = -1;
        Container container;
        try {
            in = interactive && !detach ? 0 : Kernel.open("/dev/null", Kernel.O_RDONLY | Kernel.O_CLOEXEC, 0);
            out = detach ? Kernel.open(containers.logOf(record).toString(),
                    Kernel.O_WRONLY | Kernel.O_CREAT | Kernel.O_APPEND | Kernel.O_CLOEXEC, 0640) : -1;
            ContainerSpec.Stdio stdio = detach ? new ContainerSpec.Stdio(in, out, out) : new ContainerSpec.Stdio(in, 1, 2);
            ContainerSpec spec = ContainerSpec.builder(t.rootfs(), t.command()).env(withHostname(t.env(), record.hostname()))
                    .workdir(t.workdir()).stdio(stdio).hostname(record.hostname()).namespaces(chosen).init(init)
                    .tty(tty).stateDir(containers.dirOf(record)).files(containers.networking().prepareFiles(record))
                    .build();
            container = runtime.create(spec);
        } catch (RuntimeException | Error e) {
            containers.remove(record);
            throw e;
        } finally {
            if (in > 0) {
                Kernel.closeQuietly(in);
            }
            Kernel.closeQuietly(out);
        }
        ShimmedContainer shimmed = (ShimmedContainer) container;
        // tag::attach[]
        // The container exists, held before its command: plug it in now, so the command finds eth0
        // ready. Done here, on the CLI's thread, never on a container thread (DESIGN.md section 4).
        try {
            record = record.withProcesses(shimmed.shimPid(), shimmed.pid());
            containers.save(record);
            record = containers.networking().connect(record, shimmed.pid());
            containers.save(record);
        } catch (RuntimeException | Error e) {
            container.abort();
            try {
                containers.remove(record);
            } catch (RuntimeException undo) {
                e.addSuppressed(undo);
            }
            throw e;
        }
        container.start();
        // end::attach[]
        if (detach) {
            System.out.println(record.id());
            return 0;
        }
        WaitStatus status = Foreground.waitFor(container, false, shimmed.ptyMaster(), interactive);
        if (autoRemove) {
            containers.remove(record);
        } else if (record.endpoint() != null) {
            containers.save(containers.networking().disconnect(record));
        }
        return status.shellExitCode();
    }

    /**
     * The network to plug into, checked before anything is made. Leaving the NET namespace out
     * with --namespaces means the host's network, so that is the default then.
     */
    private String networkName(Set<Namespace> chosen) {
        boolean ownNetns = chosen.contains(Namespace.NET);
        String n = network != null ? network : ownNetns ? NetworkStore.BRIDGE : NetworkStore.HOST;
        if (n.equals(NetworkStore.HOST)) {
            return n;
        }
        if (!ownNetns) {
            throw new JboxException("--network " + n + " needs a network namespace; add net to --namespaces, or use --network host");
        }
        if (!n.equals(NetworkStore.NONE)) {
            try (NetworkStore catalog = NetworkStore.open(main.store())) {
                catalog.get(n);
            }
        }
        return n;
    }

    /** The -p options, checked and written the one way ("127.0.0.1:8080:80/tcp"). */
    private List<String> portSpecs(String networkName) {
        if (publish.isEmpty()) {
            return List.of();
        }
        if (networkName.equals(NetworkStore.HOST) || networkName.equals(NetworkStore.NONE)) {
            throw new JboxException("-p needs a network with NAT: with --network " + networkName
                    + " there is nothing to publish (drop -p, or use --network bridge)");
        }
        List<String> specs = new ArrayList<>();
        for (String p : publish) {
            try {
                specs.add(PortMapping.parse(p).toString());
            } catch (IllegalArgumentException e) {
                throw new JboxException("invalid -p " + p + ": " + e.getMessage());
            }
        }
        return specs;
    }

    private static String hostHostname() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
        } catch (IOException e) {
            throw new JboxException("cannot read the host's name from /proc/sys/kernel/hostname: " + e.getMessage());
        }
    }

    private Set<Namespace> chosenNamespaces() {
        if (namespaces == null) {
            return EnumSet.allOf(Namespace.class);
        }
        Set<Namespace> chosen = EnumSet.noneOf(Namespace.class);
        for (String n : namespaces) {
            if (!n.isBlank() && !n.equals("mnt")) {
                chosen.add(Namespace.named(n.strip()));
            }
        }
        return chosen;
    }

    private Target target() {
        List<String> args = new ArrayList<>(positional);
        Path root;
        ImageConfig config;
        String imageName;
        if (rootfs != null) {
            root = Rootfs.check(rootfs);
            config = new ImageConfig(List.of("sh"), null, null);
            imageName = root.toString();
        } else {
            if (args.isEmpty()) {
                throw new JboxException("'jbox run' needs an image or --rootfs DIR; e.g. jbox run busybox echo hello");
            }
            Image image = new ImageStore(main.store()).get(args.remove(0));
            root = Rootfs.check(image.rootfs());
            config = image.config();
            imageName = image.name();
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
        environment.addAll(EnvOptions.resolve(env));
        String dir = workdir != null ? workdir : config.workingDir();
        if (!dir.startsWith("/")) {
            throw new JboxException("the working directory must be an absolute path inside the container: -w " + dir);
        }
        return new Target(imageName, root, command, EnvOptions.dedupe(environment), dir);
    }

    private static List<String> withHostname(List<String> env, String hostname) {
        List<String> all = new ArrayList<>(env);
        all.add(0, "HOSTNAME=" + hostname);
        return EnvOptions.dedupe(all);
    }

    /** Docker's -e: KEY=VALUE sets, KEY alone copies the value from here; later values win. */
    static final class EnvOptions {
        private EnvOptions() {
        }

        static List<String> resolve(List<String> options) {
            List<String> out = new ArrayList<>();
            for (String e : options) {
                if (e.contains("=")) {
                    out.add(e);
                } else if (System.getenv(e) != null) {
                    out.add(e + "=" + System.getenv(e));
                }
            }
            return out;
        }

        static List<String> dedupe(List<String> env) {
            var byKey = new LinkedHashMap<String, String>();
            for (String e : env) {
                String key = e.substring(0, e.indexOf('='));
                byKey.remove(key);
                byKey.put(key, e);
            }
            return List.copyOf(byKey.values());
        }
    }
}
