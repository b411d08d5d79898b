package dev.jbox.cgroups;

import dev.jbox.JboxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The cgroup of one container, on either cgroup version: made with its limits before the
 * container's first process runs, joined by that process (and by every process exec'd into the
 * container), read for statistics, frozen for pause, and removed with the container.
 *
 * <p>Call it from an engine thread, never from a container thread after its pivot_root (the
 * paths here are the host's). The usual order, at the init's "go" gate:
 * <pre>
 *   CgroupManager cgroup = CgroupManager.forMachine(parent, containerId);
 *   cgroup.create(resources);   // directories and limits; on failure nothing is left
 *   cgroup.apply(initPid);      // the held init joins; then say "go"
 *   ...
 *   cgroup.destroy();           // kills what is left, removes the directories
 * </pre>
 */
public interface CgroupManager {
    /** Where jbox puts containers' cgroups unless --cgroup-parent says otherwise (Docker uses "docker"). */
    String DEFAULT_PARENT = "jbox";

    // tag::for-machine[]
    /**
     * The manager for the cgroup {@code parent/name} on this machine: v2 if /sys/fs/cgroup is a
     * cgroup2 file system, v1 if the controllers have hierarchies of their own (a "hybrid"
     * machine's empty /sys/fs/cgroup/unified changes nothing).
     *
     * @param parent the cgroup under which containers' cgroups go, e.g. "jbox" or a --cgroup-parent
     *               such as "/batch/low"; always taken from the root of each hierarchy
     * @param name   the container's cgroup, usually its id
     */
    static CgroupManager forMachine(String parent, String name) {
        CgroupMounts mounts = CgroupMounts.ofMachine();
        return mounts.version() == CgroupVersion.V2
                ? new CgroupV2(mounts.unified(), parent, name)
                : new CgroupV1(mounts.controllers(), parent, name);
    }
    // end::for-machine[]

    /**
     * Removes the cgroup of every container under {@code parent} (killing what still runs in them),
     * then {@code parent} itself: {@code system reset}, and the clean-up after an engine was killed.
     */
    static void destroyAll(String parent) {
        CgroupMounts mounts = CgroupMounts.ofMachine();
        for (String name : CgroupDirs.children(mounts.roots(), parent)) {
            forMachine(parent, name).destroy();
        }
        CgroupDirs.removeParent(mounts.roots(), parent);
    }

    CgroupVersion version();

    /** The container's cgroup as /proc/PID/cgroup names it, e.g. {@code /jbox/3f2a...}. */
    String path();

    /**
     * The container's cgroup directories, by the name of their mount under /sys/fs/cgroup: one per
     * v1 hierarchy ({@code memory}, {@code cpu,cpuacct}, ...), or one with the name "" on v2. The
     * container's own /sys/fs/cgroup shows these.
     */
    Map<String, Path> directories();

    /** Whether the container's cgroup exists (in any hierarchy). */
    boolean exists();

    /**
     * Makes the cgroup and sets {@code resources}. Either everything is made and set, or a
     * {@link CgroupException} names the refused file and value and nothing this call made is left.
     */
    void create(Resources resources);

    /** Moves process {@code pid} (all its threads) into the cgroup: the container's init, or an exec'd process. */
    void apply(int pid);

    /** Writes every limit {@code resources} sets; fields left null are not touched. */
    void set(Resources resources);

    /**
     * Changes the limits of a running container ({@code jbox update}): the fields {@code changes}
     * sets, in the order the kernel accepts (memory before or after swap, as {@link #set} does).
     * Device rules cannot change: Docker's update has no flag for them either.
     */
    default void update(Resources changes) {
        if (changes.devices() != null) {
            throw new JboxException("the device rules of a running container cannot change");
        }
        set(changes);
    }

    /** What the container has used so far, and its limits. */
    Stats stats();

    /** The processes in the cgroup, as host pids. */
    List<Integer> pids();

    /** Stops every process of the cgroup where it stands (docker pause); returns once they are stopped. */
    void freeze();

    /** Lets frozen processes run again (docker unpause). */
    void thaw();

    /**
     * Removes the cgroup. Processes still in it are killed first (frozen, so none can fork away,
     * then SIGKILLed), as runc's destroy does; a cgroup that is already gone is not an error.
     */
    void destroy();
}
