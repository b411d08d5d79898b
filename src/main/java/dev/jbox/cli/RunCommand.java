package dev.jbox.cli;

import dev.jbox.JboxException;
import dev.jbox.cgroups.Machine;
import dev.jbox.cgroups.ResourceFlags;
import dev.jbox.cgroups.Resources;
import dev.jbox.engine.Chapters;
import dev.jbox.engine.CreatedContainer;
import dev.jbox.engine.Engine;
import dev.jbox.engine.PullPolicy;
import dev.jbox.engine.RunRequest;
import dev.jbox.kernel.Kernel;
import dev.jbox.kernel.WaitStatus;
import dev.jbox.spec.Namespace;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
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

    @Option(names = {"-e", "--env"}, paramLabel = "KEY=VALUE", converter = EnvOption.class,
            description = "Set an environment variable (KEY alone copies it from here).")
    List<String> env = new ArrayList<>();

    @Option(names = "--entrypoint", paramLabel = "COMMAND",
            description = "Run COMMAND instead of the image's entrypoint (and without its default arguments); \"\" clears it.")
    String entrypoint;

    @Option(names = {"-w", "--workdir"}, paramLabel = "DIR", description = "Working directory inside the container.")
    String workdir;

    // ---- chapter 3: cgroups (the same flags as jbox update) ----
    @picocli.CommandLine.Mixin
    CgroupOptions cgroup;

    @Option(names = "--cgroup-parent", paramLabel = "PATH", description = "The cgroup under which the container's goes (default jbox).")
    String cgroupParent;

    // ---- chapter 4: volumes, mounts, --read-only, --user ----
    @picocli.CommandLine.Mixin
    StorageOptions storage;

    // ---- chapter 5: the registry ----
    @Option(names = "--pull", paramLabel = "missing|always|never",
            description = "Pull the image from its registry before running: missing (the default: if the store lacks it),"
                    + " always, or never.")
    String pull;

    @Parameters(paramLabel = "IMAGE|COMMAND", description = "The image (unless --rootfs), then the command and its arguments.")
    List<String> positional = new ArrayList<>();

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec commandSpec;

    // tag::call[]
    @Override
    public Integer call() {
        Main.requireRoot();
        if (interactive && tty && !Kernel.isatty(0)) {
            throw new JboxException("the input device is not a TTY; drop -t, or run jbox from a terminal");
        }
        Engine engine = main.engine();
        CreatedContainer c = engine.create(request());
        engine.start(c);
        if (detach) {
            System.out.println(c.record().id());
            return 0;
        }
        WaitStatus status = Foreground.waitFor(c.process(), c.sharesTerminal(), interactive);
        engine.ended(c);
        return status.shellExitCode();
    }
    // end::call[]

    /** What the user asked, as the engine takes it; which options are allowed is the chapter table's business. */
    private RunRequest request() {
        List<String> args = new ArrayList<>(positional);
        String image = null;
        if (rootfs == null && !args.isEmpty()) {
            image = args.remove(0);
        }
        Set<String> given = new HashSet<>();
        commandSpec.commandLine().getParseResult().matchedOptions().forEach(o -> given.add(o.longestName()));
        return storage.applyTo(new RunRequest.Builder()).chapter(chapter == null ? Chapters.latest() : chapter)
                .image(image).rootfs(rootfs).command(args)
                .entrypoint(entrypoint == null ? null : entrypoint.isEmpty() ? List.of() : List.of(entrypoint)).env(EnvOptions.resolve(env)).workdir(workdir)
                .interactive(interactive).tty(tty).detach(detach).autoRemove(autoRemove).name(name).hostname(hostname)
                .init(init).namespaces(chosenNamespaces()).network(network).publish(publish).options(given)
                .resources(resources(given)).cgroupParent(cgroupParent)
                .pull(pull == null ? null : PullPolicy.parse(pull)).build();
    }

    /** The cgroup flags as Docker's CLI and daemon check them; null when none was given (the chapter's defaults). */
    private Resources resources(Set<String> given) {
        if (!cgroup.anyGiven(given)) {
            return null;
        }
        ResourceFlags f = cgroup.flags();
        Resources r = f.toResources(Machine.current());
        f.warnings().forEach(w -> System.err.println("WARNING: " + w));
        return r;
    }

    /** --namespaces as a set (mnt is implied), or null for the default: all of them. */
    private Set<Namespace> chosenNamespaces() {
        if (namespaces == null) {
            return null;
        }
        Set<Namespace> chosen = EnumSet.noneOf(Namespace.class);
        for (String n : namespaces) {
            if (!n.isBlank() && !n.equals("mnt")) {
                chosen.add(Namespace.named(n.strip()));
            }
        }
        return chosen;
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
    }
}
