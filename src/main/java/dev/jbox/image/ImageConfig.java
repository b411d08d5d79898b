package dev.jbox.image;

import java.util.ArrayList;
import java.util.List;

/**
 * What an image says about how to run it, named as in the OCI image config: the entrypoint and
 * the default command, the environment and the working directory.
 */
public record ImageConfig(List<String> entrypoint, List<String> cmd, List<String> env, String workingDir) {
    public static final String DEFAULT_PATH = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    public ImageConfig {
        entrypoint = entrypoint == null ? List.of() : List.copyOf(entrypoint);
        cmd = cmd == null ? List.of() : List.copyOf(cmd);
        env = env == null ? List.of(DEFAULT_PATH) : List.copyOf(env);
        workingDir = workingDir == null || workingDir.isEmpty() ? "/" : workingDir;
    }

    // tag::command[]
    /**
     * The command a container runs, joined as Docker joins it: the entrypoint, then the run's
     * arguments or else the image's Cmd. {@code --entrypoint} ({@code entrypointOverride}, not
     * null) replaces the image's entrypoint and drops its Cmd too; an empty one clears it.
     */
    public List<String> command(List<String> args, List<String> entrypointOverride) {
        List<String> command = new ArrayList<>(entrypointOverride != null ? entrypointOverride : entrypoint);
        command.addAll(!args.isEmpty() ? args : entrypointOverride != null ? List.of() : cmd);
        return command;
    }
    // end::command[]
}
