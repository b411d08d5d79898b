package dev.jbox.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Debian's Docker (docker.io: dockerd 20.10, containerd, runc), started by hand as on a machine
 * without systemd, for the interop tests and the benchmarks. Its state is in a directory of the
 * caller's, its sockets in {@code /run/NAME}, its cgroups under {@code /NAME}, so a Docker the
 * reader runs is never touched. {@link #close} stops it and removes its processes, mounts,
 * cgroups, network namespace and the directories it made.
 *
 * <p>What it may touch is chosen with {@link Options}: by default no bridge and no iptables rules
 * at all (containers run with {@code --network none}) and a network namespace of its own anyway;
 * the benchmarks add the bridge ({@code docker run}'s usual veth pair and NAT chains, made in
 * the namespace and gone with it); a test that pushes to a registry on the host's loopback runs
 * it in the host's namespace, where without a bridge it changes nothing.
 */
public final class DockerPeer implements AutoCloseable {
    public static final String DOCKER = "/usr/bin/docker";
    public static final String DOCKERD = "/usr/sbin/dockerd";
    public static final String CONTAINERD = "/usr/bin/containerd";
    /** Where dockerd and containerd make directories whatever they are told (plugins, shim sockets). */
    private static final List<Path> MADE_ANYWAY = List.of(Path.of("/run/docker"), Path.of("/run/containerd"));

    /**
     * How the daemon is started. {@code name}: its sockets' directory, cgroup parent and network
     * namespace; {@code bridge}: Docker's default bridge network with its iptables rules (needs
     * {@code netns}, so they are made where they vanish with it); {@code netns}: a network
     * namespace of its own. The data root is always the caller's {@code DIR/data}.
     */
    public record Options(String name, boolean bridge, boolean netns) {
        public static Options defaults() {
            return new Options("jboxtest-docker", false, true);
        }

        public Options named(String n) {
            return new Options(n, bridge, netns);
        }

        /** Docker's default bridge network and iptables rules, in its own namespace. */
        public Options withBridge() {
            return new Options(name, true, true);
        }

        /** The host's network namespace: the host's loopback (a local registry) is the daemon's; no bridge. */
        public Options inHostNetwork() {
            return new Options(name, false, false);
        }
    }

    private final Path dir;
    private final Options options;
    private final Path run;
    private final List<Path> made = new ArrayList<>();
    private boolean madeNetns;
    private Process containerd;
    private Process dockerd;

    private DockerPeer(Path dir, Options options) {
        this.dir = dir;
        this.options = options;
        this.run = Path.of("/run", options.name());
    }

    public static boolean installed() {
        return missing() == null;
    }

    /** Why Docker cannot run here (a program of it is not installed), or null. */
    public static String missing() {
        for (String program : List.of(DOCKER, DOCKERD, CONTAINERD)) {
            if (!Files.isExecutable(Path.of(program))) {
                return program + " is not installed (Debian's docker.io; vm/provision.sh --test or --bench installs it)";
            }
        }
        return null;
    }

    /** A daemon with the default options (no bridge, no iptables, a network namespace of its own), its state in {@code dir}. */
    public static DockerPeer start(Path dir) {
        return start(dir, Options.defaults());
    }

    /** Starts containerd and dockerd; a failure leaves nothing behind and says why (IllegalStateException). */
    public static DockerPeer start(Path dir, Options options) {
        DockerPeer d = new DockerPeer(dir, options);
        try {
            d.startDaemons();
            return d;
        } catch (RuntimeException | Error e) {
            d.close();
            throw e;
        }
    }

    public Path socket() {
        return run.resolve("docker.sock");
    }

    /** The docker CLI (Debian's, the same version as the daemon) against this daemon; its config (logins) in DIR/cli, never ~/.docker. */
    public Cli.Result docker(String... args) {
        List<String> argv = new ArrayList<>(List.of(DOCKER, "-H", "unix://" + socket()));
        argv.addAll(List.of(args));
        return Cli.run(argv, Map.of("DOCKER_CONFIG", dir.resolve("cli").toString()), Duration.ofMinutes(2));
    }

    /** The daemon's network namespace (/run/netns/NAME; a test may add an interface there, which goes with it). */
    public Path netns() {
        return Path.of("/run/netns", options.name());
    }

    private void startDaemons() {
        if (Files.exists(run) || (options.netns() && Files.exists(netns()))) {
            throw new IllegalStateException(run + " or " + netns() + " exists: a run was interrupted; stop its dockerd and"
                    + " containerd, then: ip netns del " + options.name() + "; rm -r " + run);
        }
        MADE_ANYWAY.stream().filter(p -> !Files.exists(p)).forEach(made::add);
        try {
            Files.createDirectories(run);
            Files.createDirectories(dir);
            // not the reader's /etc/docker/daemon.json; and the daemon's identity key here, not in /etc/docker/key.json
            Files.writeString(dir.resolve("daemon.json"), "{\"deprecated-key-path\": \"" + dir.resolve("key.json") + "\"}\n");
            Files.writeString(dir.resolve("containerd.toml"), containerdConfig());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare Docker's directories in " + dir, e);
        }
        if (options.netns()) {
            ok("ip", "netns", "add", options.name());
            madeNetns = true;
            ok("ip", "-n", options.name(), "link", "set", "lo", "up");
        }
        containerd = spawn("containerd", CONTAINERD, "--config", dir.resolve("containerd.toml").toString());
        waitUntil("containerd", containerd, () -> Files.exists(run.resolve("containerd.sock")));
        List<String> dockerdArgs = new ArrayList<>(List.of(DOCKERD, "--config-file", dir.resolve("daemon.json").toString(),
                "--containerd", run.resolve("containerd.sock").toString(), "--data-root", dir.resolve("data").toString(),
                "--exec-root", run.resolve("exec").toString(), "--pidfile", run.resolve("dockerd.pid").toString(),
                "-H", "unix://" + socket(),
                "--cgroup-parent", "/" + options.name())); // absolute: a relative parent lands below the cgroup dockerd was started in, in some hierarchies
        if (!options.bridge()) {
            // --ip-forward=false too: in the host's namespace dockerd would otherwise turn the host's ip_forward on
            dockerdArgs.addAll(List.of("--bridge=none", "--iptables=false", "--ip-masq=false", "--ip-forward=false"));
        }
        dockerd = spawn("dockerd", dockerdArgs.toArray(String[]::new));
        waitUntil("dockerd", dockerd, () -> docker("version").exitCode() == 0);
    }

    private String containerdConfig() {
        // The CRI plugin (Kubernetes) is not needed; debug and metrics listeners are off; /opt is not written.
        return "version = 2\nroot = \"" + dir.resolve("containerd") + "\"\nstate = \"" + run.resolve("containerd") + "\"\n"
                + "disabled_plugins = [\"io.containerd.grpc.v1.cri\"]\n"
                + "[grpc]\n  address = \"" + run.resolve("containerd.sock") + "\"\n"
                + "[ttrpc]\n  address = \"" + run.resolve("containerd.sock.ttrpc") + "\"\n"
                + "[debug]\n  address = \"\"\n[metrics]\n  address = \"\"\n"
                + "[plugins.\"io.containerd.internal.v1.opt\"]\n  path = \"" + dir.resolve("containerd-opt") + "\"\n";
    }

    /** Starts a daemon, in the namespace if there is one (nsenter execs it: the process is the daemon). */
    private Process spawn(String name, String... command) {
        List<String> argv = new ArrayList<>();
        if (options.netns()) {
            argv.addAll(List.of("nsenter", "--net=" + netns()));
        }
        argv.addAll(List.of(command));
        try {
            return new ProcessBuilder(argv).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectOutput(dir.resolve(name + ".log").toFile()).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + name + ": " + e.getMessage());
        }
    }

    interface Check {
        boolean ok() throws Exception;
    }

    private void waitUntil(String name, Process p, Check ready) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        try {
            while (!ready.ok()) {
                if (!p.isAlive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException(name + (p.isAlive() ? " was not ready after 60 s: " : " exited with "
                            + p.exitValue() + ": ") + lastLines(name));
                }
                Thread.sleep(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + name);
        } catch (IllegalStateException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("cannot tell whether " + name + " is ready: " + e);
        }
    }

    private String lastLines(String name) {
        try (Stream<String> lines = Files.lines(dir.resolve(name + ".log"))) {
            List<String> all = lines.filter(l -> !l.isBlank()).toList();
            return all.isEmpty() ? "(it printed nothing)" : String.join("\n", all.subList(Math.max(0, all.size() - 5), all.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    private static void ok(String... argv) {
        Cli.Result r = Cli.run(List.of(argv), Map.of());
        if (r.exitCode() != 0) {
            throw new IllegalStateException(String.join(" ", argv) + " -> " + r);
        }
    }

    /**
     * Stops dockerd, then containerd (and any shim of this containerd's left), then removes the
     * mounts, the network namespace (and with it a bridge and its chains), the cgroups and the
     * directories the daemons made. The caller's directory (their state) stays: it is the caller's.
     */
    @Override
    public void close() {
        stop(dockerd, 30);
        stop(containerd, 15);
        stopShims();
        try {
            unmountUnder(dir);
            unmountUnder(run);
            if (madeNetns && Files.exists(netns())) {
                ok("ip", "netns", "del", options.name());
            }
            removeCgroups();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clean up after Docker (" + options.name() + ")", e);
        }
        ok("rm", "-rf", "--one-file-system", run.toString());
        for (Path p : made) {
            ok("rm", "-rf", "--one-file-system", p.toString());
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

    /** A containerd-shim outlives its containerd while its container exists; one left (it names this containerd's socket) is stopped. */
    private void stopShims() {
        String socket = run.resolve("containerd.sock").toString();
        for (ProcessHandle shim : ProcessHandle.allProcesses()
                .filter(p -> p.info().arguments().map(a -> List.of(a).contains(socket)).orElse(false)).toList()) {
            System.err.println("stopping a containerd shim Docker left, pid " + shim.pid());
            shim.destroy();
            try {
                shim.onExit().get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                shim.destroyForcibly();
            }
        }
    }

    private static void unmountUnder(Path root) throws IOException {
        String prefix = root.toAbsolutePath() + "/";
        List<String> targets = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            String target = line.split(" ")[4];
            if (target.startsWith(prefix) || target.equals(root.toAbsolutePath().toString())) {
                targets.add(target);
            }
        }
        targets.sort(Comparator.comparingInt(String::length).reversed());
        for (String t : targets) {
            ok("umount", "--lazy", t);
        }
    }

    /** The cgroups under --cgroup-parent, in every hierarchy, deepest first; they are empty once the daemons stopped. */
    private void removeCgroups() throws IOException {
        try (Stream<Path> hierarchies = Files.list(Path.of("/sys/fs/cgroup"))) {
            for (Path h : hierarchies.toList()) {
                Path parent = h.resolve(options.name());
                if (Files.isDirectory(parent)) {
                    try (Stream<Path> tree = Files.walk(parent)) {
                        for (Path cg : tree.filter(Files::isDirectory).sorted(Comparator.reverseOrder()).toList()) {
                            Files.delete(cg);
                        }
                    }
                }
            }
        }
    }
}
