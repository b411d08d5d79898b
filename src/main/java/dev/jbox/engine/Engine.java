package dev.jbox.engine;

import dev.jbox.DataRoot;
import dev.jbox.JboxException;
import dev.jbox.image.ImageConfig;
import dev.jbox.image.ImageStore;
import dev.jbox.image.StoredImage;
import dev.jbox.kernel.Kernel;
import dev.jbox.kernel.WaitStatus;
import dev.jbox.lifecycle.ContainerRecord;
import dev.jbox.lifecycle.ContainerState;
import dev.jbox.lifecycle.ContainerStore;
import dev.jbox.lifecycle.ProcessTable;
import dev.jbox.namespaces.Exec;
import dev.jbox.network.NetworkStore;
import dev.jbox.runtime.ContainerProcess;
import dev.jbox.runtime.ContainerRuntime;
import dev.jbox.runtime.Launch;
import dev.jbox.runtime.RootfsCheck;
import dev.jbox.spec.ContainerSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The one door to a container's life: create, start, wait, stop, kill, remove, exec, inspect,
 * list, reset. The CLI parses and prints around it; tests, the lab grader and the benchmarks call
 * it directly. It keeps no state of its own between calls - everything is in the data root - so
 * that any jbox command, or a later daemon, can pick up a container another one made.
 */
public final class Engine {
    public static final int SIGTERM = 15, SIGKILL = 9;

    private final DataRoot root;
    private final ContainerStore containers;
    private final ImageStore images;
    private final Chapters chapters;

    public Engine(DataRoot root) {
        this.root = root;
        this.containers = new ContainerStore(root);
        this.images = new ImageStore(root);
        this.chapters = new Chapters(new EngineContext(root, containers));
    }

    public DataRoot root() {
        return root;
    }

    public Chapter chapter(int number) {
        return chapters.get(number);
    }

    // tag::create[]
    /**
     * Makes a container and holds it before its command: the chapter's features prepare the
     * spec, the runtime creates the process, the features act on it. If any step fails, what the
     * earlier steps made is released and the error goes on.
     */
    public CreatedContainer create(RunRequest request) {
        chapters.checkOptions(request.chapter(), request.options());
        Chapter chapter = chapters.get(request.chapter());
        ContainerRuntime runtime = chapter.runtime().apply(root);
        Target target = resolve(request, chapter);
        if (!runtime.keepsState()) {
            return createJail(request, runtime, target);
        }
        collectGarbage();
        // The record holds the image's spec from the start: an engine killed before the features ran
        // leaves a record every command can still read (and release).
        ContainerRecord record = containers.create(request.name(), r -> r.image(target.image())
                .imageId(target.imageId()).chapter(chapter.number()).autoRemove(request.autoRemove())
                .detached(request.detach()).spec(target.spec(containers.dirOf(r.build())).build()));
        List<Integer> opened = new ArrayList<>();
        try {
            ContainerSpec.Builder spec = target.spec(containers.dirOf(record));
            for (Feature f : chapter.features()) {
                record = f.prepare(request, record, spec);
            }
            ContainerSpec built = withHostnameVariable(spec.build());
            record = record.withSpec(built);
            containers.save(record);
            Launch launch = new Launch(stdio(request, record, opened), false, containers.dirOf(record));
            ContainerProcess process;
            try {
                process = runtime.create(built, launch);
            } finally {
                opened.forEach(Kernel::closeQuietly);
                opened.clear();
            }
            try {
                record = record.withProcesses(process.waitedPid(), process.pid());
                containers.save(record);
                for (Feature f : chapter.features()) {
                    record = f.created(record, process.pid());
                    containers.save(record);
                }
            } catch (RuntimeException | Error e) {
                process.abort();
                throw e;
            }
            return new CreatedContainer(record, process, launch, request.interactive(), List.of());
        } catch (RuntimeException | Error e) {
            opened.forEach(Kernel::closeQuietly);
            try {
                releaseAndDelete(record);
            } catch (RuntimeException undo) {
                e.addSuppressed(undo);
            }
            throw e;
        }
    }
    // end::create[]

    /** Chapter 1: nothing is stored and nothing is made before the start; the jail is the whole container. */
    private CreatedContainer createJail(RunRequest request, ContainerRuntime runtime, Target target) {
        List<Integer> opened = new ArrayList<>();
        Launch.Stdio stdio = request.stdio();
        if (stdio == null) {
            stdio = new Launch.Stdio(request.interactive() ? 0 : devNull(opened), 1, 2);
        }
        Launch launch = new Launch(stdio, request.stdio() == null && request.interactive() && Kernel.isatty(0), null);
        ContainerProcess process = runtime.create(target.spec(null).build(), launch);
        return new CreatedContainer(null, process, launch, request.interactive(), opened);
    }

