package dev.jbox.kernel;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.nio.charset.StandardCharsets;

/**
 * The bpf(2) system call, for the one kind of program jbox loads: a cgroup v2 device filter
 * ({@code BPF_PROG_TYPE_CGROUP_DEVICE}), which replaced v1's devices.allow/deny. glibc has no
 * wrapper, so the call goes through syscall(2) with a {@code union bpf_attr} laid out by hand;
 * the offsets below are those of include/uapi/linux/bpf.h.
 */
public final class Bpf {
    /** {@code enum bpf_prog_type}: a program the kernel runs on every device access of a cgroup. */
    public static final int PROG_TYPE_CGROUP_DEVICE = 15;
    /** {@code enum bpf_attach_type}: where such a program hangs. */
    public static final int ATTACH_CGROUP_DEVICE = 6;
    /** Lets several programs hang on one cgroup; each must allow an access. */
    public static final int F_ALLOW_MULTI = 2;

    private static final int PROG_LOAD = 5, PROG_ATTACH = 8, PROG_DETACH = 9, PROG_QUERY = 16;
    private static final int ATTR_SIZE = 128; // enough for every command used here; the rest stays zero
    private static final int LOG_SIZE = 64 * 1024;
    private static final long SYS_BPF = "aarch64".equals(System.getProperty("os.arch")) ? 280 : 321;

    private Bpf() {
    }

    /**
     * Loads {@code instructions} (8 bytes each, as {@code struct bpf_insn}) as a device filter and
     * returns its file descriptor. If the verifier refuses the program, the exception carries the
     * verifier's own explanation.
     */
    public static int loadCgroupDeviceProgram(byte[] instructions, String license) {
        int count = instructions.length / 8;
        try (Memory insns = new Memory(instructions.length); Memory lic = cString(license);
             Memory attr = new Memory(ATTR_SIZE)) {
            insns.write(0, instructions, 0, instructions.length);
            attr.clear();
            attr.setInt(0, PROG_TYPE_CGROUP_DEVICE);
            attr.setInt(4, count);
            attr.setLong(8, address(insns));
            attr.setLong(16, address(lic));
            try {
                return (int) bpf(PROG_LOAD, attr);
            } catch (LastErrorException first) {
                // Load again with the verifier's log switched on: it says which instruction it refused and why.
                try (Memory log = new Memory(LOG_SIZE)) {
                    log.clear();
                    attr.setInt(24, 1);
                    attr.setInt(28, LOG_SIZE);
                    attr.setLong(32, address(log));
                    try {
                        return (int) bpf(PROG_LOAD, attr);
                    } catch (LastErrorException second) {
                        String verifier = log.getString(0, StandardCharsets.UTF_8.name()).strip().replace('\n', ';');
                        throw new KernelException(String.format(
                                "bpf(BPF_PROG_LOAD, prog_type=BPF_PROG_TYPE_CGROUP_DEVICE, insn_cnt=%d, license=%s)%s",
                                count, Kernel.quote(license), verifier.isEmpty() ? "" : " [verifier: " + verifier + "]"),
                                second.getErrorCode());
                    }
                }
            }
        }
    }

    /** Hangs program {@code programFd} on the cgroup directory open as {@code cgroupFd}. */
    public static void attachCgroupDevice(int cgroupFd, int programFd, String cgroupPath) {
        attachOrDetach(PROG_ATTACH, "BPF_PROG_ATTACH", cgroupFd, programFd, F_ALLOW_MULTI, cgroupPath);
    }

    /** Takes program {@code programFd} off the cgroup directory open as {@code cgroupFd}. */
    public static void detachCgroupDevice(int cgroupFd, int programFd, String cgroupPath) {
        attachOrDetach(PROG_DETACH, "BPF_PROG_DETACH", cgroupFd, programFd, 0, cgroupPath);
    }

    /** The ids of the device programs hanging on the cgroup directory open as {@code cgroupFd}. */
    public static int[] queryCgroupDevice(int cgroupFd, String cgroupPath) {
        final int max = 64; // the kernel's limit of programs per cgroup and attach type
        try (Memory ids = new Memory(4L * max); Memory attr = new Memory(ATTR_SIZE)) {
            attr.clear();
            attr.setInt(0, cgroupFd);
            attr.setInt(4, ATTACH_CGROUP_DEVICE);
            attr.setLong(16, address(ids));
            attr.setInt(24, max);
            try {
                bpf(PROG_QUERY, attr);
            } catch (LastErrorException e) {
                throw new KernelException(String.format("bpf(BPF_PROG_QUERY, target=%d /* %s */, BPF_CGROUP_DEVICE)",
                        cgroupFd, cgroupPath), e.getErrorCode());
            }
            return ids.getIntArray(0, attr.getInt(24));
        }
    }

    private static void attachOrDetach(int command, String name, int cgroupFd, int programFd, int flags,
                                       String cgroupPath) {
        try (Memory attr = new Memory(ATTR_SIZE)) {
            attr.clear();
            attr.setInt(0, cgroupFd);
            attr.setInt(4, programFd);
            attr.setInt(8, ATTACH_CGROUP_DEVICE);
            attr.setInt(12, flags);
            try {
                bpf(command, attr);
            } catch (LastErrorException e) {
                throw new KernelException(String.format("bpf(%s, target=%d /* %s */, program=%d, BPF_CGROUP_DEVICE%s)",
                        name, cgroupFd, cgroupPath, programFd, flags == F_ALLOW_MULTI ? ", BPF_F_ALLOW_MULTI" : ""),
                        e.getErrorCode());
            }
        }
    }

    private static long bpf(int command, Memory attr) {
        return Kernel.libc().syscall(SYS_BPF, (long) command, attr, (long) ATTR_SIZE);
    }

    private static Memory cString(String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        Memory m = new Memory(bytes.length + 1L);
        m.write(0, bytes, 0, bytes.length);
        m.setByte(bytes.length, (byte) 0);
        return m;
    }

    /** The address of native memory, as bpf_attr's 64-bit pointer fields want it. */
    private static long address(Memory m) {
        return Pointer.nativeValue(m);
    }
}
