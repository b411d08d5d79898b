package dev.jbox.lifecycle;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * What the engine remembers about a container, kept as {@code config.json} in its directory:
 * the configuration it was made from, and the processes that belong to it. Each pid comes with
 * the process's start time, because pids are reused: a pid alone can name a stranger.
 *
 * @param network  bridge, host, none or a user network; null in records written before
 *                 networking existed (those containers had loopback only: none)
 * @param ports    the ports published with -p, as given (e.g. "8080:80/tcp")
 * @param endpoint where the container is plugged in while it runs; null when it is not
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ContainerRecord(String id, String name, String image, List<String> command, String created,
                              String hostname, boolean autoRemove, boolean init, boolean tty, boolean detached,
                              int chapter, List<String> env, String workdir, List<String> namespaces,
                              int shimPid, long shimStartTime, int pid, long pidStartTime,
                              String network, List<String> ports, NetworkEndpoint endpoint) {
    public ContainerRecord {
        ports = ports == null ? List.of() : List.copyOf(ports);
    }

    /** A container's place on its network: its address, the network's gateway, and the host end of its veth. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record NetworkEndpoint(String ipAddress, String gateway, int prefixLength, String hostVeth) {
    }

    public String shortId() {
        return id.substring(0, 12);
    }

    /** The network, reading an old record's missing one as "none". */
    public String networkName() {
        return network == null ? "none" : network;
    }

    public ContainerRecord withProcesses(int shimPid, int pid) {
        return new ContainerRecord(id, name, image, command, created, hostname, autoRemove, init, tty, detached,
                chapter, env, workdir, namespaces, shimPid, Processes.startTime(shimPid), pid, Processes.startTime(pid),
                network, ports, endpoint);
    }

    public ContainerRecord withEndpoint(NetworkEndpoint e) {
        return new ContainerRecord(id, name, image, command, created, hostname, autoRemove, init, tty, detached,
                chapter, env, workdir, namespaces, shimPid, shimStartTime, pid, pidStartTime, network, ports, e);
    }
}
