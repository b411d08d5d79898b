package dev.jbox.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Debian's Docker (docker.io: dockerd 20.10, containerd, runc) for interop tests, started by hand
 * as on a machine without systemd (as the benchmarks' DockerDaemon does), but made to touch as
 * little as possible: no bridge and no iptables rules at all ({@code --bridge=none
 * --iptables=false}; containers run with {@code --network none}), in a network namespace of its
 * own anyway, with its state in the test's directory. {@link #close} stops it and removes its
 * mounts, cgroups, namespace and the directories it made.
 */
public final class DockerPeer implements AutoCloseable {
    public static final String DOCKERD = "/usr/sbin/dockerd";
    private static final String NAME = "jboxtest-docker";
    private static final Path RUN = Path.of("/run", NAME);
    private static final List<Path> MADE_ANYWAY = List.of(Path.of("/run/docker"), Path.of("/run/containerd"));

    private final Path dir;
    private final List<Path> made = new ArrayList<>();
    private Process containerd;
    private Process dockerd;

    private DockerPeer(Path dir) {
        this.dir = dir;
    }

    public static boolean installed() {
        return Stream.of(DOCKERD, "/usr/bin/containerd", "/usr/bin/docker").allMatch(p -> Files.isExecutable(Path.of(p)));
    }

    public static DockerPeer start(Path dir) throws Exception {
        DockerPeer d = new DockerPeer(dir);
        try {
            d.startDaemons();
            return d;
        } catch (Exception | AssertionError e) {
            d.close();
            throw e;
        }
    }

    private void startDaemons() throws Exception {
        MADE_ANYWAY.stream().filter(p -> !Files.exists(p)).forEach(made::add);
        Files.createDirectories(RUN);
        Files.writeString(dir.resolve("daemon.json"), "{}\n");
        Files.writeString(dir.resolve("containerd.toml"), "version = 2\nroot = \"" + dir.resolve("containerd") + "\"\n"
                + "state = \"" + RUN.resolve("containerd") + "\"\ndisabled_plugins = [\"io.containerd.grpc.v1.cri\"]\n"
                + "[grpc]\n  address = \"" + RUN.resolve("containerd.sock") + "\"\n[ttrpc]\n  address = \""
                + RUN.resolve("containerd.sock.ttrpc") + "\"\n[debug]\n  address = \"\"\n[metrics]\n  address = \"\"\n");
        ok("ip", "netns", "add", NAME);
        ok("ip", "-n", NAME, "link", "set", "lo", "up");
        containerd = spawn("containerd", "/usr/bin/containerd", "--config", dir.resolve("containerd.toml").toString());
        waitUntil("containerd", containerd, () -> Files.exists(RUN.resolve("containerd.sock")));
        dockerd = spawn("dockerd", DOCKERD, "--config-file", dir.resolve("daemon.json").toString(),
                "--containerd", RUN.resolve("containerd.sock").toString(), "--data-root", dir.resolve("data").toString(),
                "--exec-root", RUN.resolve("exec").toString(), "--pidfile", RUN.resolve("dockerd.pid").toString(),
                "-H", "unix://" + RUN.resolve("docker.sock"), "--bridge=none", "--iptables=false", "--ip-masq=false",
                "--cgroup-parent", "/" + NAME); // absolute: a relative parent lands below the cgroup dockerd was started in, in some hierarchies
        waitUntil("dockerd", dockerd, () -> docker("version").exitCode() == 0);
    }

    /** The docker CLI (Debian's, the same version as the daemon) against this daemon. */
    public Cli.Result docker(String... args) {
        List<String> argv = new ArrayList<>(List.of("/usr/bin/docker", "-H", "unix://" + RUN.resolve("docker.sock")));
        argv.addAll(List.of(args));
        return Cli.run(argv, Map.of(), Duration.ofMinutes(2));
    }

    private Process spawn(String name, String... command) throws IOException {
        List<String> argv = new ArrayList<>(List.of("nsenter", "--net=/run/netns/" + NAME));
        argv.addAll(List.of(command));
        return new ProcessBuilder(argv).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(dir.resolve(name + ".log").toFile()).start();
    }

    interface Check {
        boolean ok() throws Exception;
    }

    private void waitUntil(String name, Process p, Check ready) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!ready.ok()) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError(name + " did not start: " + Files.readString(dir.resolve(name + ".log")));
            }
            Thread.sleep(100);
        }
    }

    private static void ok(String... argv) {
        Cli.Result r = Cli.run(List.of(argv), Map.of());
        if (r.exitCode() != 0) {
            throw new AssertionError(String.join(" ", argv) + " -> " + r);
        }
    }

    @Override
    public void close() throws Exception {
        for (Process p : new Process[] {dockerd, containerd}) {
            if (p != null && p.isAlive()) {
                p.destroy();
                if (!p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor();
                }
            }
        }
        String socket = RUN.resolve("containerd.sock").toString(); // a shim left names its containerd's socket
        ProcessHandle.allProcesses().filter(p -> p.info().arguments().map(a -> List.of(a).contains(socket)).orElse(false))
                .forEach(ProcessHandle::destroyForcibly);
        List<String> mounts = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            String target = line.split(" ")[4];
            if (target.startsWith(dir + "/") || target.startsWith(RUN + "/")) {
                mounts.add(target);
            }
        }
        mounts.sort(Comparator.comparingInt(String::length).reversed());
        for (String m : mounts) {
            ok("umount", "--lazy", m);
        }
        if (Files.exists(Path.of("/run/netns", NAME))) {
            ok("ip", "netns", "del", NAME);
        }
        try (Stream<Path> hierarchies = Files.list(Path.of("/sys/fs/cgroup"))) {
            for (Path h : hierarchies.toList()) {
                if (Files.isDirectory(h.resolve(NAME))) {
                    ok("find", h.resolve(NAME).toString(), "-depth", "-type", "d", "-exec", "rmdir", "{}", ";");
                }
            }
        }
        ok("rm", "-rf", "--one-file-system", RUN.toString());
        for (Path p : made) {
            ok("rm", "-rf", "--one-file-system", p.toString());
        }
    }
}