    /** Lets the container's command run. */
    public void start(CreatedContainer c) {
        try {
            c.process().start();
        } finally {
            c.ownFds().forEach(Kernel::closeQuietly);
        }
    }

    /**
     * After the container's command ended in the foreground: removes it (--rm) or releases what
     * it held while running (its network endpoint), as Docker does when a container stops.
     */
    public void ended(CreatedContainer c) {
        if (c.record() == null) {
            return;
        }
        ContainerRecord now = containers.find(c.record().id());
        if (now.autoRemove()) {
            releaseAndDelete(now);
        } else {
            release(now);
        }
    }

    /** create, start, wait and clean up, with no terminal: for tests, the lab and benchmarks. */
    public WaitStatus run(RunRequest request) {
        CreatedContainer c = create(request);
        start(c);
        if (c.record() != null && c.record().detached()) {
            return null;
        }
        WaitStatus status = c.process().waitFor();
        ended(c);
        return status;
    }

    /** Chooses stdin, stdout and stderr: the terminal, or /dev/null and the log file when detached. */
    private Launch.Stdio stdio(RunRequest request, ContainerRecord record, List<Integer> opened) {
        if (request.stdio() != null) {
            return request.stdio();
        }
        int in = request.interactive() && !request.detach() ? 0 : devNull(opened);
        if (!request.detach()) {
            return new Launch.Stdio(in, 1, 2);
        }
        int log = Kernel.open(containers.logOf(record).toString(),
                Kernel.O_WRONLY | Kernel.O_CREAT | Kernel.O_APPEND | Kernel.O_CLOEXEC, 0640);
        opened.add(log);
        return new Launch.Stdio(in, log, log);
    }

    private static int devNull(List<Integer> opened) {
        int fd = Kernel.open("/dev/null", Kernel.O_RDONLY | Kernel.O_CLOEXEC, 0);
        opened.add(fd);
        return fd;
    }

    /** Docker sets HOSTNAME in a container's environment (an explicit -e HOSTNAME still wins). */
    private static ContainerSpec withHostnameVariable(ContainerSpec spec) {
        if (spec.hostname() == null) {
            return spec;
        }
        List<String> env = new ArrayList<>();
        env.add("HOSTNAME=" + spec.hostname());
        env.addAll(spec.process().env());
        return spec.toBuilder().env(Environment.dedupe(env)).build();
    }

    /**
     * The image (its name as given, and its id) and the spec's process as the image and the
     * request say; the root as the chapter roots an image, given the container's directory.
     */
    private record Target(String image, String imageId, Function<Path, Path> root, List<String> command,
                          List<String> env, String cwd) {
        ContainerSpec.Builder spec(Path containerDir) {
            return ContainerSpec.builder(root.apply(containerDir), command).env(env).cwd(cwd);
        }
    }

    private Target resolve(RunRequest r, Chapter chapter) {
        ImageConfig config;
        Function<Path, Path> root;
        String imageName, imageId = null;
        if (r.rootfs() != null) {
            Path rootfs = RootfsCheck.check(r.rootfs());
            config = new ImageConfig(null, List.of("sh"), null, null);
            imageName = rootfs.toString();
            root = dir -> rootfs;
        } else {
            if (r.image() == null) {
                throw new JboxException("'jbox run' needs an image or --rootfs DIR; e.g. jbox run busybox echo hello");
            }
            StoredImage image = chapter.source().find(images, r.image(), r.pull()); // chapter 5 pulls it if missing
            config = image.config().runConfig();
            imageName = r.image();
            imageId = image.id().toString();
            root = dir -> chapter.images().rootOf(image, dir);
        }
        List<String> command = config.command(r.command(), r.entrypoint());
        if (command.isEmpty()) {
            throw new JboxException("no command given and the image has no default command; add one, e.g. jbox run IMAGE sh");
        }
        List<String> env = new ArrayList<>(config.env());
        env.add("HOME=/root");
        if (r.tty()) {
            env.add("TERM=" + System.getenv().getOrDefault("TERM", "xterm"));
        }
        env.addAll(r.env());
        String cwd = r.workdir() != null ? r.workdir() : config.workingDir();
        if (!cwd.startsWith("/")) {
            throw new JboxException("the working directory must be an absolute path inside the container: -w " + cwd);
        }
        return new Target(imageName, imageId, root, command, Environment.dedupe(env), cwd);
    }

    // ---- containers that exist --------------------------------------------------------------

    /** A container by name, full id or unique id prefix. */
    public ContainerRecord find(String ref) {
        collectGarbage();
        return containers.find(ref);
    }

