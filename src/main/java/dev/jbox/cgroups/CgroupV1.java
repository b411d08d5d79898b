package dev.jbox.cgroups;

import dev.jbox.kernel.Errno;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * cgroup v1: every controller has a hierarchy of its own (/sys/fs/cgroup/memory,
 * /sys/fs/cgroup/cpu, ...), so the container's cgroup is one directory in each, with the
 * same relative path, and a process joins it by being written into each one's cgroup.procs.
 */
final class CgroupV1 implements CgroupManager {
    /** The controllers a container's cgroup gets, where the machine mounts them. */
    static final List<String> CONTROLLERS = List.of("cpu", "cpuacct", "cpuset", "memory", "pids", "blkio", "devices",
            "freezer");
    private static final long UNLIMITED = 1L << 62; // v1 reads "no limit" as about 2^63, rounded to a page

    private final Map<String, Path> mounts;
    private final String relative;

    CgroupV1(Map<String, Path> mounts, String parent, String name) {
        this.mounts = Map.copyOf(mounts);
        this.relative = CgroupDirs.relative(parent, name);
    }

    @Override
    public CgroupVersion version() {
        return CgroupVersion.V1;
    }

    @Override
    public String path() {
        return "/" + relative;
    }

    @Override
    public Map<String, Path> directories() {
        Map<String, Path> dirs = new LinkedHashMap<>();
        for (Path root : roots()) {
            dirs.put(root.getFileName().toString(), root.resolve(relative));
        }
        return dirs;
    }

    @Override
    public boolean exists() {
        return directories().values().stream().anyMatch(Files::isDirectory);
    }

    @Override
    public void create(Resources resources) {
        List<Path> made = new ArrayList<>();
        try {
            for (Path root : roots()) {
                CgroupDirs.make(root, relative, parent -> { }, made);
            }
            inheritCpuset();
            set(resources);
        } catch (RuntimeException e) {
            CgroupDirs.removeQuietly(made);
            throw e;
        }
    }

    /**
     * A new v1 cpuset cgroup starts with no CPUs and no memory nodes, and a process cannot join
     * it then (ENOSPC): each level gets its parent's, unless it has its own already.
     */
    private void inheritCpuset() {
        Path dir = mounts.get("cpuset");
        if (dir == null) {
            return;
        }
        for (String part : relative.split("/")) {
            Path parent = dir;
            dir = dir.resolve(part);
            for (String file : List.of("cpuset.cpus", "cpuset.mems")) {
                if (Objects.requireNonNullElse(CgroupFile.read(dir.resolve(file)), "").isEmpty()) {
                    CgroupFile.write(dir.resolve(file), CgroupFile.read(parent.resolve(file)), "--cpuset-cpus/--cpuset-mems");
                }
            }
        }
    }

    @Override
    public void apply(int pid) {
        CgroupDirs.join(directories().values(), pid);
    }

    /** The Docker flag each limit file of {@link V1Limits} comes from, for the error if the kernel refuses its value. */
    private static final Map<String, String> FLAGS = Map.of("memory.limit_in_bytes", "--memory",
            "memory.memsw.limit_in_bytes", "--memory-swap", "memory.soft_limit_in_bytes", "--memory-reservation",
            "cpu.shares", "--cpu-shares", "cpu.cfs_period_us", "--cpus or --cpu-period",
            "cpu.cfs_quota_us", "--cpus or --cpu-quota", "pids.max", "--pids-limit");

    @Override
    public void set(Resources r) {
        long memoryLimit = r.memory() != null ? number("memory", "memory.limit_in_bytes") : 0;
        // A file's controller is the start of its name: memory.limit_in_bytes is the memory hierarchy's.
        V1Limits.files(r, memoryLimit).forEach((file, value) ->
                write(file.substring(0, file.indexOf('.')), file, value, FLAGS.getOrDefault(file, file)));
        if (r.memory() != null && r.memory().disableOOMKiller() != null) {
            write("memory", "memory.oom_control", r.memory().disableOOMKiller() ? "1" : "0", "--oom-kill-disable");
        }
        if (r.cpu() != null) {
            setCpuset(r.cpu());
        }
        if (r.blockIO() != null) {
            setBlockIo(r.blockIO());
        }
        if (r.devices() != null) {
            setDevices(r.devices());
        }
    }

    private void setCpuset(Resources.Cpu c) {
        if (c.cpus() != null) {
            write("cpuset", "cpuset.cpus", c.cpus(), "--cpuset-cpus");
        }
        if (c.mems() != null) {
            write("cpuset", "cpuset.mems", c.mems(), "--cpuset-mems");
        }
    }

