package dev.jbox.bench.docker;

import dev.jbox.bench.BenchException;
import dev.jbox.bench.BenchRoot;
import dev.jbox.bench.Commands;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Docker as Debian packages it ({@code docker.io}: dockerd, containerd, runc), started by hand as
 * on a machine without systemd, and stopped and cleaned up afterwards. It lives in a network
 * namespace of its own, so its {@code docker0} bridge and {@code DOCKER*} iptables chains are
 * made there and vanish with it; its state, sockets and cgroups have names of their own, so a
 * Docker the reader runs is never touched. The containers still do all that Docker does for
 * {@code docker run}: an overlay2 layer, a cgroup, a veth pair on the bridge, runc.
 */
final class DockerDaemon implements AutoCloseable {
    static final String DOCKER = "/usr/bin/docker";
    static final String DOCKERD = "/usr/sbin/dockerd";
    static final String CONTAINERD = "/usr/bin/containerd";
    static final String IMAGE = "busybox:local";
    private static final String NAME = "jboxbnch-docker";
    private static final Path NETNS = Path.of("/run/netns", NAME);
    private static final Path RUN = Path.of("/run", NAME);
    /** Where dockerd and containerd make directories whatever they are told (plugins, shim sockets). */
    private static final List<Path> FIXED_DIRECTORIES = List.of(Path.of("/run/docker"), Path.of("/run/containerd"));

    private final Path dir;
    private final List<Path> madeFixed = new ArrayList<>();
    private Process containerd;
    private Process dockerd;

    private DockerDaemon(Path dir) {
        this.dir = dir;
    }

    /** Why Docker cannot be measured here, or empty if its programs are installed. */
    static Optional<String> missing() {
        for (String program : List.of(DOCKER, DOCKERD, CONTAINERD)) {
            if (!Files.isExecutable(Path.of(program))) {
                return Optional.of(program + " is not installed (Debian's docker.io; vm/provision.sh --bench installs it)");
            }
        }
        return Optional.empty();
    }

    /** Starts containerd and dockerd with their state in {@code dir}, and imports {@code rootfs} as busybox:local. */
    static DockerDaemon start(Path dir, Path rootfs) {
        DockerDaemon d = new DockerDaemon(dir);
        try {
            d.startDaemons();
            d.importImage(rootfs);
            return d;
        } catch (RuntimeException e) {
            d.close();
            throw e;
        }
    }

    Path socket() {
        return RUN.resolve("docker.sock");
    }

    /** The CLI pointed at this daemon, followed by {@code args}, as one command line. */
    String cli(String args) {
        return DOCKER + " -H unix://" + socket() + " " + args;
    }

    String version() {
        return Commands.output(List.of(DOCKER, "-H", "unix://" + socket(), "version", "--format", "{{.Server.Version}}")).strip();
    }

