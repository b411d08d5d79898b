package dev.jbox.lifecycle;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.jbox.spec.ContainerSpec;
import dev.jbox.spec.Namespace;
import java.util.List;

/**
 * What the engine remembers about a container, kept as {@code config.json} in its directory:
 * the spec it was made from, how it was run, and the processes that belong to it. Each pid comes
 * with the process's start time, because pids are reused: a pid alone can name a stranger.
 *
 * @param spec     what the container is (OCI-shaped): the image's from the record's first write, then
 *                 completed by the chapter's features (null only in a record written by an older jbox)
 * @param network  bridge, host, none or a user network
 * @param ports    the ports published with -p, written the one way ("127.0.0.1:8080:80/tcp")
 * @param endpoint where the container is plugged in while it runs; null when it is not
 * @param oomKills processes of the container the OOM killer killed (chapter 3), kept once its cgroup is gone
 * @param imageId  the id (config digest) of the image it was made from; null with --rootfs
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ContainerRecord(String id, String name, String image, String created, int chapter, ContainerSpec spec,
                              boolean autoRemove, boolean detached, String network, List<String> ports,
                              NetworkEndpoint endpoint, int shimPid, long shimStartTime, int pid, long pidStartTime,
                              long oomKills, String imageId) {
    public ContainerRecord {
        ports = ports == null ? List.of() : List.copyOf(ports);
    }

    /** A container's place on its network: its address, the network's gateway, and the host end of its veth. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record NetworkEndpoint(String ipAddress, String gateway, int prefixLength, String hostVeth) {
    }

    public static Builder builder() {
        return new Builder();
    }

    public String shortId() {
        return id.substring(0, 12);
    }

    /** The network; "none" when a record names none. */
    public String networkName() {
        return network == null ? "none" : network;
    }

    @JsonIgnore
    public List<String> command() {
        return spec == null ? List.of() : spec.process().args();
    }

    @JsonIgnore
    public List<String> env() {
        return spec == null ? List.of() : spec.process().env();
    }

    @JsonIgnore
    public String workdir() {
        return spec == null ? "/" : spec.process().cwd();
    }

    @JsonIgnore
    public String hostname() {
        return spec == null ? name : spec.hostname();
    }

    @JsonIgnore
    public boolean tty() {
        return spec != null && spec.process().terminal();
    }

    @JsonIgnore
    public boolean init() {
        return spec != null && spec.process().init();
    }

    /** The namespaces the container has besides its mount namespace, as exec joins them. */
    @JsonIgnore
    public List<Namespace> namespaces() {
        return spec == null ? List.of() : spec.linux().namespaces().stream().sorted().toList();
    }

    public ContainerRecord withSpec(ContainerSpec s) {
        return toBuilder().spec(s).build();
    }

    public ContainerRecord withProcesses(int shimPid, int pid) {
        return toBuilder().shimPid(shimPid).shimStartTime(ProcessTable.startTime(shimPid))
                .pid(pid).pidStartTime(ProcessTable.startTime(pid)).build();
    }

    public ContainerRecord withEndpoint(NetworkEndpoint e) {
        return toBuilder().endpoint(e).build();
    }

    public Builder toBuilder() {
        return new Builder().id(id).name(name).image(image).created(created).chapter(chapter).spec(spec)
                .autoRemove(autoRemove).detached(detached).network(network).ports(ports).endpoint(endpoint)
                .shimPid(shimPid).shimStartTime(shimStartTime).pid(pid).pidStartTime(pidStartTime).oomKills(oomKills).imageId(imageId);
    }

    public static final class Builder {
        private String id, name, image, created, network, imageId;
        private int chapter, shimPid, pid;
        private long shimStartTime = -1, pidStartTime = -1, oomKills;
        private ContainerSpec spec;
        private boolean autoRemove, detached;
        private List<String> ports = List.of();
        private NetworkEndpoint endpoint;

        public Builder id(String v) { id = v; return this; }
        public Builder name(String v) { name = v; return this; }
        public Builder image(String v) { image = v; return this; }
        public Builder created(String v) { created = v; return this; }
        public Builder chapter(int v) { chapter = v; return this; }
        public Builder spec(ContainerSpec v) { spec = v; return this; }
        public Builder autoRemove(boolean v) { autoRemove = v; return this; }
        public Builder detached(boolean v) { detached = v; return this; }
        public Builder network(String v) { network = v; return this; }
        public Builder ports(List<String> v) { ports = v; return this; }
        public Builder endpoint(NetworkEndpoint v) { endpoint = v; return this; }
        public Builder shimPid(int v) { shimPid = v; return this; }
        public Builder shimStartTime(long v) { shimStartTime = v; return this; }
        public Builder pid(int v) { pid = v; return this; }
        public Builder pidStartTime(long v) { pidStartTime = v; return this; }
        public Builder oomKills(long v) { oomKills = v; return this; }
        public Builder imageId(String v) { imageId = v; return this; }

        public ContainerRecord build() {
            return new ContainerRecord(id, name, image, created, chapter, spec, autoRemove, detached, network, ports,
                    endpoint, shimPid, shimStartTime, pid, pidStartTime, oomKills, imageId);
        }
    }
}
