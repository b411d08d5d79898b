package dev.jbox.cgroups;

import dev.jbox.JboxException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where the machine mounts its cgroup file systems, read from /proc/self/mountinfo.
 *
 * <p>A pure v2 machine mounts cgroup2 at /sys/fs/cgroup. A v1 machine mounts one cgroup file
 * system per controller (or per group of controllers, like {@code cpu,cpuacct}) under a tmpfs
 * there; a "hybrid" one adds an empty cgroup2 at /sys/fs/cgroup/unified, which is still v1 for
 * limits, since the controllers stay in their v1 hierarchies.
 *
 * @param version     the interface jbox uses for limits
 * @param unified     where cgroup2 is mounted, or null
 * @param controllers v1 only: each controller's mount point, e.g. memory -> /sys/fs/cgroup/memory
 */
public record CgroupMounts(CgroupVersion version, Path unified, Map<String, Path> controllers) {
    private static final Path CGROUP_ROOT = Path.of("/sys/fs/cgroup");
    private static final List<String> LIMIT_CONTROLLERS = List.of("memory", "cpu", "pids");

    public CgroupMounts {
        controllers = Map.copyOf(controllers);
    }

    /** The mounts of this machine, as the calling process sees them. */
    public static CgroupMounts ofMachine() {
        try {
            return parse(Files.readString(Path.of("/proc/self/mountinfo")));
        } catch (IOException e) {
            throw new JboxException("cannot read /proc/self/mountinfo: " + e.getMessage() + "; is /proc mounted?");
        }
    }

    /** The cgroup mounts in the text of a mountinfo file. */
    public static CgroupMounts parse(String mountinfo) {
        Path unified = null;
        Map<String, Path> controllers = new TreeMap<>();
        for (String line : mountinfo.split("\n")) {
            // 36 25 0:31 / /sys/fs/cgroup/memory rw,relatime shared:14 - cgroup cgroup rw,memory
            String[] fields = line.split(" ");
            int dash = List.of(fields).indexOf("-");
            if (dash < 0 || fields.length < dash + 4) {
                continue;
            }
            Path mountPoint = Path.of(unescape(fields[4]));
            String type = fields[dash + 1];
            if (type.equals("cgroup2") && (unified == null || mountPoint.equals(CGROUP_ROOT))) {
                unified = mountPoint;
            } else if (type.equals("cgroup")) {
                for (String option : fields[dash + 3].split(",")) {
                    if (!option.equals("rw") && !option.equals("ro") && !option.contains("=")) {
                        controllers.putIfAbsent(option, mountPoint);
                    }
                }
            }
        }
        boolean v1 = LIMIT_CONTROLLERS.stream().anyMatch(controllers::containsKey);
        if (unified != null && (unified.equals(CGROUP_ROOT) || !v1)) {
            return new CgroupMounts(CgroupVersion.V2, unified, Map.of());
        }
        if (v1) {
            return new CgroupMounts(CgroupVersion.V1, unified, controllers);
        }
        throw new JboxException("no cgroup file system is mounted at /sys/fs/cgroup, so jbox cannot limit containers; "
                + "mount one: mount -t cgroup2 none /sys/fs/cgroup");
    }

    /** The hierarchies jbox makes cgroups in: the v2 tree, or each v1 hierarchy holding a controller it uses. */
    public List<Path> roots() {
        return version == CgroupVersion.V2 ? List.of(unified)
                : CgroupV1.CONTROLLERS.stream().map(controllers::get).filter(java.util.Objects::nonNull).distinct().toList();
    }

    /** mountinfo writes a space in a path as \040. */
    private static String unescape(String path) {
        return path.replace("\\040", " ").replace("\\011", "\t").replace("\\012", "\n").replace("\\134", "\\");
    }
}