    private void setBlockIo(Resources.BlockIo b) {
        if (b.weight() != null) {
            // blkio.weight belongs to the CFQ scheduler; with BFQ the file is blkio.bfq.weight.
            String file = Files.exists(file("blkio", "blkio.weight")) ? "blkio.weight" : "blkio.bfq.weight";
            write("blkio", file, b.weight().toString(), "--blkio-weight");
        }
        throttle("blkio.throttle.read_bps_device", b.throttleReadBpsDevice(), "--device-read-bps");
        throttle("blkio.throttle.write_bps_device", b.throttleWriteBpsDevice(), "--device-write-bps");
        throttle("blkio.throttle.read_iops_device", b.throttleReadIOPSDevice(), "--device-read-iops");
        throttle("blkio.throttle.write_iops_device", b.throttleWriteIOPSDevice(), "--device-write-iops");
    }

    private void throttle(String file, List<Resources.ThrottleDevice> devices, String flag) {
        for (Resources.ThrottleDevice d : devices) {
            write("blkio", file, d.toString(), flag);
        }
    }

    // tag::v1-devices[]
    private void setDevices(List<DeviceRule> rules) {
        for (DeviceRule rule : rules) {
            write("devices", rule.allow() ? "devices.allow" : "devices.deny", rule.v1Line(), "the device rule " + rule);
        }
    }
    // end::v1-devices[]

    @Override
    public Stats stats() {
        long limit = number("memory", "memory.limit_in_bytes");
        long[] io = blockIo();
        return new Stats(
                number("cpuacct", "cpuacct.usage"),
                number("memory", "memory.usage_in_bytes"),
                keyed("memory", "memory.stat").getOrDefault("total_inactive_file", 0L),
                limit >= UNLIMITED || limit == 0 ? -1 : limit,
                number("pids", "pids.current"),
                number("pids", "pids.max"),
                io[0], io[1],
                keyed("memory", "memory.oom_control").getOrDefault("oom_kill", 0L));
    }

    /** Bytes read and written, summed over devices: lines like {@code 254:0 Read 4096}. */
    private long[] blockIo() {
        long[] io = new long[2];
        Path root = mounts.get("blkio");
        String text = root == null ? null
                : CgroupFile.read(root.resolve(relative).resolve("blkio.throttle.io_service_bytes_recursive"));
        for (String line : text == null ? new String[0] : text.split("\n")) {
            String[] f = line.split(" ");
            if (f.length == 3 && (f[1].equals("Read") || f[1].equals("Write"))) {
                io[f[1].equals("Read") ? 0 : 1] += Long.parseLong(f[2]);
            }
        }
        return io;
    }

    /** A number file of this cgroup; 0 if the controller or the file is missing. */
    private long number(String controller, String name) {
        Path root = mounts.get(controller);
        return root == null ? 0 : CgroupFile.readLong(root.resolve(relative).resolve(name));
    }

    private Map<String, Long> keyed(String controller, String name) {
        Path root = mounts.get(controller);
        return root == null ? Map.of() : CgroupFile.readKeyed(root.resolve(relative).resolve(name));
    }

    @Override
    public List<Integer> pids() {
        return List.copyOf(CgroupDirs.pids(existingDirectories()));
    }

    // tag::v1-freeze[]
    @Override
    public void freeze() {
        freeze(CgroupDirs.WAIT_NANOS);
    }

    private void freeze(long waitNanos) {
        write("freezer", "freezer.state", "FROZEN", "pause");
        // FREEZING until every task has stopped
        CgroupDirs.frozenOrThawed(() -> "FROZEN".equals(CgroupFile.read(file("freezer", "freezer.state"))),
                file("freezer", ""), waitNanos, this::thaw);
    }
    // end::v1-freeze[]

    @Override
    public void thaw() {
        write("freezer", "freezer.state", "THAWED", "unpause");
    }

    @Override
    public void destroy() {
        List<Path> dirs = existingDirectories();
        if (dirs.isEmpty()) {
            return;
        }
        boolean canFreeze = Files.isDirectory(file("freezer", ""));
        CgroupDirs.killAll(dirs, canFreeze ? () -> freeze(CgroupDirs.FREEZE_BEFORE_KILL_NANOS) : () -> { },
                canFreeze ? this::thaw : () -> { });
        CgroupDirs.remove(dirs);
    }

    private List<Path> existingDirectories() {
        return directories().values().stream().filter(Files::isDirectory).toList();
    }

    /** The distinct hierarchies holding the controllers jbox uses (cpu and cpuacct may share one). */
    private List<Path> roots() {
        return CONTROLLERS.stream().map(mounts::get).filter(Objects::nonNull).distinct().toList();
    }

    /** The file {@code name} of this cgroup in {@code controller}'s hierarchy. */
    private Path file(String controller, String name) {
        Path root = mounts.get(controller);
        if (root == null) {
            throw new CgroupException("the " + controller + " controller is not mounted on this machine (no /sys/fs/cgroup/"
                    + controller + ")", Errno.ENOENT);
        }
        return root.resolve(relative).resolve(name);
    }

    private void write(String controller, String name, String value, String flag) {
        Path root = mounts.get(controller);
        if (root == null) {
            throw new CgroupException("the " + controller + " controller is not mounted on this machine, so " + flag
                    + " cannot be used here; leave it out", Errno.ENOENT);
        }
        CgroupFile.write(root.resolve(relative).resolve(name), value, flag);
    }
}
