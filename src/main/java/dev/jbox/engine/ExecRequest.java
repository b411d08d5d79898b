package dev.jbox.engine;

import dev.jbox.runtime.Launch;
import java.util.List;

/**
 * What {@code jbox exec} was asked: a command to start in a running container.
 *
 * @param env     KEY=VALUE pairs added to the container's environment
 * @param workdir the working directory, or null for the container's
 * @param stdio   stdin/stdout/stderr, or null for the terminal (stdin only with {@code interactive})
 * @param user    -u USER[:GROUP], resolved in the container's own /etc/passwd; null for the container's user
 */
public record ExecRequest(List<String> command, List<String> env, String workdir, boolean interactive, boolean tty,
                          Launch.Stdio stdio, String user) {
    public ExecRequest {
        command = List.copyOf(command);
        env = env == null ? List.of() : List.copyOf(env);
    }
}
