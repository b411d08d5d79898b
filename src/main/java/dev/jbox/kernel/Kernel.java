package dev.jbox.kernel;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import java.util.ArrayList;
import java.util.List;

/**
 * The one door to the kernel. Every native call jbox makes goes through a method here (or
 * through {@link Spawn}); each one throws a {@link KernelException} naming the call, its
 * arguments and the errno. Policy - what to mount, which namespaces to enter - lives above.
 */
public final class Kernel {
    // clone(2)/unshare(2) flags
    public static final int CLONE_FS = 0x00000200;
    public static final int CLONE_NEWNS = 0x00020000;
    public static final int CLONE_NEWCGROUP = 0x02000000;
    public static final int CLONE_NEWUTS = 0x04000000;
    public static final int CLONE_NEWIPC = 0x08000000;
    public static final int CLONE_NEWUSER = 0x10000000;
    public static final int CLONE_NEWPID = 0x20000000;
    public static final int CLONE_NEWNET = 0x40000000;

    // mount(2) flags
    public static final long MS_RDONLY = 1, MS_NOSUID = 2, MS_NODEV = 4, MS_NOEXEC = 8, MS_REMOUNT = 32,
            MS_BIND = 4096, MS_MOVE = 8192, MS_REC = 16384, MS_PRIVATE = 1 << 18, MS_SLAVE = 1 << 19,
            MS_STRICTATIME = 1 << 24;
    public static final int MNT_DETACH = 2;

    // open(2) flags
    public static final int O_RDONLY = 0, O_WRONLY = 1, O_RDWR = 2, O_CREAT = 0100, O_NOCTTY = 0400,
            O_TRUNC = 01000, O_APPEND = 02000, O_CLOEXEC = 02000000;

    // access(2) modes
    public static final int F_OK = 0, X_OK = 1;

    /**
     * JNA frees the native copies of String arguments with a Cleaner whose thread starts lazily
     * and exits when idle. A container thread in a new PID namespace cannot create threads, so
     * that Cleaner thread must already exist: this Memory, made on the first use of this class,
     * keeps it alive for the life of the engine (the book, chapter 2).
     */
    private static final Memory KEEP_CLEANER_ALIVE = new Memory(8);

    private static final LibC C = LibC.INSTANCE;

    private Kernel() {
    }

    /** Loads libc and starts JNA's Cleaner from the calling (main) thread. */
    public static void warmUp() {
        KEEP_CLEANER_ALIVE.setLong(0, C.getpid());
    }

    public static void mount(String source, String target, String fstype, long flags, String data) {
        try {
            C.mount(source, target, fstype, flags, data);
        } catch (LastErrorException e) {
            throw fail(e, "mount(source=%s, target=%s, fstype=%s, flags=%s, data=%s)",
                    quote(source), quote(target), quote(fstype), mountFlags(flags), quote(data));
        }
    }

    public static void umount(String target, int flags) {
        try {
            C.umount2(target, flags);
        } catch (LastErrorException e) {
            throw fail(e, "umount2(%s, %s)", quote(target), flags == MNT_DETACH ? "MNT_DETACH" : flags);
        }
    }

    public static void chroot(String path) {
        try {
            C.chroot(path);
        } catch (LastErrorException e) {
            throw fail(e, "chroot(%s)", quote(path));
        }
    }

    public static void chdir(String path) {
        try {
            C.chdir(path);
        } catch (LastErrorException e) {
            throw fail(e, "chdir(%s)", quote(path));
        }
    }

    /** Whether {@code path} passes access(2) with {@code mode}, seen from the calling thread's root. */
    public static boolean access(String path, int mode) {
        return C.access(path, mode) == 0;
    }

    /** Makes a character device node, e.g. {@code /dev/null} is (1, 3). */
    public static void mknodChar(String path, int mode, int major, int minor) {
        final int sIfChr = 0020000;
        try {
            C.mknod(path, sIfChr | mode, ((long) major << 8) | minor);
        } catch (LastErrorException e) {
            throw fail(e, "mknod(%s, S_IFCHR|0%o, makedev(%d, %d))", quote(path), mode, major, minor);
        }
    }

