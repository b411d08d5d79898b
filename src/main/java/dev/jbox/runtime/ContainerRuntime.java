package dev.jbox.runtime;

import dev.jbox.spec.ContainerSpec;

/**
 * How a container's process is isolated and started: chapter 1 jails it with chroot, chapter 2
 * gives it namespaces, pivot_root and an init. As in the OCI runtime spec, starting is two steps:
 * {@link #create} sets the container up and {@link ContainerProcess#start} lets its program run,
 * so the engine's features (networking, cgroups) can act on it in between.
 */
public interface ContainerRuntime {
    ContainerProcess create(ContainerSpec spec, Launch launch);

    /**
     * Whether a container of this runtime has a life of its own to record (a shim that outlives
     * the command and writes its status), so that ps, stop and rm can find it later. A chroot
     * jail does not: it is a child of the jbox command and ends with it.
     */
    default boolean keepsState() {
        return false;
    }
}