    /** Every container, oldest first. */
    public List<ContainerRecord> list() {
        collectGarbage();
        return containers.list();
    }

    public ContainerState state(ContainerRecord c) {
        return containers.state(c);
    }

    public Path logOf(ContainerRecord c) {
        return containers.logOf(c);
    }

    /** Sends {@code signal} to the container's pid 1. */
    public void kill(ContainerRecord c, int signal) {
        if (!state(c).running()) {
            throw new JboxException("container " + c.name() + " is not running; 'jbox ps -a' shows its state");
        }
        Kernel.kill(c.pid(), signal);
    }

    // tag::stop[]
    /**
     * SIGTERM, then SIGKILL after {@code seconds}. pid 1 of a PID namespace gets only the signals
     * it has a handler for (SIGKILL aside), so a program that ignores SIGTERM as pid 1 is only
     * stopped by the SIGKILL: the lab shows it.
     */
    public void stop(ContainerRecord c, double seconds) {
        if (!state(c).running()) {
            return;
        }
        Kernel.kill(c.pid(), SIGTERM);
        if (!awaitEnd(c, seconds)) {
            Kernel.kill(c.pid(), SIGKILL);
            awaitEnd(c, 10);
        }
        release(containers.find(c.id()));
    }
    // end::stop[]

    /** Removes a container that has ended, or (with {@code force}) kills it first. */
    public void remove(ContainerRecord c, boolean force) {
        ContainerState.Status status = state(c).status();
        boolean alive = status == ContainerState.Status.RUNNING
                || status == ContainerState.Status.CREATED && ProcessTable.alive(c.shimPid(), c.shimStartTime());
        if (alive && !force) {
            throw new JboxException("container " + c.name() + " is " + status.label().toLowerCase()
                    + "; stop it first (jbox stop " + c.name() + ") or use jbox rm -f");
        }
        terminate(c);
        releaseAndDelete(c);
    }

    /** Kills and removes every container and every network: the machine as before jbox ran. Images stay. */
    public List<String> reset() {
        List<String> removed = new ArrayList<>();
        for (ContainerRecord c : containers.list()) {
            terminate(c);
            releaseAndDelete(c);
            removed.add("removed container " + c.name() + " (" + c.shortId() + ")");
        }
        try (NetworkStore catalog = NetworkStore.open(root)) {
            removed.addAll(catalog.reset());
        }
        return removed;
    }

    /**
     * Removes the ended containers that were run with --rm, and releases what the other ended
     * ones still hold (their addresses and host ports become free, as when Docker stops a
     * container): there is no daemon to do it when they end, so every command does it first.
     */
    public void collectGarbage() {
        for (ContainerRecord c : containers.list()) {
            ContainerState.Status s = state(c).status();
            if (s != ContainerState.Status.EXITED && s != ContainerState.Status.DEAD) {
                continue;
            }
            if (c.autoRemove()) {
                releaseAndDelete(c);
            } else {
                release(c);
            }
        }
    }

    /** Kills whatever still runs of the container: pid 1 (its namespace goes with it), or a held shim. */
    private void terminate(ContainerRecord c) {
        ContainerState.Status s = state(c).status();
        if (s == ContainerState.Status.RUNNING) {
            Kernel.kill(c.pid(), SIGKILL);
            if (!awaitEnd(c, 10)) {
                throw new JboxException("container " + c.name() + " did not end within 10 s of SIGKILL; try again");
            }
        } else if (s == ContainerState.Status.CREATED && ProcessTable.alive(c.shimPid(), c.shimStartTime())) {
            Kernel.kill(c.shimPid(), SIGKILL);
        }
    }

    /** Every feature of the container's chapter releases what it made, last made first; the record is saved. */
    private void release(ContainerRecord c) {
        ContainerRecord released = releaseFeatures(c);
        if (!released.equals(c)) {
            containers.save(released);
        }
    }

