package dev.jbox.bench.process;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jbox.bench.BenchException;
import dev.jbox.bench.Commands;
import dev.jbox.bench.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The peers: crun and runc running {@code /bin/true} on the same busybox root file system as
 * jbox, each from an OCI bundle that its own {@code spec} command generates (its defaults: pid,
 * network, ipc, uts and mount namespaces, a cgroup, the usual mounts, masked paths, three
 * capabilities), changed only where it must be: no terminal, {@code /bin/true}, a writable root
 * at the image's path, and a cgroup namespace as well, so that both have the namespaces jbox's
 * "all" has. Both also create a cgroup, as jbox does from chapter 3 on;
 * {@code crun --cgroup-manager=disabled} is measured too, to show that part, and crun with
 * limits in its config.json ({@code linux.resources} and a {@code cgroupsPath}), beside chapter 3.
 *
 * <p>crun 1.8 refuses a cgroup v1 hierarchy with a v2 one beside it (a "hybrid" host, such as
 * the machine of the recorded results: DESIGN.md section 3). There it runs in a private mount
 * namespace in which {@code /sys/fs/cgroup/unified} is unmounted; hyperfine itself is started
 * in that namespace, so the times hold no wrapper.
 */
final class OciBundles {
    private static final String UNIFIED = "/sys/fs/cgroup/unified";
    private static final String RUNC_LABEL = "runc run: an OCI runtime in Go, same rootfs, its default config";
    private static final String CRUN_LABEL = "crun run: an OCI runtime in C, same rootfs, its default config";
    private static final String CRUN_NOCG_LABEL = "crun --cgroup-manager=disabled run: the same without a cgroup";
    private static final String CRUN_LIMITS_LABEL = "crun run with limits: its config.json given linux.resources (memory,"
            + " CPU shares and quota, pids) and a cgroupsPath, as chapter 3's container has";
    /** The cgroup of crun's limited container, one level under each hierarchy's root, so no parent is left behind. */
    private static final String CRUN_CGROUP = "/jbox-bench-crun-limits";

    private final Path dir;
    private final Path rootfs;
    private final boolean hybrid;

    OciBundles(Path dir, Path rootfs) {
        this.dir = dir;
        this.rootfs = rootfs.toAbsolutePath();
        this.hybrid = mounted(UNIFIED);
    }

    /** runc, and crun where it works as it is: run by hyperfine directly. */
    List<ProcessResults.Command> hostCommands() {
        List<ProcessResults.Command> list = new ArrayList<>();
        if (Commands.onPath("runc")) {
            list.add(ProcessTimes.command("runc", RUNC_LABEL, run("runc", "", List.of())));
        }
        if (!hybrid) {
            list.addAll(crun(""));
        }
        return list;
    }

    /** The runtimes that are not installed, as rows that say so. */
    List<ProcessResults.Missing> missing() {
        List<ProcessResults.Missing> list = new ArrayList<>();
        String why = " is not installed (vm/provision.sh --bench installs it)";
        if (!Commands.onPath("runc")) {
            list.add(new ProcessResults.Missing("runc", RUNC_LABEL, "runc" + why));
        }
        if (!Commands.onPath("crun")) {
            list.add(new ProcessResults.Missing("crun", CRUN_LABEL, "crun" + why));
            list.add(new ProcessResults.Missing("crun-nocg", CRUN_NOCG_LABEL, "crun" + why));
            list.add(new ProcessResults.Missing("crun-limits", CRUN_LIMITS_LABEL, "crun" + why));
        }
        return list;
    }

    /** crun on a hybrid host: run by hyperfine started through {@link #privateMountNamespace()}. */
    List<ProcessResults.Command> privateCommands() {
        return hybrid ? crun(" (in a private mount namespace without " + UNIFIED + ")") : List.of();
    }

    /** The command that starts hyperfine in a mount namespace of its own without the cgroup2 mount. */
    List<String> privateMountNamespace() {
        return List.of("unshare", "--mount", "--propagation", "private", "sh", "-c",
                "umount " + UNIFIED + " && exec \"$@\"", "sh");
    }

    private List<ProcessResults.Command> crun(String where) {
        if (!Commands.onPath("crun")) {
            return List.of();
        }
        return List.of(
                ProcessTimes.command("crun", CRUN_LABEL + where, run("crun", "", List.of())),
                ProcessTimes.command("crun-nocg", CRUN_NOCG_LABEL + where, run("crun", "-nocg", List.of("--cgroup-manager=disabled"))),
                ProcessTimes.command("crun-limits", CRUN_LIMITS_LABEL + where, run("crun", "-limits", List.of())));
    }

    /** The command line that runs the container once; the container is gone when it exits. */
    private String run(String runtime, String variant, List<String> globalOptions) {
        Path bundle = bundle(runtime, variant);
        String id = "jbox-bench-" + runtime + variant;
        // A container of that name left by an interrupted run would make `run` fail.
        try {
            Commands.output(List.of(runtime, "delete", "--force", id));
        } catch (BenchException e) {
            // there was none: the usual case
        }
        List<String> words = new ArrayList<>(List.of(runtime));
        words.addAll(globalOptions);
        words.addAll(List.of("run", "--bundle", bundle.toString(), id));
        return String.join(" ", words);
    }

    private Path bundle(String runtime, String variant) {
        Path bundle = dir.resolve(runtime + variant);
        Path config = bundle.resolve("config.json");
        if (Files.exists(config)) {
            return bundle;
        }
        try {
            Files.createDirectories(bundle);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the bundle " + bundle, e);
        }
        Commands.output(bundle, List.of(runtime, "spec"));
        ObjectNode spec = (ObjectNode) read(config);
        ObjectNode process = (ObjectNode) spec.get("process");
        process.put("terminal", false);
        process.putArray("args").add("/bin/true");
        ObjectNode root = spec.putObject("root");
        root.put("path", rootfs.toString());
        root.put("readonly", false);
        ArrayNode namespaces = (ArrayNode) spec.get("linux").get("namespaces");
        boolean hasCgroup = false;
        for (var ns : namespaces) {
            hasCgroup |= "cgroup".equals(ns.get("type").asText());
        }
        if (!hasCgroup) {
            namespaces.addObject().put("type", "cgroup");
        }
        if (variant.equals("-limits")) {
            limits((ObjectNode) spec.get("linux"));
        }
        Json.write(config, spec);
        return bundle;
    }

    /**
     * Limits of the kinds jbox's chapter 3 sets, in the OCI spec's shape, and a cgroup path of the
     * benchmark's own: crun writes them into the cgroup it makes (on v1, a directory per controller).
     */
    private static void limits(ObjectNode linux) {
        linux.put("cgroupsPath", CRUN_CGROUP);
        ObjectNode resources = linux.has("resources") ? (ObjectNode) linux.get("resources") : linux.putObject("resources");
        resources.putObject("memory").put("limit", 640L << 20);
        resources.putObject("cpu").put("shares", 1024).put("quota", 100000).put("period", 100000);
        resources.putObject("pids").put("limit", 1024);
    }

    private static com.fasterxml.jackson.databind.JsonNode read(Path config) {
        try {
            return Json.mapper().readTree(config.toFile());
        } catch (IOException e) {
            throw new BenchException("cannot read " + config + " that `spec` wrote: " + e.getMessage());
        }
    }

    private static boolean mounted(String path) {
        try {
            return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
                    .anyMatch(line -> line.split(" ")[4].equals(path));
        } catch (IOException e) {
            return false;
        }
    }
}
