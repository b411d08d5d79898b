package dev.jbox.cgroups;

import dev.jbox.engine.Feature;
import dev.jbox.engine.RunRequest;
import dev.jbox.lifecycle.ContainerRecord;
import dev.jbox.spec.ContainerSpec;
import dev.jbox.spec.Namespace;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Chapter 3 as the engine composes it: every container gets a cgroup of its own, with the limits
 * of --memory, --cpus, --pids-limit..., joined by its pid 1 while it is held at "go", so the
 * command never runs one instruction outside it; its own read-only view of the cgroup file
 * system; and the cgroup goes when the container does.
 */
public final class CgroupsFeature implements Feature {
    @Override
    public String name() {
        return "cgroups";
    }

    @Override
    public Set<String> options() {
        return Set.of("--memory", "--memory-swap", "--memory-reservation", "--oom-kill-disable", "--cpus",
                "--cpu-shares", "--cpu-period", "--cpu-quota", "--cpuset-cpus", "--cpuset-mems", "--pids-limit",
                "--blkio-weight", "--device-read-bps", "--device-write-bps", "--device-read-iops",
                "--device-write-iops", "--cgroup-parent");
    }

    // tag::prepare[]
    @Override
    public ContainerRecord prepare(RunRequest request, ContainerRecord record, ContainerSpec.Builder spec) {
        Resources resources = request.resources() != null ? request.resources()
                : new ResourceFlags().toResources(Machine.current()); // Docker's default device rules
        String parent = request.cgroupParent() != null ? request.cgroupParent() : CgroupManager.DEFAULT_PARENT;
        spec.resources(resources).cgroupsPath(parent + "/" + record.id());
        // With the device controller in place, CAP_MKNOD is harmless again: Docker's default set.
        spec.capabilities(dev.jbox.spec.Capabilities.DOCKER_DEFAULT);
        if (spec.build().has(Namespace.CGROUP)) {
            containerView(spec);
        }
        return record;
    }
    // end::prepare[]

    /** The container's /sys/fs/cgroup, read-only, showing its own cgroup as the root: as Docker gives it. */
    private static void containerView(ContainerSpec.Builder spec) {
        CgroupMounts mounts = CgroupMounts.ofMachine();
        if (mounts.version() == CgroupVersion.V2) {
            spec.mount("/sys/fs/cgroup", "cgroup2", List.of());
            return;
        }
        spec.mount("/sys/fs/cgroup", "tmpfs", List.of("mode=755"));
        Map<Path, List<String>> hierarchies = new TreeMap<>();
        mounts.controllers().forEach((controller, at) -> hierarchies.computeIfAbsent(at, k -> new ArrayList<>()).add(controller));
        hierarchies.forEach((at, controllers) -> spec.mount("/sys/fs/cgroup/" + at.getFileName(), "cgroup",
                controllers.stream().sorted().toList()));
    }

    // tag::created[]
    @Override
    public ContainerRecord created(ContainerRecord record, int pid) {
        CgroupManager cgroup = manager(record);
        cgroup.create(record.spec().linux().resources());
        try {
            cgroup.apply(pid);
        } catch (RuntimeException e) {
            cgroup.destroy();
            throw e;
        }
        return record;
    }
    // end::created[]

    /** The exec'd process joins the container's cgroup while jbox-init holds it before its command. */
    @Override
    public void execed(ContainerRecord record, int pid) {
        manager(record).apply(pid);
    }

    @Override
    public ContainerRecord release(ContainerRecord record) {
        if (record.spec() != null && record.spec().linux().cgroupsPath() != null) {
            CgroupManager cgroup = manager(record);
            if (!cgroup.exists()) {
                return record;
            }
            // What the OOM killer did is read before the cgroup, which counts it, is gone.
            record = record.toBuilder().oomKills(Math.max(record.oomKills(), cgroup.stats().oomKills())).build();
            cgroup.destroy();
            // The parent too, once empty (rmdir only: a parent that holds other cgroups stays).
            String path = record.spec().linux().cgroupsPath();
            CgroupDirs.removeParent(CgroupMounts.ofMachine().roots(), path.substring(0, path.lastIndexOf('/')));
        }
        return record;
    }

    /** The manager of the container's cgroup, from its record alone (so it works after a crash of the engine). */
    public static CgroupManager manager(ContainerRecord record) {
        String path = record.spec().linux().cgroupsPath();
        int slash = path.lastIndexOf('/');
        return CgroupManager.forMachine(path.substring(0, slash), path.substring(slash + 1));
    }
}