    /**
     * Sets a network interface up, the way ifconfig does it: SIOCGIFFLAGS, then SIOCSIFFLAGS
     * with IFF_UP, on any socket of the calling thread's network namespace.
     */
    public static void setLinkUp(String name) {
        final long siocgifflags = 0x8913, siocsifflags = 0x8914;
        final int afInet = 2, sockDgram = 2, sockCloexec = 02000000, iffUp = 1;
        int sock;
        try {
            sock = C.socket(afInet, sockDgram | sockCloexec, 0);
        } catch (LastErrorException e) {
            throw fail(e, "socket(AF_INET, SOCK_DGRAM)");
        }
        try (Memory ifreq = new Memory(40)) {
            ifreq.clear();
            ifreq.setString(0, name);
            C.ioctl(sock, siocgifflags, ifreq);
            ifreq.setShort(16, (short) (ifreq.getShort(16) | iffUp));
            C.ioctl(sock, siocsifflags, ifreq);
        } catch (LastErrorException e) {
            throw fail(e, "ioctl(SIOCSIFFLAGS, %s, IFF_UP)", quote(name));
        } finally {
            closeQuietly(sock);
        }
    }

    public static void pivotRoot(String newRoot, String putOld) {
        try {
            C.syscall(Syscalls.PIVOT_ROOT, newRoot, putOld);
        } catch (LastErrorException e) {
            throw fail(e, "pivot_root(%s, %s)", quote(newRoot), quote(putOld));
        }
    }

    /** unshare(2) acts on the calling thread only: that is what lets one JVM thread become a container. */
    public static void unshare(int flags) {
        try {
            C.unshare(flags);
        } catch (LastErrorException e) {
            throw fail(e, "unshare(%s)", cloneFlags(flags));
        }
    }

    public static void setns(int fd, int nstype, String what) {
        try {
            C.setns(fd, nstype);
        } catch (LastErrorException e) {
            throw fail(e, "setns(%d /* %s */, %s)", fd, what, cloneFlags(nstype));
        }
    }

    public static void sethostname(String name) {
        try {
            C.sethostname(name, name.length());
        } catch (LastErrorException e) {
            throw fail(e, "sethostname(%s)", quote(name));
        }
    }

    public static int geteuid() {
        return C.geteuid();
    }

    public static int getpid() {
        return C.getpid();
    }

    public static int open(String path, int flags, int mode) {
        try {
            return C.open(path, flags, mode);
        } catch (LastErrorException e) {
            throw fail(e, "open(%s, 0%o, 0%o)", quote(path), flags, mode);
        }
    }

    public static void close(int fd) {
        try {
            C.close(fd);
        } catch (LastErrorException e) {
            throw fail(e, "close(%d)", fd);
        }
    }

    /** Closes {@code fd}, ignoring errors: for cleanup paths where the first failure matters more. */
    public static void closeQuietly(int fd) {
        if (fd >= 0) {
            try {
                C.close(fd);
            } catch (LastErrorException ignored) {
                // the descriptor is gone either way
            }
        }
    }

    /** A pipe whose ends close on exec: {@code [read, write]}. */
    public static int[] pipe() {
        int[] fds = new int[2];
        try {
            C.pipe2(fds, O_CLOEXEC);
        } catch (LastErrorException e) {
            throw fail(e, "pipe2(O_CLOEXEC)");
        }
        return fds;
    }

    /** Reads up to {@code buffer.length} bytes; returns 0 at end of file. Retries on EINTR. */
    public static int read(int fd, byte[] buffer) {
        while (true) {
            try {
                return (int) C.read(fd, buffer, buffer.length);
            } catch (LastErrorException e) {
                if (e.getErrorCode() != Errno.EINTR) {
                    throw fail(e, "read(%d)", fd);
                }
            }
        }
    }

