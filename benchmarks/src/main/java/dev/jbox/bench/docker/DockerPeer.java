package dev.jbox.bench.docker;

import dev.jbox.bench.BenchException;
import dev.jbox.bench.BenchRoot;
import dev.jbox.bench.process.ProcessResults;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Docker, the tool jbox's users know, beside jbox, crun and runc on the same root file system,
 * measured two ways: as whole processes ({@code docker run --rm}, timed by hyperfine with the
 * others) and warm, through the running daemon's API from this JVM (create, start, wait), which
 * is what the daemon itself does for a container once its CLI has started. When Docker cannot
 * run, its rows say why instead of missing.
 *
 * <p>The daemon is the tests' {@link dev.jbox.testing.DockerPeer} (started by hand, no systemd),
 * here with Docker's default bridge and iptables rules, made in a network namespace of its own
 * and gone with it: the containers do all that Docker does for {@code docker run} - an overlay2
 * layer, a cgroup, a veth pair on the bridge, runc.
 */
public final class DockerPeer implements AutoCloseable {
    public static final String RUN = "docker";
    public static final String RUN_NONET = "docker-nonet";
    public static final String API = "docker-api";
    private static final String RUN_LABEL = "docker run --rm busybox:local true (Debian's docker.io: the CLI, dockerd,"
            + " containerd, runc; the image imported from the same root file system; the default bridge network)";
    private static final String RUN_NONET_LABEL = "docker run --rm --network none busybox:local true (the same with"
            + " loopback only)";
    private static final String API_LABEL = "Docker's daemon, already running, through its API from a warm client:"
            + " create, start and wait for /bin/true, --network none (removal untimed)";

    static final String IMAGE = "busybox:local";

    private final dev.jbox.testing.DockerPeer daemon;
    private final Path dir;
    private final String reason;
    private final String version;

    private DockerPeer(dev.jbox.testing.DockerPeer daemon, Path dir, String reason) {
        this.daemon = daemon;
        this.dir = dir;
        this.reason = reason;
        this.version = daemon == null ? null : daemon.docker("version", "--format", "{{.Server.Version}}").stdout().strip();
    }

    /** Starts a daemon of the benchmark's own with its state in {@code dir}; never fails, but may hold the reason it could not. */
    public static DockerPeer start(Path dir, Path rootfs) {
        String missing = dev.jbox.testing.DockerPeer.missing();
        if (missing != null) {
            return new DockerPeer(null, dir, missing);
        }
        dev.jbox.testing.DockerPeer daemon = null;
        try {
            daemon = dev.jbox.testing.DockerPeer.start(dir,
                    dev.jbox.testing.DockerPeer.Options.defaults().named("jboxbnch-docker").withBridge());
            importImage(daemon, rootfs);
            return new DockerPeer(daemon, dir, null);
        } catch (BenchException | IllegalStateException | UncheckedIOException e) {
            if (daemon != null) {
                daemon.close();
            }
            BenchRoot.delete(dir);
            System.err.println("process: Docker not measured: " + e.getMessage());
            return new DockerPeer(null, dir, "dockerd could not be started here: " + e.getMessage());
        }
    }

    /** {@code tar -C ROOTFS -c . | docker import - busybox:local}: the same files the other rows run. */
    private static void importImage(dev.jbox.testing.DockerPeer daemon, Path rootfs) {
        try {
            List<Process> pipeline = ProcessBuilder.startPipeline(List.of(
                    new ProcessBuilder("tar", "-C", rootfs.toString(), "-c", ".").redirectError(ProcessBuilder.Redirect.INHERIT),
                    new ProcessBuilder(dev.jbox.testing.DockerPeer.DOCKER, "-H", "unix://" + daemon.socket(), "import", "-", IMAGE)
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

    /** The CLI pointed at the daemon, followed by {@code args}, as one command line (for hyperfine). */
    private String cli(String args) {
        return dev.jbox.testing.DockerPeer.DOCKER + " -H unix://" + daemon.socket() + " " + args;
    }

    /** {@code docker run} as whole processes, for hyperfine beside the others; none when Docker cannot run. */
    public List<ProcessResults.Command> commands() {
        if (daemon == null) {
            return List.of();
        }
        return List.of(
                new ProcessResults.Command(RUN, label(RUN_LABEL), cli("run --rm " + IMAGE + " true"), List.of()),
                new ProcessResults.Command(RUN_NONET, label(RUN_NONET_LABEL),
                        cli("run --rm --network none " + IMAGE + " true"), List.of()));
    }

    /** Every Docker row, with the reason, when Docker cannot run. */
    public List<ProcessResults.Missing> missing() {
        if (daemon != null) {
            return List.of();
        }
        return List.of(new ProcessResults.Missing(RUN, RUN_LABEL, reason),
                new ProcessResults.Missing(RUN_NONET, RUN_NONET_LABEL, reason),
                new ProcessResults.Missing(API, API_LABEL, reason));
    }

    /** The warm path: {@code runs} containers through the API after {@code warmup} untimed ones. */
    public List<ProcessResults.Command> warm(int warmup, int runs) {
        if (daemon == null) {
            return List.of();
        }
        DockerApi api = new DockerApi(daemon.socket());
        String create = "{\"Image\":\"" + IMAGE + "\",\"Cmd\":[\"true\"],\"HostConfig\":{\"NetworkMode\":\"none\"}}";
        List<Double> millis = new ArrayList<>();
        for (int i = 0; i < warmup + runs; i++) {
            long start = System.nanoTime();
            String id = api.request("POST", "/containers/create", create).json().get("Id").asText();
            api.request("POST", "/containers/" + id + "/start", null);
            int status = api.request("POST", "/containers/" + id + "/wait", null).json().get("StatusCode").asInt();
            double elapsed = (System.nanoTime() - start) / 1e6;
            api.request("DELETE", "/containers/" + id, null);
            if (status != 0) {
                throw new BenchException("a Docker container running true exited with " + status);
            }
            if (i >= warmup) {
                millis.add(elapsed);
            }
        }
        return List.of(new ProcessResults.Command(API, label(API_LABEL),
                "POST /containers/create, /start, /wait (API " + DockerApi.VERSION + ")", millis));
    }

    private String label(String label) {
        return label.replaceFirst("\\(Debian's docker.io", "(Docker " + version + ", Debian's docker.io");
    }

    @Override
    public void close() {
        if (daemon != null) {
            daemon.close();
            BenchRoot.delete(dir); // the daemon's state: images, containers, logs
        }
    }
}
