package dev.jbox.engine;

import dev.jbox.runtime.Launch;
import dev.jbox.spec.Namespace;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * What {@code jbox run} was asked, before anything is resolved: the CLI parses its options into
 * this, tests and benchmarks build it directly, and the engine turns it into a spec.
 *
 * @param chapter    the chapter whose engine runs the container
 * @param image      the image reference, or null with {@code rootfs}
 * @param rootfs     a root file system directory instead of an image
 * @param command    the command, or empty for the image's default (Cmd)
 * @param entrypoint --entrypoint: replaces the image's Entrypoint (empty: none); null keeps the image's
 * @param env        KEY=VALUE pairs added to the image's environment (later ones win)
 * @param workdir    the working directory, or null for the image's
 * @param namespaces the namespaces besides mnt, or null for all of them
 * @param network    the network's name, or null for the default
 * @param publish    the -p specs as given
 * @param options    the names of the options the user gave (e.g. "--network"), which the chapter table checks
 * @param resources  cgroup limits (chapter 3), or null for none
 * @param cgroupParent where the container's cgroup goes (--cgroup-parent), or null for jbox's own
 * @param stdio      the container's stdin/stdout/stderr; null to let the engine choose (the terminal, or
 *                   /dev/null and the log file when detached)
 * @param volumes    chapter 4: the -v specs as given (HOST:CTR[:ro], NAME:CTR[:ro], CTR)
 * @param mounts     chapter 4: the --mount specs as given (type=bind|volume|tmpfs,...)
 * @param tmpfs      chapter 4: the --tmpfs specs as given (CTR[:OPTIONS])
 * @param readOnly   chapter 4: --read-only, the root file system mounted read-only
 * @param user       chapter 4: --user (USER[:GROUP]), or null for the image's USER
 * @param pull       chapter 5: --pull, when to fetch the image from its registry (default: if missing)
 */
public record RunRequest(int chapter, String image, Path rootfs, List<String> command, List<String> entrypoint,
                         List<String> env, String workdir,
                         boolean interactive, boolean tty, boolean detach, boolean autoRemove, String name,
                         String hostname, boolean init, Set<Namespace> namespaces, String network,
                         List<String> publish, Set<String> options, dev.jbox.cgroups.Resources resources,
                         String cgroupParent, Launch.Stdio stdio, List<String> volumes, List<String> mounts,
                         List<String> tmpfs, boolean readOnly, String user, PullPolicy pull) {
    public RunRequest {
        command = command == null ? List.of() : List.copyOf(command);
        entrypoint = entrypoint == null ? null : List.copyOf(entrypoint);
        env = env == null ? List.of() : List.copyOf(env);
        publish = publish == null ? List.of() : List.copyOf(publish);
        options = options == null ? Set.of() : Set.copyOf(options);
        namespaces = namespaces == null ? null : Set.copyOf(namespaces);
        volumes = volumes == null ? List.of() : List.copyOf(volumes);
        mounts = mounts == null ? List.of() : List.copyOf(mounts);
        tmpfs = tmpfs == null ? List.of() : List.copyOf(tmpfs);
        pull = pull == null ? PullPolicy.MISSING : pull;
    }

    public static Builder image(String image, String... command) {
        return new Builder().image(image).command(List.of(command));
    }

    public static Builder rootfs(Path rootfs, String... command) {
        return new Builder().rootfs(rootfs).command(List.of(command));
    }

    public static final class Builder {
        private int chapter = Chapters.latest();
        private String image, workdir, name, hostname, network;
        private Path rootfs;
        private List<String> command = List.of(), env = List.of(), publish = List.of(), entrypoint;
        private boolean interactive, tty, detach, autoRemove, init;
        private Set<Namespace> namespaces;
        private Set<String> options = Set.of();
        private Launch.Stdio stdio;
        private dev.jbox.cgroups.Resources resources;
        private String cgroupParent;
        private List<String> volumes, mounts, tmpfs;
        private boolean readOnly;
        private String user;
        private PullPolicy pull;

        public Builder chapter(int v) { chapter = v; return this; }
        public Builder image(String v) { image = v; return this; }
        public Builder rootfs(Path v) { rootfs = v; return this; }
        public Builder command(List<String> v) { command = v; return this; }
        public Builder entrypoint(List<String> v) { entrypoint = v; return this; }
        public Builder env(List<String> v) { env = v; return this; }
        public Builder workdir(String v) { workdir = v; return this; }
        public Builder interactive(boolean v) { interactive = v; return this; }
        public Builder tty(boolean v) { tty = v; return this; }
        public Builder detach(boolean v) { detach = v; return this; }
        public Builder autoRemove(boolean v) { autoRemove = v; return this; }
        public Builder name(String v) { name = v; return this; }
        public Builder hostname(String v) { hostname = v; return this; }
        public Builder init(boolean v) { init = v; return this; }
        public Builder namespaces(Set<Namespace> v) { namespaces = v; return this; }
        public Builder network(String v) { network = v; return this; }
        public Builder publish(List<String> v) { publish = v; return this; }
        public Builder options(Set<String> v) { options = v; return this; }
        public Builder stdio(Launch.Stdio v) { stdio = v; return this; }
        public Builder resources(dev.jbox.cgroups.Resources v) { resources = v; return this; }
        public Builder cgroupParent(String v) { cgroupParent = v; return this; }
        public Builder volumes(List<String> v) { volumes = v; return this; }
        public Builder mounts(List<String> v) { mounts = v; return this; }
        public Builder tmpfs(List<String> v) { tmpfs = v; return this; }
        public Builder readOnly(boolean v) { readOnly = v; return this; }
        public Builder user(String v) { user = v; return this; }
        public Builder pull(PullPolicy v) { pull = v; return this; }

        public RunRequest build() {
            return new RunRequest(chapter, image, rootfs, command, entrypoint, env, workdir, interactive, tty, detach, autoRemove,
                    name, hostname, init, namespaces, network, publish, options, resources, cgroupParent, stdio,
                    volumes, mounts, tmpfs, readOnly, user, pull);
        }
    }
}