    public static void write(int fd, byte[] bytes) {
        int done = 0;
        while (done < bytes.length) {
            byte[] rest = done == 0 ? bytes : java.util.Arrays.copyOfRange(bytes, done, bytes.length);
            try {
                done += (int) C.write(fd, rest, rest.length);
            } catch (LastErrorException e) {
                if (e.getErrorCode() != Errno.EINTR) {
                    throw fail(e, "write(%d, %d bytes)", fd, rest.length);
                }
            }
        }
    }

    public static boolean isatty(int fd) {
        return C.isatty(fd) == 1;
    }

    /** Waits for {@code pid} and returns how it ended. Any thread of the engine may wait. */
    public static WaitStatus waitpid(int pid) {
        int[] status = new int[1];
        while (true) {
            try {
                C.waitpid(pid, status, 0);
                return new WaitStatus(status[0]);
            } catch (LastErrorException e) {
                if (e.getErrorCode() != Errno.EINTR) {
                    throw fail(e, "waitpid(%d)", pid);
                }
            }
        }
    }

    /** The status of {@code pid} if it has ended (and is now reaped), else null. */
    public static WaitStatus waitpidNoHang(int pid) {
        final int wnohang = 1;
        int[] status = new int[1];
        try {
            return C.waitpid(pid, status, wnohang) == pid ? new WaitStatus(status[0]) : null;
        } catch (LastErrorException e) {
            throw fail(e, "waitpid(%d, WNOHANG)", pid);
        }
    }

    /** Sends {@code signal}; returns false if the process no longer exists. */
    public static boolean kill(int pid, int signal) {
        try {
            C.kill(pid, signal);
            return true;
        } catch (LastErrorException e) {
            if (e.getErrorCode() == Errno.ESRCH) {
                return false;
            }
            throw fail(e, "kill(%d, %d)", pid, signal);
        }
    }

    static LibC libc() {
        return C;
    }

    private static KernelException fail(LastErrorException e, String format, Object... args) {
        return new KernelException(String.format(format, args), e.getErrorCode());
    }

    static String quote(String s) {
        return s == null ? "null" : '"' + s + '"';
    }

    static String cloneFlags(int flags) {
        List<String> names = new ArrayList<>();
        int rest = flags;
        int[] bits = {CLONE_FS, CLONE_NEWNS, CLONE_NEWCGROUP, CLONE_NEWUTS, CLONE_NEWIPC, CLONE_NEWUSER,
                CLONE_NEWPID, CLONE_NEWNET};
        String[] labels = {"CLONE_FS", "CLONE_NEWNS", "CLONE_NEWCGROUP", "CLONE_NEWUTS", "CLONE_NEWIPC",
                "CLONE_NEWUSER", "CLONE_NEWPID", "CLONE_NEWNET"};
        for (int i = 0; i < bits.length; i++) {
            if ((rest & bits[i]) != 0) {
                names.add(labels[i]);
                rest &= ~bits[i];
            }
        }
        if (rest != 0 || names.isEmpty()) {
            names.add(String.format("0x%x", rest));
        }
        return String.join("|", names);
    }

    static String mountFlags(long flags) {
        List<String> names = new ArrayList<>();
        long rest = flags;
        long[] bits = {MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC, MS_REMOUNT, MS_BIND, MS_MOVE, MS_REC,
                MS_PRIVATE, MS_SLAVE, MS_STRICTATIME};
        String[] labels = {"MS_RDONLY", "MS_NOSUID", "MS_NODEV", "MS_NOEXEC", "MS_REMOUNT", "MS_BIND",
                "MS_MOVE", "MS_REC", "MS_PRIVATE", "MS_SLAVE", "MS_STRICTATIME"};
        for (int i = 0; i < bits.length; i++) {
            if ((rest & bits[i]) != 0) {
                names.add(labels[i]);
                rest &= ~bits[i];
            }
        }
        if (rest != 0 || names.isEmpty()) {
            names.add(String.format("0x%x", rest));
        }
        return String.join("|", names);
    }

    /** System call numbers glibc has no wrapper for, per architecture. */
    private static final class Syscalls {
        static final long PIVOT_ROOT = "aarch64".equals(System.getProperty("os.arch")) ? 41 : 155;
    }
}
