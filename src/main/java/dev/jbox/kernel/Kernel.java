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
            MS_STRICTATIME = 1 << 24, MS_SYNCHRONOUS = 16, MS_MANDLOCK = 64, MS_NOATIME = 1024, MS_NODIRATIME = 2048,
            MS_RELATIME = 1 << 21;
    public static final int MNT_DETACH = 2;

    // open(2) flags
    public static final int O_RDONLY = 0, O_WRONLY = 1, O_RDWR = 2, O_CREAT = 0100, O_NOCTTY = 0400,
            O_TRUNC = 01000, O_APPEND = 02000, O_CLOEXEC = 02000000, O_EXCL = 0200, O_DIRECTORY = 0200000,
            O_NOFOLLOW = 0400000, O_PATH = 010000000;
    // openat2(2) resolve flags: every path stays below the directory it starts from, and /proc's
    // magic links (which could jump anywhere) are refused on the way.
    public static final long RESOLVE_NO_MAGICLINKS = 0x02, RESOLVE_IN_ROOT = 0x10;

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

    /**
     * The flags of the mount that holds {@code path}, as mount(2) spells them (MS_RDONLY, MS_NOSUID,
     * MS_NODEV, MS_NOEXEC, MS_NOATIME, MS_RELATIME...): statfs(2)'s f_flags, whose ST_ bits are the
     * MS_ ones but for ST_RELATIME.
     */
    public static long mountFlagsOf(String path) {
        byte[] buf = new byte[128]; // struct statfs: 120 bytes on 64-bit Linux, f_flags at offset 80
        try {
            C.statfs(path, buf);
        } catch (LastErrorException e) {
            throw fail(e, "statfs(%s)", quote(path));
        }
        long st = java.nio.ByteBuffer.wrap(buf).order(java.nio.ByteOrder.nativeOrder()).getLong(80);
        final long stRelatime = 4096;
        long same = MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_SYNCHRONOUS | MS_MANDLOCK | MS_NOATIME | MS_NODIRATIME;
        return (st & same) | ((st & stRelatime) != 0 ? MS_RELATIME : 0);
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

    // ---- Files as a layer holds them: modes, owners, extended attributes (chapter 4). ----

    /** chmod(2), for the bits Java's PosixFilePermission cannot say (setuid, setgid, sticky). It follows a symbolic link: call it on files and directories only. */
    public static void chmod(String path, int mode) {
        try {
            C.chmod(path, mode);
        } catch (LastErrorException e) {
            throw fail(e, "chmod(%s, 0%o)", quote(path), mode);
        }
    }

    /** lchown(2): the owner of the file itself, never of what a symbolic link points to. */
    public static void lchown(String path, int uid, int gid) {
        try {
            C.lchown(path, uid, gid);
        } catch (LastErrorException e) {
            throw fail(e, "lchown(%s, %d, %d)", quote(path), uid, gid);
        }
    }

    public static void lsetxattr(String path, String name, byte[] value) {
        try {
            C.lsetxattr(path, name, value, value.length, 0);
        } catch (LastErrorException e) {
            throw fail(e, "lsetxattr(%s, %s, %d bytes)", quote(path), quote(name), value.length);
        }
    }

    /** The attribute's value, or null if the file has none of that name (ENODATA) or its file system keeps none. */
    public static byte[] lgetxattr(String path, String name) {
        byte[] buffer = new byte[256];
        while (true) {
            try {
                long n = C.lgetxattr(path, name, buffer, buffer.length);
                return java.util.Arrays.copyOf(buffer, (int) n);
            } catch (LastErrorException e) {
                if (e.getErrorCode() == Errno.ENODATA || e.getErrorCode() == Errno.EOPNOTSUPP) {
                    return null;
                }
                if (e.getErrorCode() != Errno.ERANGE || buffer.length >= 65536) {
                    throw fail(e, "lgetxattr(%s, %s)", quote(path), quote(name));
                }
                buffer = new byte[65536]; // the largest value Linux allows
            }
        }
    }

    /** The names of a file's extended attributes (empty if its file system keeps none). */
    public static List<String> llistxattr(String path) {
        byte[] buffer = new byte[65536];
        long n;
        try {
            n = C.llistxattr(path, buffer, buffer.length);
        } catch (LastErrorException e) {
            if (e.getErrorCode() == Errno.EOPNOTSUPP) {
                return List.of();
            }
            throw fail(e, "llistxattr(%s)", quote(path));
        }
        List<String> names = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < n; i++) {
            if (buffer[i] == 0) {
                names.add(new String(buffer, start, i - start, java.nio.charset.StandardCharsets.UTF_8));
                start = i + 1;
            }
        }
        return names;
    }

    // ---- The new mount API (Linux 5.2): a file system configured key by key, so no option
    // string and no one-page limit on it; overlay takes "lowerdir+" this way from Linux 6.8. ----

    /** fsopen(2): a file-system context to configure; close it when done. */
    public static int fsopen(String fsType) {
        final int fsopenCloexec = 1;
        try {
            return (int) C.syscall(Syscalls.FSOPEN, fsType, fsopenCloexec);
        } catch (LastErrorException e) {
            throw fail(e, "fsopen(%s, FSOPEN_CLOEXEC)", quote(fsType));
        }
    }

    /** fsconfig(2) FSCONFIG_SET_STRING; a refusal carries the file system's own words from the context's log. */
    public static void fsconfigString(int fsFd, String key, String value) {
        final int fsconfigSetString = 1;
        try {
            C.syscall(Syscalls.FSCONFIG, fsFd, fsconfigSetString, key, value, 0);
        } catch (LastErrorException e) {
            throw fail(e, "fsconfig(%d, FSCONFIG_SET_STRING, %s, %s)%s", fsFd, quote(key), quote(value),
                    contextLog(fsFd));
        }
    }

    /** fsconfig(2) FSCONFIG_CMD_CREATE: makes the superblock from the configuration. */
    public static void fsconfigCreate(int fsFd) {
        final int fsconfigCmdCreate = 6;
        try {
            C.syscall(Syscalls.FSCONFIG, fsFd, fsconfigCmdCreate, null, null, 0);
        } catch (LastErrorException e) {
            throw fail(e, "fsconfig(%d, FSCONFIG_CMD_CREATE)%s", fsFd, contextLog(fsFd));
        }
    }

    /** fsmount(2): a detached mount of the created file system, as a file descriptor. */
    public static int fsmount(int fsFd) {
        final int fsmountCloexec = 1;
        try {
            return (int) C.syscall(Syscalls.FSMOUNT, fsFd, fsmountCloexec, 0);
        } catch (LastErrorException e) {
            throw fail(e, "fsmount(%d, FSMOUNT_CLOEXEC)", fsFd);
        }
    }

    /** move_mount(2): attaches a detached mount at {@code target}. */
    public static void moveMount(int mountFd, String target) {
        final int atFdcwd = -100, moveMountFEmptyPath = 4;
        try {
            C.syscall(Syscalls.MOVE_MOUNT, mountFd, "", atFdcwd, target, moveMountFEmptyPath);
        } catch (LastErrorException e) {
            throw fail(e, "move_mount(%d, \"\", AT_FDCWD, %s, MOVE_MOUNT_F_EMPTY_PATH)", mountFd, quote(target));
        }
    }

    // ---- Paths inside a root that may be hostile (an image's symbolic links) ----

    /**
     * openat2(2) (Linux 5.6): opens {@code path} relative to {@code dirFd}, resolved as {@code resolve}
     * says; with RESOLVE_IN_ROOT an absolute symbolic link or a ".." stops at {@code dirFd}, as
     * if it were "/", so an image's links can never lead to the host's files.
     */
    public static int openat2(int dirFd, String path, int flags, int mode, long resolve) {
        com.sun.jna.Memory how = new com.sun.jna.Memory(24); // struct open_how { u64 flags, mode, resolve; }
        how.setLong(0, flags & 0xffffffffL);
        how.setLong(8, mode);
        how.setLong(16, resolve);
        try {
            return (int) C.syscall(Syscalls.OPENAT2, dirFd, path, how, 24L);
        } catch (LastErrorException e) {
            throw fail(e, "openat2(%d, %s, {flags=0%o, mode=0%o, resolve=0x%x})", dirFd, quote(path), flags, mode, resolve);
        }
    }

    /** mkdirat(2): one directory in {@code dirFd}; a symbolic link in its place is never followed (EEXIST). */
    public static void mkdirat(int dirFd, String name, int mode) {
        try {
            C.syscall(Syscalls.MKDIRAT, dirFd, name, mode);
        } catch (LastErrorException e) {
            throw fail(e, "mkdirat(%d, %s, 0%o)", dirFd, quote(name), mode);
        }
    }

    /** The messages a file system left in its context (read(2) on the fsopen fd), as ": e overlayfs: ..." or "". */
    private static String contextLog(int fsFd) {
        StringBuilder log = new StringBuilder();
        byte[] line = new byte[1024];
        for (int i = 0; i < 8; i++) {
            long n;
            try {
                n = C.read(fsFd, line, line.length);
            } catch (LastErrorException e) {
                break; // ENODATA: nothing (more) logged
            }
            if (n <= 0) {
                break;
            }
            log.append(log.length() == 0 ? " [" : "; ").append(new String(line, 0, (int) n).strip());
        }
        return log.length() == 0 ? "" : log.append(']').toString();
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
                MS_PRIVATE, MS_SLAVE, MS_STRICTATIME, MS_SYNCHRONOUS, MS_MANDLOCK, MS_NOATIME, MS_NODIRATIME, MS_RELATIME};
        String[] labels = {"MS_RDONLY", "MS_NOSUID", "MS_NODEV", "MS_NOEXEC", "MS_REMOUNT", "MS_BIND",
                "MS_MOVE", "MS_REC", "MS_PRIVATE", "MS_SLAVE", "MS_STRICTATIME", "MS_SYNCHRONOUS", "MS_MANDLOCK",
                "MS_NOATIME", "MS_NODIRATIME", "MS_RELATIME"};
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
        // Calls added since Linux 5.1 have one number on every architecture.
        static final long MOVE_MOUNT = 429, FSOPEN = 430, FSCONFIG = 431, FSMOUNT = 432, OPENAT2 = 437;
        static final long MKDIRAT = "aarch64".equals(System.getProperty("os.arch")) ? 34 : 258;
    }
}
