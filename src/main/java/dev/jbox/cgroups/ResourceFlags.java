package dev.jbox.cgroups;

import dev.jbox.JboxException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Docker's resource flags ({@code --memory 512m}, {@code --cpus 1.5}, ...) turned into
 * {@link Resources}, with Docker's behaviour: each value is parsed as the docker CLI parses it
 * (a bad one is refused at once, in its words), then {@link #toResources} checks the whole set
 * against the machine and adjusts it as the daemon does, with the daemon's errors and warnings.
 * Unset flags keep Docker's zero values.
 */
public final class ResourceFlags {
    /** Docker's floor for --memory and --memory-reservation: a container needs some room to start. */
    static final long MIN_MEMORY = 6 * 1024 * 1024;
    private static final long MIN_SHARES = 2, MAX_SHARES = 262144;

    private long memory, memorySwap, memoryReservation;
    private boolean oomKillDisable;
    private long nanoCpus, cpuShares, cpuPeriod, cpuQuota;
    private String cpusetCpus = "", cpusetMems = "";
    private Long pidsLimit;
    private int blkioWeight;
    private final List<Throttle> readBps = new ArrayList<>(), writeBps = new ArrayList<>(),
            readIops = new ArrayList<>(), writeIops = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();

    /** A --device-*-bps or --device-*-iops value before its device is looked up. */
    private record Throttle(String device, long rate) {
    }

    // ---- The flags, parsed as the docker CLI parses them. ----

    /** {@code -m, --memory}: e.g. {@code 512m}. */
    public ResourceFlags memory(String value) {
        memory = parse("--memory", value, DockerUnits::ramInBytes);
        return this;
    }

    /** {@code --memory-swap}: memory plus swap, e.g. {@code 1g}; {@code -1} for unlimited swap. */
    public ResourceFlags memorySwap(String value) {
        memorySwap = value.equals("-1") ? -1 : parse("--memory-swap", value, DockerUnits::ramInBytes);
        return this;
    }

    /** {@code --memory-reservation}: the soft limit. */
    public ResourceFlags memoryReservation(String value) {
        memoryReservation = parse("--memory-reservation", value, DockerUnits::ramInBytes);
        return this;
    }

    /** {@code --oom-kill-disable}. */
    public ResourceFlags oomKillDisable(boolean value) {
        oomKillDisable = value;
        return this;
    }

    /** {@code --cpus}: e.g. {@code 1.5}. */
    public ResourceFlags cpus(String value) {
        nanoCpus = parse("--cpus", value, DockerUnits::nanoCpus);
        return this;
    }

    /** {@code -c, --cpu-shares}: a relative weight, 1024 by default. */
    public ResourceFlags cpuShares(String value) {
        cpuShares = parse("--cpu-shares", value, ResourceFlags::int64);
        return this;
    }

    /** {@code --cpu-period}: microseconds. */
    public ResourceFlags cpuPeriod(String value) {
        cpuPeriod = parse("--cpu-period", value, ResourceFlags::int64);
        return this;
    }

    /** {@code --cpu-quota}: microseconds per period. */
    public ResourceFlags cpuQuota(String value) {
        cpuQuota = parse("--cpu-quota", value, ResourceFlags::int64);
        return this;
    }

    /** {@code --cpuset-cpus}: e.g. {@code 0-1,3}; checked against the machine by {@link #toResources}. */
    public ResourceFlags cpusetCpus(String value) {
        cpusetCpus = value;
        return this;
    }

    /** {@code --cpuset-mems}: memory nodes, same syntax. */
    public ResourceFlags cpusetMems(String value) {
        cpusetMems = value;
        return this;
    }

    /** {@code --pids-limit}: 0 or -1 for unlimited. */
    public ResourceFlags pidsLimit(String value) {
        pidsLimit = parse("--pids-limit", value, ResourceFlags::int64);
        return this;
    }

    /** {@code --blkio-weight}: 10 to 1000. */
    public ResourceFlags blkioWeight(String value) {
        blkioWeight = parse("--blkio-weight", value, v -> {
            long w = uint(v);
            if (w > 65535) {
                throw new IllegalArgumentException("strconv.ParseUint: parsing \"" + v + "\": value out of range");
            }
            return (int) w;
        });
        return this;
    }

    /** {@code --device-read-bps /dev/sda:10mb}; may be given several times. */
    public ResourceFlags deviceReadBps(String value) {
        readBps.add(parse("--device-read-bps", value, v -> throttle(v, true)));
        return this;
    }

    /** {@code --device-write-bps /dev/sda:10mb}. */
    public ResourceFlags deviceWriteBps(String value) {
        writeBps.add(parse("--device-write-bps", value, v -> throttle(v, true)));
        return this;
    }

    /** {@code --device-read-iops /dev/sda:1000}. */
    public ResourceFlags deviceReadIops(String value) {
        readIops.add(parse("--device-read-iops", value, v -> throttle(v, false)));
        return this;
    }

    /** {@code --device-write-iops /dev/sda:1000}. */
    public ResourceFlags deviceWriteIops(String value) {
        writeIops.add(parse("--device-write-iops", value, v -> throttle(v, false)));
        return this;
    }

    // ---- The daemon's side: checks against the machine, then the spec. ----

    /** The limits of a new container ({@code run}, {@code create}); Docker's default device rules included. */
    public Resources toResources(Machine machine) {
        warnings.clear();
        // Docker's daemon adjusts a few values before it checks them.
        if (cpuShares > 0 && cpuShares < MIN_SHARES) {
            warnings.add("Changing requested CPUShares of " + cpuShares + " to minimum allowed of " + MIN_SHARES);
            cpuShares = MIN_SHARES;
        } else if (cpuShares > MAX_SHARES) {
            warnings.add("Changing requested CPUShares of " + cpuShares + " to maximum allowed of " + MAX_SHARES);
            cpuShares = MAX_SHARES;
        }
        if (memory > 0 && memorySwap == 0) {
            memorySwap = 2 * memory; // by default a container may swap as much as its memory
        }
        verify(machine, false);
        return build(DeviceRule.DOCKER_DEFAULTS);
    }

    /** The changes {@code jbox update} makes to a running container: only the flags given. */
    public Resources toUpdate(Machine machine) {
        if (oomKillDisable || !readBps.isEmpty() || !writeBps.isEmpty() || !readIops.isEmpty() || !writeIops.isEmpty()) {
            throw new JboxException("update cannot change --oom-kill-disable or --device-* throttles; "
                    + "remove the container and run it again with them");
        }
        warnings.clear();
        verify(machine, true);
        return build(null);
    }

    /** What Docker's daemon would have warned about while making the last {@link Resources}. */
    public List<String> warnings() {
        return List.copyOf(warnings);
    }

    // tag::docker-checks[]
    /** Docker's daemon checks (verifyPlatformContainerResources), in its words. */
    private void verify(Machine machine, boolean update) {
        if (memory != 0 && memory < MIN_MEMORY) {
            throw new JboxException("Minimum memory limit allowed is 6MB");
        }
        if (memory > 0 && memorySwap != -1 && memorySwap != 0 && !machine.swapLimit()) {
            warnings.add("Your kernel does not support swap limit capabilities or the cgroup is not mounted. "
                    + "Memory limited without swap.");
            memorySwap = -1;
        }
        if (memory > 0 && memorySwap > 0 && memorySwap < memory) {
            throw new JboxException("Minimum memoryswap limit should be larger than memory limit, see usage");
        }
        if (memory == 0 && memorySwap > 0 && !update) {
            throw new JboxException("You should always set the Memory limit when using Memoryswap limit, see usage");
        }
        if (memoryReservation > 0 && memoryReservation < MIN_MEMORY) {
            throw new JboxException("Minimum memory reservation allowed is 6MB");
        }
        if (memory > 0 && memoryReservation > 0 && memory < memoryReservation) {
            throw new JboxException("Minimum memory limit can not be less than memory reservation limit, see usage");
        }
        if (oomKillDisable && machine.version() == CgroupVersion.V2) {
            warnings.add("Your kernel does not support OomKillDisable. OomKillDisable discarded.");
            oomKillDisable = false;
        }
        if (oomKillDisable && memory == 0) {
            warnings.add("OOM killer is disabled for the container, but no memory limit is set, "
                    + "this can result in the system running out of resources.");
        }
        if (nanoCpus > 0 && cpuPeriod > 0) {
            throw new JboxException("Conflicting options: Nano CPUs and CPU Period cannot both be set");
        }
        if (nanoCpus > 0 && cpuQuota > 0) {
            throw new JboxException("Conflicting options: Nano CPUs and CPU Quota cannot both be set");
        }
        if (nanoCpus < 0 || nanoCpus > machine.cpus() * 1_000_000_000L) {
            throw new JboxException("Range of CPUs is from 0.01 to " + machine.cpus() + ".00, as there are only "
                    + machine.cpus() + " CPUs available");
        }
        if (cpuShares < 0) {
            throw new JboxException("shares: invalid argument");
        }
        if (cpuPeriod != 0 && (cpuPeriod < 1000 || cpuPeriod > 1_000_000)) {
            throw new JboxException("CPU cfs period can not be less than 1ms (i.e. 1000) or larger than 1s (i.e. 1000000)");
        }
        if (cpuQuota > 0 && cpuQuota < 1000) {
            throw new JboxException("CPU cfs quota can not be less than 1ms (i.e. 1000)");
        }
        checkCpuset("cpus", cpusetCpus, machine.cpusetCpus(), "CPUs");
        checkCpuset("mems", cpusetMems, machine.cpusetMems(), "memory nodes");
        if (blkioWeight > 0 && (blkioWeight < 10 || blkioWeight > 1000)) {
            throw new JboxException("Range of blkio weight is from 10 to 1000");
        }
    }
    // end::docker-checks[]

    private static void checkCpuset(String what, String requested, String available, String noun) {
        java.util.SortedSet<Integer> asked;
        try {
            asked = Cpuset.parse(requested);
        } catch (IllegalArgumentException e) {
            throw new JboxException("Invalid value " + requested + " for cpuset " + what + ": " + e.getMessage());
        }
        if (!Cpuset.parse(available).containsAll(asked)) {
            throw new JboxException("Requested " + noun + " are not available - requested " + requested
                    + ", available: " + available);
        }
    }

    /** The OCI resources, as Docker's daemon writes them into the spec it gives runc. */
    private Resources build(List<DeviceRule> devices) {
        Resources.Memory mem = memory == 0 && memorySwap == 0 && memoryReservation == 0 && !oomKillDisable ? null
                : new Resources.Memory(memory > 0 ? memory : null, memoryReservation > 0 ? memoryReservation : null,
                memorySwap != 0 ? memorySwap : null, oomKillDisable ? true : null);
        Long period = nanoCpus > 0 ? Long.valueOf(100_000) : cpuPeriod != 0 ? Long.valueOf(cpuPeriod) : null;
        Long quota = nanoCpus > 0 ? Long.valueOf(nanoCpus * 100_000 / 1_000_000_000L)
                : cpuQuota != 0 ? Long.valueOf(cpuQuota) : null;
        Resources.Cpu cpu = cpuShares == 0 && period == null && quota == null && cpusetCpus.isEmpty() && cpusetMems.isEmpty()
                ? null
                : new Resources.Cpu(cpuShares > 0 ? cpuShares : null, quota, period,
                cpusetCpus.isEmpty() ? null : cpusetCpus, cpusetMems.isEmpty() ? null : cpusetMems);
        Resources.Pids pids = pidsLimit == null ? null : new Resources.Pids(pidsLimit > 0 ? pidsLimit : -1);
        Resources.BlockIo io = blkioWeight == 0 && readBps.isEmpty() && writeBps.isEmpty() && readIops.isEmpty()
                && writeIops.isEmpty() ? null
                : new Resources.BlockIo(blkioWeight > 0 ? blkioWeight : null, devices(readBps), devices(writeBps),
                devices(readIops), devices(writeIops));
        return new Resources(mem, cpu, pids, io, devices);
    }

    /** The throttles with their devices looked up, as the daemon stats each path. */
    private static List<Resources.ThrottleDevice> devices(List<Throttle> throttles) {
        List<Resources.ThrottleDevice> devices = new ArrayList<>();
        for (Throttle t : throttles) {
            long[] number = deviceNumber(t.device());
            devices.add(new Resources.ThrottleDevice(number[0], number[1], t.rate()));
        }
        return devices;
    }

    /** {major, minor} of the device node at {@code path}. */
    static long[] deviceNumber(String path) {
        long rdev;
        try {
            rdev = (Long) Files.getAttribute(Path.of(path), "unix:rdev");
        } catch (NoSuchFileException e) {
            throw new JboxException("stat " + path + ": no such file or directory");
        } catch (IOException e) {
            throw new JboxException("stat " + path + ": " + e.getMessage());
        }
        // glibc's major() and minor(): 12 bits of major and 20 of minor, split across the number.
        long major = ((rdev >>> 8) & 0xfff) | ((rdev >>> 32) & ~0xfffL);
        long minor = (rdev & 0xff) | ((rdev >>> 12) & ~0xffL);
        return new long[] {major, minor};
    }

    // ---- Parsing, as the docker CLI does it. ----

    private static <T> T parse(String flag, String value, Function<String, T> parser) {
        try {
            return parser.apply(value);
        } catch (IllegalArgumentException e) {
            throw new JboxException("invalid argument \"" + value + "\" for \"" + flag + "\" flag: " + e.getMessage());
        }
    }

    private static long int64(String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("strconv.ParseInt: parsing \"" + value + "\": invalid syntax");
        }
    }

    private static long uint(String value) {
        if (!value.isEmpty() && value.chars().allMatch(Character::isDigit)) {
            try {
                return Long.parseLong(value);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("strconv.ParseUint: parsing \"" + value + "\": value out of range");
            }
        }
        throw new IllegalArgumentException("strconv.ParseUint: parsing \"" + value + "\": invalid syntax");
    }

    /** {@code /dev/sda:10mb} (bytes, with a unit) or {@code /dev/sda:1000} (operations). */
    private static Throttle throttle(String value, boolean bytes) {
        int colon = value.indexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("bad format: " + value);
        }
        String device = value.substring(0, colon), rate = value.substring(colon + 1);
        if (!device.startsWith("/dev/")) {
            throw new IllegalArgumentException("bad format for device path: " + value);
        }
        try {
            return new Throttle(device, bytes ? DockerUnits.ramInBytes(rate) : uint(rate));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid rate for device: " + value + ". The correct format is "
                    + (bytes ? "<device-path>:<number>[<unit>]. Number must be a positive integer. "
                    + "Unit is optional and can be kb, mb, or gb" : "<device-path>:<number>. Number must be a positive integer"));
        }
    }
}
