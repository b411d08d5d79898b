package dev.jbox.namespaces;

import dev.jbox.spec.ContainerSpec;
import dev.jbox.spec.Namespace;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line of jbox-init (src/main/c/jbox-init.c). Every decision is the engine's and
 * travels as a flag, so the C program holds no policy: which PID namespace, whether to stay pid 1,
 * which capabilities to keep, which terminal, which kernel files to protect.
 */
final class InitCommand {
    private final List<String> modeFlags;

    private InitCommand(List<String> modeFlags) {
        this.modeFlags = modeFlags;
    }

    // tag::flags[]
    /** For {@code jbox run}: a shim, and a pid 1 that protects /proc once it has mounted it. */
    static InitCommand forContainer(ContainerSpec spec) {
        List<String> flags = new ArrayList<>();
        if (spec.has(Namespace.PID)) {
            flags.add("-n");
        }
        if (spec.process().init()) {
            flags.add("-r");
        }
        if (spec.has(Namespace.CGROUP)) {
            flags.add("-C");
        }
        spec.linux().readonlyPaths().forEach(p -> flags.addAll(List.of("-R", p)));
        spec.linux().maskedPaths().forEach(p -> flags.addAll(List.of("-M", p)));
        // The container's own cgroup file system can only be mounted from inside its cgroup namespace.
        spec.mounts().stream().filter(InitCommand::mountedByInit)
                .forEach(m -> flags.addAll(List.of("-G", m.type() + ":" + m.destination() + ":" + String.join(",", m.options()))));
        return new InitCommand(flags);
    }
    // end::flags[]

    /** cgroup and cgroup2 mounts, and the tmpfs that holds v1's hierarchies at /sys/fs/cgroup: pid 1 makes them. */
    static boolean mountedByInit(ContainerSpec.Mount m) {
        return m.type().equals("cgroup") || m.type().equals("cgroup2")
                || m.type().equals("tmpfs") && m.destination().equals("/sys/fs/cgroup");
    }

    /** For {@code jbox exec}: no shim, no namespace; drop capabilities and exec. */
    static InitCommand forExec() {
        return new InitCommand(List.of("-x", "-w"));
    }

    // tag::user[]
    /** -u UID:GID[:G1,G2...]: the ids jbox-init takes just before exec (a non-root uid keeps no capability). */
    static String userFlag(ContainerSpec.User user) {
        String flag = user.uid() + ":" + user.gid();
        if (!user.additionalGids().isEmpty()) {
            flag += ":" + String.join(",", user.additionalGids().stream().map(String::valueOf).toList());
        }
        return flag;
    }
    // end::user[]

    /** The whole argv, ending with the container's command; {@code ptyNumber} < 0 for no terminal. */
    List<String> argv(ContainerSpec spec, String program, int ptyNumber) {
        List<String> argv = new ArrayList<>(List.of(RootFilesystem.INIT_PATH));
        argv.addAll(modeFlags);
        argv.addAll(List.of("-c", Long.toHexString(spec.process().capabilities())));
        if (spec.process().user() != null) {
            argv.addAll(List.of("-u", userFlag(spec.process().user())));
        }
        if (ptyNumber >= 0) {
            argv.addAll(List.of("-t", "/dev/pts/" + ptyNumber));
        }
        argv.add("--");
        argv.add(program);
        argv.addAll(spec.process().args());
        return argv;
    }
}