    private ContainerRecord releaseFeatures(ContainerRecord c) {
        List<Feature> features = new ArrayList<>(chapters.get(c.chapter()).features());
        java.util.Collections.reverse(features);
        ContainerRecord r = c;
        RuntimeException first = null;
        for (Feature f : features) {
            try {
                r = f.release(r);
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
        return r;
    }

    private void releaseAndDelete(ContainerRecord c) {
        releaseFeatures(c);
        chapters.get(c.chapter()).features().forEach(f -> f.removed(c));
        containers.delete(c);
    }

    /** Polls until the container is no longer running; false if {@code seconds} passed first. */
    public boolean awaitEnd(ContainerRecord c, double seconds) {
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        while (state(c).running()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    // ---- exec and inspect -------------------------------------------------------------------

    /**
     * Starts {@code request}'s command in the running container {@code c}, in all its
     * namespaces; returns it started (a child of this JVM) for the caller to wait on.
     */
    public ContainerProcess exec(ContainerRecord c, ExecRequest request) {
        if (!state(c).running()) {
            throw new JboxException("container " + c.name() + " is not running; start a new one with jbox run");
        }
        List<String> env = new ArrayList<>(c.env());
        env.addAll(request.env());
        List<Integer> opened = new ArrayList<>();
        try {
            Launch.Stdio stdio = request.stdio() != null ? request.stdio()
                    : new Launch.Stdio(request.interactive() ? 0 : devNull(opened), 1, 2);
            ContainerSpec.Builder builder = c.spec().toBuilder().args(request.command()).env(Environment.dedupe(env))
                    .cwd(request.workdir() != null ? request.workdir() : c.workdir()).terminal(request.tty());
            if (request.user() != null) { // names as the running container's own /etc/passwd has them
                builder.user(dev.jbox.volumes.UserFeature.resolveIn(Path.of("/proc/" + c.pid() + "/root"), request.user()).ids());
            }
            ContainerSpec spec = builder.build();
            Exec.Process p = Exec.start(c.pid(), c.namespaces(), spec, stdio);
            try {
                for (Feature f : chapters.get(c.chapter()).features()) {
                    f.execed(c, p.pid());
                }
            } catch (RuntimeException | Error e) {
                p.abort();
                throw e;
            }
            p.go(); // in its cgroup before it runs one instruction of the command
            return new ExecedProcess(p.pid(), p.ptyMaster());
        } finally {
            opened.forEach(Kernel::closeQuietly);
        }
    }

    private record ExecedProcess(int pid, int ptyMaster) implements ContainerProcess {
        @Override
        public void start() {
        }

        @Override
        public WaitStatus waitFor() {
            return Kernel.waitpid(pid);
        }
    }

    /**
     * What {@code inspect} shows: the record, its state, while it runs its namespaces and mounts,
     * and how many of its processes the OOM killer killed (chapter 3; read live while its cgroup exists).
     */
    public record Inspection(ContainerRecord record, ContainerState state, Map<String, String> namespaces,
                             List<ProcessTable.Mount> mounts, Path logPath, long oomKills) {
    }

    public Inspection inspect(ContainerRecord c) {
        ContainerState s = state(c);
        long oomKills = c.oomKills();
        if (c.spec() != null && c.spec().linux().cgroupsPath() != null) {
            var cgroup = dev.jbox.cgroups.CgroupsFeature.manager(c);
            if (cgroup.exists()) {
                oomKills = Math.max(oomKills, cgroup.stats().oomKills());
            }
        }
        return new Inspection(c, s, s.running() ? ProcessTable.namespaces(c.pid()) : new LinkedHashMap<>(),
                s.running() ? ProcessTable.mounts(c.pid()) : List.of(), c.detached() ? logOf(c) : null, oomKills);
    }

    // ---- chapter 3: what the cgroup counts, and changing its limits ----------------------------

    /** The container's cgroup; an error naming the chapter when it has none. */
    private static dev.jbox.cgroups.CgroupManager cgroupOf(ContainerRecord c) {
        if (c.spec() == null || c.spec().linux().cgroupsPath() == null) {
            throw new JboxException("container " + c.name() + " has no cgroup: it was run with --chapter " + c.chapter()
                    + ", and cgroups come with chapter 3");
        }
        return dev.jbox.cgroups.CgroupsFeature.manager(c);
    }

    /** What {@code jbox stats} shows of one running container: its cgroup's counters and its network's bytes. */
    public record Usage(ContainerRecord record, dev.jbox.cgroups.Stats cgroup, long netRxBytes, long netTxBytes) {
    }

    public Usage usage(ContainerRecord c) {
        long[] net = ProcessTable.networkBytes(c.pid());
        return new Usage(c, cgroupOf(c).stats(), net[0], net[1]);
    }

    /** The processes of a running container (its cgroup's), as host pids. */
    public List<Integer> processes(ContainerRecord c) {
        if (!state(c).running()) {
            throw new JboxException("container " + c.name() + " is not running; 'jbox ps -a' shows its state");
        }
        return cgroupOf(c).pids();
    }

    /** Changes the limits of a running container ({@code jbox update}) and records them. */
    public void update(ContainerRecord c, dev.jbox.cgroups.Resources changes) {
        if (!state(c).running()) {
            throw new JboxException("container " + c.name() + " is not running; only a running container's limits change");
        }
        cgroupOf(c).update(changes);
        ContainerSpec spec = c.spec();
        containers.save(c.withSpec(spec.toBuilder().resources(spec.linux().resources().merge(changes)).build()));
    }
}
