package dev.jbox.cgroups;

import dev.jbox.JboxException;
import dev.jbox.kernel.Bpf;
import dev.jbox.kernel.Errno;
import dev.jbox.kernel.Kernel;
import dev.jbox.kernel.KernelException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * cgroup v2: one tree for every controller. A cgroup's controllers are those its parent lists
 * in cgroup.subtree_control, so each level from the root down must enable them for the level
 * below; and only the root may both hold processes and give controllers to children (the
 * "no internal processes" rule), so containers' processes live in leaves only.
 */
final class CgroupV2 implements CgroupManager {
    /** The controllers a container's cgroup gets, where the machine offers them. */
    static final List<String> CONTROLLERS = List.of("cpuset", "cpu", "io", "memory", "pids");
    /** What a device program says about its origin; no GPL-only kernel helper is used. */
    private static final String PROGRAM_LICENSE = "MIT";

    private final Path root;
    private final String relative;
    private final Path dir;

    CgroupV2(Path root, String parent, String name) {
        this.root = root;
        this.relative = CgroupDirs.relative(parent, name);
        this.dir = root.resolve(relative);
    }

    @Override
    public CgroupVersion version() {
        return CgroupVersion.V2;
    }

    @Override
    public String path() {
        return "/" + relative;
    }

    @Override
    public Map<String, Path> directories() {
        return Map.of("", dir);
    }

    @Override
    public boolean exists() {
        return Files.isDirectory(dir);
    }

    @Override
    public void create(Resources resources) {
        List<Path> made = new ArrayList<>();
        try {
            CgroupDirs.make(root, relative, this::enableControllers, made);
            set(resources);
        } catch (RuntimeException e) {
            CgroupDirs.removeQuietly(made);
            throw e;
        }
    }

    // tag::v2-subtree-control[]
    /** Gives the children of {@code parent} every controller jbox uses that {@code parent} has itself. */
    private void enableControllers(Path parent) {
        Set<String> wanted = new TreeSet<>(words(parent.resolve("cgroup.controllers")));
        wanted.retainAll(CONTROLLERS);
        wanted.removeAll(words(parent.resolve("cgroup.subtree_control")));
        if (wanted.isEmpty()) {
            return;
        }
        String value = "+" + String.join(" +", wanted);
        try {
            CgroupFile.write(parent.resolve("cgroup.subtree_control"), value, "--cgroup-parent");
        } catch (CgroupException e) {
            if (e.errno() != Errno.EBUSY) {
                throw e;
            }
            throw new CgroupException("write " + parent.resolve("cgroup.subtree_control") + " \"" + value + "\": "
                    + Errno.describe(e.errno()) + "; cgroup " + parent + " holds processes " + CgroupDirs.pids(List.of(parent))
                    + ", and cgroup v2 lets only a cgroup without processes pass controllers to its children"
                    + " (no internal processes): choose a --cgroup-parent that holds no processes", e.errno());
        }
    }
    // end::v2-subtree-control[]

    @Override
    public void apply(int pid) {
        CgroupDirs.join(List.of(dir), pid);
    }

    /** The Docker flag each limit file of {@link V2Limits} comes from, for the error if the kernel refuses its value. */
    private static final Map<String, String> FLAGS = Map.of("memory.max", "--memory", "memory.swap.max", "--memory-swap",
            "memory.low", "--memory-reservation", "cpu.weight", "--cpu-shares",
            "cpu.max", "--cpus, --cpu-quota or --cpu-period", "pids.max", "--pids-limit");

