package dev.jbox.runtime;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Everything a runtime needs to start a container, as plain data checked before use
 * (runc's config.json plays this part). Each chapter's runtime reads the fields it knows:
 * chapter 1 the first seven, chapter 2 the rest too.
 *
 * @param rootfs         the directory that becomes the container's {@code /}
 * @param command        argv; {@code command.get(0)} is looked up in the container's PATH
 * @param env            KEY=VALUE pairs, the container's whole environment
 * @param workdir        absolute path inside the container
 * @param stdio          descriptors of the engine that become the container's 0, 1 and 2
 * @param sharesTerminal whether the container reads the user's terminal directly (chapter 1's -it)
 * @param hostname       the container's host name
 * @param namespaces     the namespaces the container gets (chapter 2)
 * @param init           whether a tiny init stays pid 1 (docker run --init)
 * @param tty            whether the container gets a pseudo-terminal of its own (chapter 2's -t)
 * @param stateDir       where the runtime may keep files about this container (its status)
 * @param capabilities   the capabilities the container keeps, as a bit mask
 * @param files          files of the engine bind-mounted over paths inside the container
 *                       (its /etc/hosts, /etc/hostname, /etc/resolv.conf)
 */
public record ContainerSpec(Path rootfs, List<String> command, List<String> env, String workdir, Stdio stdio,
                            boolean sharesTerminal, String hostname, Set<Namespace> namespaces, boolean init,
                            boolean tty, Path stateDir, long capabilities, List<FileMount> files) {
    public ContainerSpec {
        command = List.copyOf(command);
        env = List.copyOf(env);
        files = List.copyOf(files);
        namespaces = namespaces.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(namespaces));
        if (command.isEmpty()) {
            throw new IllegalArgumentException("a container needs a command");
        }
        if (!workdir.startsWith("/")) {
            throw new IllegalArgumentException("the working directory must be absolute: " + workdir);
        }
    }

    public static Builder builder(Path rootfs, List<String> command) {
        return new Builder(rootfs, command);
    }

    /** A file of the engine ({@code source}) that the container sees at {@code target}, an absolute path. */
    public record FileMount(Path source, String target) {
        public FileMount {
            if (!target.startsWith("/") || target.contains("..")) {
                throw new IllegalArgumentException("a mount target must be an absolute path without '..': " + target);
            }
        }
    }

    /** The descriptors of the engine that become 0, 1 and 2 in the container. */
    public record Stdio(int in, int out, int err) {
        public static final Stdio INHERIT = new Stdio(0, 1, 2);
    }

    /** The value of {@code PATH} in {@link #env()}, or the usual default. */
    public String path() {
        return env.stream().filter(e -> e.startsWith("PATH=")).map(e -> e.substring(5)).reduce((a, b) -> b)
                .orElse("/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
    }

    public static final class Builder {
        private final Path rootfs;
        private final List<String> command;
        private List<String> env = List.of();
        private String workdir = "/";
        private Stdio stdio = Stdio.INHERIT;
        private boolean sharesTerminal;
        private String hostname = "jbox";
        private Set<Namespace> namespaces = EnumSet.allOf(Namespace.class);
        private boolean init;
        private boolean tty;
        private Path stateDir;
        private long capabilities = Capabilities.CONTAINER_DEFAULT;
        private List<FileMount> files = List.of();

        private Builder(Path rootfs, List<String> command) {
            this.rootfs = rootfs;
            this.command = command;
        }

        public Builder env(List<String> v) { env = v; return this; }
        public Builder workdir(String v) { workdir = v; return this; }
        public Builder stdio(Stdio v) { stdio = v; return this; }
        public Builder sharesTerminal(boolean v) { sharesTerminal = v; return this; }
        public Builder hostname(String v) { hostname = v; return this; }
        public Builder namespaces(Set<Namespace> v) { namespaces = v; return this; }
        public Builder init(boolean v) { init = v; return this; }
        public Builder tty(boolean v) { tty = v; return this; }
        public Builder stateDir(Path v) { stateDir = v; return this; }
        public Builder capabilities(long v) { capabilities = v; return this; }
        public Builder files(List<FileMount> v) { files = v; return this; }

        public ContainerSpec build() {
            return new ContainerSpec(rootfs, command, env, workdir, stdio, sharesTerminal, hostname, namespaces,
                    init, tty, stateDir, capabilities, files);
        }
    }
}
