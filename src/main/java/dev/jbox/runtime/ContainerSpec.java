package dev.jbox.runtime;

import java.nio.file.Path;
import java.util.List;

/**
 * Everything a runtime needs to start a container, as plain data checked before use
 * (runc's config.json plays this part). Later chapters add fields; earlier runtimes ignore them.
 *
 * @param rootfs   the directory that becomes the container's {@code /}
 * @param command  argv; {@code command.get(0)} is looked up in the container's PATH
 * @param env      KEY=VALUE pairs, the container's whole environment
 * @param workdir  absolute path inside the container
 * @param hostname the container's host name (chapter 2 on)
 * @param stdio    descriptors of this process that become the container's 0, 1 and 2
 * @param terminal whether stdin is the user's terminal, which the container then shares
 */
public record ContainerSpec(Path rootfs, List<String> command, List<String> env, String workdir,
                            String hostname, Stdio stdio, boolean terminal) {
    public ContainerSpec {
        command = List.copyOf(command);
        env = List.copyOf(env);
        if (command.isEmpty()) {
            throw new IllegalArgumentException("a container needs a command");
        }
        if (!workdir.startsWith("/")) {
            throw new IllegalArgumentException("the working directory must be absolute: " + workdir);
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
}
