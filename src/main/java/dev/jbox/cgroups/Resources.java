package dev.jbox.cgroups;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.jbox.JboxException;
import java.util.List;

/**
 * The limits of one container, shaped like the OCI runtime spec's {@code linux.resources} so it
 * reads as runc's config.json does and is stored as JSON in the container's record. Every field
 * is optional: null means "not set, leave the kernel's default". Docker's flags become these
 * values in {@link ResourceFlags}; the checks here are those of the spec and the kernel's units.
 *
 * @param memory  memory and swap limits
 * @param cpu     CPU weight, bandwidth and placement
 * @param pids    how many processes and threads the container may hold
 * @param blockIO block I/O weight and per-device throttles
 * @param devices which device nodes the container may make and use; see {@link DeviceRule}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Resources(Memory memory, Cpu cpu, Pids pids, BlockIo blockIO, List<DeviceRule> devices) {
    /** No limits at all. */
    public static final Resources NONE = new Resources(null, null, null, null, null);

    public Resources {
        devices = devices == null ? null : List.copyOf(devices);
    }

    /**
     * @param limit            bytes of memory; -1 for no limit
     * @param reservation      the soft limit in bytes, reclaimed down to under memory pressure; -1 for none
     * @param swap             memory plus swap, in bytes (Docker's --memory-swap); -1 for unlimited swap
     * @param disableOOMKiller v1 only: processes over the limit wait for memory instead of being killed
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Memory(Long limit, Long reservation, Long swap, Boolean disableOOMKiller) {
        public Memory {
            positiveOrUnlimited("memory.limit", limit);
            positiveOrUnlimited("memory.reservation", reservation);
            positiveOrUnlimited("memory.swap", swap);
            if (limit != null && limit > 0 && swap != null && swap > 0 && swap < limit) {
                throw new JboxException("memory.swap (" + swap + ") counts memory plus swap, so it cannot be below memory.limit ("
                        + limit + "); raise it or use -1 for unlimited swap");
            }
        }
    }

    /**
     * @param shares relative weight against other cgroups when the CPUs are busy (v1's cpu.shares, 2-262144)
     * @param quota  microseconds of CPU time the container may use per period; -1 for no limit
     * @param period the length of that period in microseconds (1000-1000000)
     * @param cpus   the CPUs the container may run on, e.g. {@code 0-1,3}
     * @param mems   the memory nodes it may allocate from, same syntax
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Cpu(Long shares, Long quota, Long period, String cpus, String mems) {
        public Cpu {
            if (shares != null && shares < 1) {
                throw new JboxException("cpu.shares must be positive: " + shares);
            }
            positiveOrUnlimited("cpu.quota", quota);
            if (period != null && period < 1) {
                throw new JboxException("cpu.period must be positive: " + period);
            }
            if (cpus != null) {
                Cpuset.parse(cpus, "cpu.cpus");
            }
            if (mems != null) {
                Cpuset.parse(mems, "cpu.mems");
            }
        }
    }

    /** @param limit the most processes (and threads) at once; 0 or -1 for no limit */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Pids(long limit) {
    }

    /**
     * @param weight                  relative share of the disks' time (10-1000)
     * @param throttleReadBpsDevice   read bytes per second, per device
     * @param throttleWriteBpsDevice  write bytes per second, per device
     * @param throttleReadIOPSDevice  read operations per second, per device
     * @param throttleWriteIOPSDevice write operations per second, per device
     */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record BlockIo(Integer weight, List<ThrottleDevice> throttleReadBpsDevice,
                          List<ThrottleDevice> throttleWriteBpsDevice, List<ThrottleDevice> throttleReadIOPSDevice,
                          List<ThrottleDevice> throttleWriteIOPSDevice) {
        public BlockIo {
            if (weight != null && (weight < 10 || weight > 1000)) {
                throw new JboxException("blockIO.weight must be from 10 to 1000: " + weight);
            }
            throttleReadBpsDevice = copy(throttleReadBpsDevice);
            throttleWriteBpsDevice = copy(throttleWriteBpsDevice);
            throttleReadIOPSDevice = copy(throttleReadIOPSDevice);
            throttleWriteIOPSDevice = copy(throttleWriteIOPSDevice);
        }

        private static List<ThrottleDevice> copy(List<ThrottleDevice> list) {
            return list == null ? List.of() : List.copyOf(list);
        }
    }

    /** A rate for the block device {@code major:minor}. */
    public record ThrottleDevice(long major, long minor, long rate) {
        public ThrottleDevice {
            if (major < 0 || minor < 0 || rate < 0) {
                throw new JboxException("a block I/O throttle needs a device and a rate, none negative: "
                        + major + ":" + minor + " " + rate);
            }
        }

        /** {@code 8:0 10485760}, as v1's blkio.throttle files read it. */
        @Override
        public String toString() {
            return major + ":" + minor + " " + rate;
        }
    }

    /** These limits with every field {@code changes} sets replaced: what {@code jbox update} stores. */
    public Resources merge(Resources changes) {
        return new Resources(
                memory == null || changes.memory == null ? either(memory, changes.memory) : new Memory(
                        either(memory.limit, changes.memory.limit), either(memory.reservation, changes.memory.reservation),
                        either(memory.swap, changes.memory.swap),
                        either(memory.disableOOMKiller, changes.memory.disableOOMKiller)),
                cpu == null || changes.cpu == null ? either(cpu, changes.cpu) : new Cpu(
                        either(cpu.shares, changes.cpu.shares), either(cpu.quota, changes.cpu.quota),
                        either(cpu.period, changes.cpu.period), either(cpu.cpus, changes.cpu.cpus),
                        either(cpu.mems, changes.cpu.mems)),
                either(pids, changes.pids),
                blockIO == null || changes.blockIO == null ? either(blockIO, changes.blockIO) : new BlockIo(
                        either(blockIO.weight, changes.blockIO.weight),
                        orOld(blockIO.throttleReadBpsDevice, changes.blockIO.throttleReadBpsDevice),
                        orOld(blockIO.throttleWriteBpsDevice, changes.blockIO.throttleWriteBpsDevice),
                        orOld(blockIO.throttleReadIOPSDevice, changes.blockIO.throttleReadIOPSDevice),
                        orOld(blockIO.throttleWriteIOPSDevice, changes.blockIO.throttleWriteIOPSDevice)),
                either(devices, changes.devices));
    }

    /** Whether no field is set. */
    @JsonIgnore
    public boolean isEmpty() {
        return equals(NONE);
    }

    private static <T> T either(T old, T newer) {
        return newer != null ? newer : old;
    }

    private static List<ThrottleDevice> orOld(List<ThrottleDevice> old, List<ThrottleDevice> newer) {
        return newer.isEmpty() ? old : newer;
    }

    private static void positiveOrUnlimited(String field, Long value) {
        if (value != null && value != -1 && value < 1) {
            throw new JboxException(field + " must be positive, or -1 for no limit: " + value);
        }
    }
}
