package dev.jbox.image;

import java.util.List;

/**
 * What an image says about how to run it, named as in the OCI image config: the default
 * command, the environment and the working directory.
 */
public record ImageConfig(List<String> cmd, List<String> env, String workingDir) {
    public static final String DEFAULT_PATH = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    public ImageConfig {
        cmd = cmd == null ? List.of() : List.copyOf(cmd);
        env = env == null ? List.of(DEFAULT_PATH) : List.copyOf(env);
        workingDir = workingDir == null || workingDir.isEmpty() ? "/" : workingDir;
    }
}
