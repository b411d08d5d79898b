package dev.jbox.lifecycle;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * What the engine remembers about a container, kept as {@code config.json} in its directory:
 * the configuration it was made from, and the processes that belong to it. Each pid comes with
 * the process's start time, because pids are reused: a pid alone can name a stranger.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ContainerRecord(String id, String name, String image, List<String> command, String created,
                              String hostname, boolean autoRemove, boolean init, boolean tty, boolean detached,
                              int chapter, List<String> env, String workdir, List<String> namespaces,
                              int shimPid, long shimStartTime, int pid, long pidStartTime) {
    public String shortId() {
        return id.substring(0, 12);
    }

    public ContainerRecord withProcesses(int shimPid, int pid) {
        return new ContainerRecord(id, name, image, command, created, hostname, autoRemove, init, tty, detached,
                chapter, env, workdir, namespaces, shimPid, Processes.startTime(shimPid), pid, Processes.startTime(pid));
    }
}