    @Override
    public void set(Resources r) {
        if (r.memory() != null && Boolean.TRUE.equals(r.memory().disableOOMKiller())) {
            throw new JboxException("cgroup v2 cannot turn the OOM killer off (--oom-kill-disable); leave the flag out");
        }
        long memoryMax = r.memory() != null ? CgroupFile.readLong(dir.resolve("memory.max")) : -1;
        V2Limits.files(r, memoryMax).forEach((file, value) -> write(file, value, FLAGS.getOrDefault(file, file)));
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
            write("cpuset.cpus", c.cpus(), "--cpuset-cpus");
        }
        if (c.mems() != null) {
            write("cpuset.mems", c.mems(), "--cpuset-mems");
        }
    }

    /** v1's blkio weight (10-1000) on v2's io.weight scale (1-10000). */
    static long ioWeight(int blkioWeight) {
        return 1 + ((long) (blkioWeight - 10) * 9999) / 990;
    }

    private void setBlockIo(Resources.BlockIo b) {
        if (b.weight() != null) {
            // BFQ keeps v1's scale in io.bfq.weight; otherwise io.weight with its own.
            if (Files.exists(dir.resolve("io.bfq.weight"))) {
                write("io.bfq.weight", b.weight().toString(), "--blkio-weight");
            } else {
                write("io.weight", "default " + ioWeight(b.weight()), "--blkio-weight");
            }
        }
        ioMax("rbps", b.throttleReadBpsDevice(), "--device-read-bps");
        ioMax("wbps", b.throttleWriteBpsDevice(), "--device-write-bps");
        ioMax("riops", b.throttleReadIOPSDevice(), "--device-read-iops");
        ioMax("wiops", b.throttleWriteIOPSDevice(), "--device-write-iops");
    }

    private void ioMax(String key, List<Resources.ThrottleDevice> devices, String flag) {
        for (Resources.ThrottleDevice d : devices) {
            write("io.max", d.major() + ":" + d.minor() + " " + key + "=" + d.rate(), flag);
        }
    }

    // tag::v2-devices[]
    /** Loads the device program for {@code rules} and hangs it on the cgroup's directory. */
    private void setDevices(List<DeviceRule> rules) {
        byte[] program = DeviceProgram.encode(DeviceProgram.assemble(rules));
        int dirFd = -1, programFd = -1;
        try {
            dirFd = Kernel.open(dir.toString(), Kernel.O_RDONLY | Kernel.O_CLOEXEC, 0);
            programFd = Bpf.loadCgroupDeviceProgram(program, PROGRAM_LICENSE);
            Bpf.attachCgroupDevice(dirFd, programFd, dir.toString());
        } catch (KernelException e) {
            throw new CgroupException("cannot apply the device rules to cgroup " + dir + ": " + e.getMessage()
                    + "; the kernel needs CONFIG_CGROUP_BPF, and jbox must run as root", e.errno());
        } finally {
            Kernel.closeQuietly(programFd); // the attached program lives as long as the cgroup
            Kernel.closeQuietly(dirFd);
        }
    }
    // end::v2-devices[]

    /** The ids of the device programs attached to this cgroup. */
    int[] devicePrograms() {
        int dirFd = Kernel.open(dir.toString(), Kernel.O_RDONLY | Kernel.O_CLOEXEC, 0);
        try {
            return Bpf.queryCgroupDevice(dirFd, dir.toString());
        } finally {
            Kernel.closeQuietly(dirFd);
        }
    }

    @Override
    public Stats stats() {
        Map<String, Long> memoryStat = CgroupFile.readKeyed(dir.resolve("memory.stat"));
        long[] io = blockIo();
        return new Stats(
                CgroupFile.readKeyed(dir.resolve("cpu.stat")).getOrDefault("usage_usec", 0L) * 1000,
                CgroupFile.readLong(dir.resolve("memory.current")),
                memoryStat.getOrDefault("inactive_file", 0L),
                Files.exists(dir.resolve("memory.max")) ? CgroupFile.readLong(dir.resolve("memory.max")) : -1,
                CgroupFile.readLong(dir.resolve("pids.current")),
                Files.exists(dir.resolve("pids.max")) ? CgroupFile.readLong(dir.resolve("pids.max")) : -1,
                io[0], io[1],
                CgroupFile.readKeyed(dir.resolve("memory.events")).getOrDefault("oom_kill", 0L));
    }

    /** Bytes read and written, summed over devices: lines like {@code 254:0 rbytes=4096 wbytes=0 rios=1 ...}. */
    private long[] blockIo() {
        long[] io = new long[2];
        String text = CgroupFile.read(dir.resolve("io.stat"));
        for (String line : text == null ? new String[0] : text.split("\n")) {
            for (String field : line.split(" ")) {
                if (field.startsWith("rbytes=")) {
                    io[0] += Long.parseLong(field.substring(7));
                } else if (field.startsWith("wbytes=")) {
                    io[1] += Long.parseLong(field.substring(7));
                }
            }
        }
        return io;
    }

    @Override
    public List<Integer> pids() {
        return exists() ? List.copyOf(CgroupDirs.pids(List.of(dir))) : List.of();
    }

    // tag::v2-freeze[]
    @Override
    public void freeze() {
        freeze(CgroupDirs.WAIT_NANOS);
    }

    private void freeze(long waitNanos) {
        write("cgroup.freeze", "1", "pause");
        CgroupDirs.frozenOrThawed(() -> CgroupFile.readKeyed(dir.resolve("cgroup.events")).getOrDefault("frozen", 0L) == 1,
                dir, waitNanos, this::thaw);
    }
    // end::v2-freeze[]

    @Override
    public void thaw() {
        write("cgroup.freeze", "0", "unpause");
    }

    @Override
    public void destroy() {
        if (!exists()) {
            return;
        }
        if (Files.exists(dir.resolve("cgroup.kill"))) {
            // Linux 5.14 and later kill the whole cgroup in one write, forks included.
            if (!CgroupDirs.pids(List.of(dir)).isEmpty()) {
                write("cgroup.kill", "1", "destroy");
                CgroupDirs.waitUntil(() -> CgroupDirs.pids(List.of(dir)).isEmpty(), "the processes of cgroup " + dir + " to end");
            }
        } else {
            CgroupDirs.killAll(List.of(dir), () -> freeze(CgroupDirs.FREEZE_BEFORE_KILL_NANOS), this::thaw);
        }
        CgroupDirs.remove(List.of(dir));
    }

    private void write(String file, String value, String flag) {
        CgroupFile.write(dir.resolve(file), value, flag);
    }

    private static List<String> words(Path file) {
        String text = CgroupFile.read(file);
        return text == null || text.isEmpty() ? List.of() : Arrays.asList(text.split(" "));
    }
}