    private void startDaemons() {
        if (Files.exists(NETNS) || Files.exists(RUN)) {
            throw new BenchException(NETNS + " or " + RUN + " exists: a benchmark run was interrupted; stop its dockerd"
                    + " and containerd, then: ip netns del " + NAME + "; rm -r " + RUN);
        }
        for (Path p : FIXED_DIRECTORIES) {
            if (!Files.exists(p)) {
                madeFixed.add(p);
            }
        }
        try {
            Files.createDirectories(RUN);
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("daemon.json"), "{}\n"); // not the reader's /etc/docker/daemon.json
            Files.writeString(dir.resolve("containerd.toml"), containerdConfig());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare Docker's directories in " + dir, e);
        }
        Commands.output(List.of("ip", "netns", "add", NAME));
        Commands.output(List.of("ip", "-n", NAME, "link", "set", "lo", "up"));
        containerd = spawn("containerd", List.of(CONTAINERD, "--config", dir.resolve("containerd.toml").toString()));
        waitFor("containerd", containerd, () -> Files.exists(RUN.resolve("containerd.sock")));
        dockerd = spawn("dockerd", List.of(DOCKERD, "--config-file", dir.resolve("daemon.json").toString(),
                "--containerd", RUN.resolve("containerd.sock").toString(), "--data-root", dir.resolve("data").toString(),
                "--exec-root", RUN.resolve("exec").toString(), "--pidfile", RUN.resolve("dockerd.pid").toString(),
                "-H", "unix://" + socket(), "--cgroup-parent", "/" + NAME)); // absolute: see DockerPeer
        DockerApi api = new DockerApi(socket());
        waitFor("dockerd", dockerd, api::ping);
    }

    private String containerdConfig() {
        // The CRI plugin (Kubernetes) is not needed; debug and metrics listeners are off.
        return "version = 2\n"
                + "root = \"" + dir.resolve("containerd") + "\"\n"
                + "state = \"" + RUN.resolve("containerd") + "\"\n"
                + "disabled_plugins = [\"io.containerd.grpc.v1.cri\"]\n"
                + "[grpc]\n  address = \"" + RUN.resolve("containerd.sock") + "\"\n"
                + "[ttrpc]\n  address = \"" + RUN.resolve("containerd.sock.ttrpc") + "\"\n"
                + "[debug]\n  address = \"\"\n"
                + "[metrics]\n  address = \"\"\n"
                + "[plugins.\"io.containerd.internal.v1.opt\"]\n  path = \"" + dir.resolve("containerd-opt") + "\"\n";
    }

    /** Starts {@code command} in the daemon's network namespace (nsenter execs it: the process is the daemon). */
    private Process spawn(String name, List<String> command) {
        List<String> words = new ArrayList<>(List.of("nsenter", "--net=" + NETNS));
        words.addAll(command);
        try {
            return new ProcessBuilder(words).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectOutput(dir.resolve(name + ".log").toFile()).start();
        } catch (IOException e) {
            throw new BenchException("cannot start " + name + ": " + e.getMessage());
        }
    }

    interface Ready {
        boolean check() throws Exception;
    }

    private void waitFor(String name, Process process, Ready ready) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        try {
            while (!ready.check()) {
                if (!process.isAlive()) {
                    throw new BenchException(name + " exited with " + process.exitValue() + ": " + lastLine(name));
                }
                if (System.nanoTime() > deadline) {
                    throw new BenchException(name + " was not ready after 60 s: " + lastLine(name));
                }
                Thread.sleep(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchException("interrupted while waiting for " + name);
        } catch (BenchException e) {
            throw e;
        } catch (Exception e) {
            throw new BenchException("cannot tell whether " + name + " is ready: " + e.getMessage());
        }
    }

    private String lastLine(String name) {
        try (Stream<String> lines = Files.lines(dir.resolve(name + ".log"))) {
            List<String> all = lines.filter(l -> !l.isBlank()).toList();
            return all.isEmpty() ? "(it printed nothing)" : all.get(all.size() - 1);
        } catch (IOException e) {
            return "(no log)";
        }
    }

    /** {@code tar -C ROOTFS -c . | docker import - busybox:local}: the same files the other rows run. */
    private void importImage(Path rootfs) {
        try {
            List<Process> pipeline = ProcessBuilder.startPipeline(List.of(
                    new ProcessBuilder("tar", "-C", rootfs.toString(), "-c", ".")
                            .redirectError(ProcessBuilder.Redirect.INHERIT),
                    new ProcessBuilder(DOCKER, "-H", "unix://" + socket(), "import", "-", IMAGE)
                            .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.INHERIT)));
            for (Process p : pipeline) {
                if (p.waitFor() != 0) {
                    throw new BenchException("tar -C " + rootfs + " -c . | docker import - " + IMAGE + " failed (see above)");
                }
            }
        } catch (IOException e) {
            throw new BenchException("cannot import " + rootfs + " into Docker: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchException("interrupted while importing the image into Docker");
        }
    }

    /**
     * Stops dockerd, then containerd (and any shim of this containerd's left), then removes the
     * network namespace (and with it docker0 and the DOCKER* chains), the cgroups, the mounts and
     * the directories the daemons made.
     */
    @Override
    public void close() {
        stop(dockerd, 30);
        stop(containerd, 15);
        stopShims();
        unmountUnder(dir);
        unmountUnder(RUN);
        if (Files.exists(NETNS)) {
            Commands.output(List.of("ip", "netns", "del", NAME));
        }
        removeCgroups();
        BenchRoot.delete(RUN);
        BenchRoot.delete(dir);
        for (Path p : madeFixed) {
            removeEmptyTree(p);
        }
    }

    private static void stop(Process p, int seconds) {
        if (p == null || !p.isAlive()) {
            return;
        }
        p.destroy();
        try {
            if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * A containerd-shim outlives its containerd while its container exists; after {@code --rm} there
     * should be none. One left (its command line names this containerd's socket) is stopped.
     */
    private static void stopShims() {
        String address = RUN.resolve("containerd.sock").toString();
        List<ProcessHandle> shims = ProcessHandle.allProcesses()
                .filter(p -> p.info().arguments().map(args -> List.of(args).contains(address)).orElse(false))
                .toList();
        for (ProcessHandle shim : shims) {
            System.err.println("process: stopping a containerd shim Docker left, pid " + shim.pid());
            shim.destroy();
            try {
                shim.onExit().get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                shim.destroyForcibly();
            }
        }
    }

    private static void unmountUnder(Path root) {
        String prefix = root.toAbsolutePath() + "/";
        List<String> targets = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
                String target = line.split(" ")[4];
                if (target.startsWith(prefix) || target.equals(root.toAbsolutePath().toString())) {
                    targets.add(target);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read /proc/self/mountinfo", e);
        }
        targets.sort(Comparator.comparingInt(String::length).reversed());
        for (String t : targets) {
            Commands.output(List.of("umount", "--lazy", t));
        }
    }

    /** The cgroups under --cgroup-parent, in every hierarchy, deepest first; they are empty once the daemons stopped. */
    private static void removeCgroups() {
        try (Stream<Path> hierarchies = Files.list(Path.of("/sys/fs/cgroup"))) {
            for (Path h : hierarchies.toList()) {
                Path parent = h.resolve(NAME);
                if (Files.isDirectory(parent)) {
                    try (Stream<Path> tree = Files.walk(parent)) {
                        for (Path cg : tree.filter(Files::isDirectory).sorted(Comparator.reverseOrder()).toList()) {
                            Files.delete(cg);
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove Docker's cgroups named " + NAME + "; rmdir them by hand", e);
        }
    }

    private static void removeEmptyTree(Path root) {
        if (!Files.isDirectory(root)) {
            return;
        }
        try (Stream<Path> tree = Files.walk(root)) {
            for (Path p : tree.sorted(Comparator.reverseOrder()).toList()) {
                try (Stream<Path> children = Files.list(p)) {
                    if (children.findAny().isEmpty()) {
                        Files.delete(p);
                    }
                }
            }
        } catch (IOException e) {
            System.err.println("process: left " + root + " (made by Docker): " + e.getMessage());
        }
    }
}
