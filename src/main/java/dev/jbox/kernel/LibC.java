package dev.jbox.kernel;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;

/**
 * The raw glibc functions jbox calls, exactly as their C prototypes read.
 * Nothing outside this package sees this interface: {@link Kernel} wraps every call
 * and turns a failure into a {@link KernelException} that names the call and its arguments.
 */
interface LibC extends Library {
    LibC INSTANCE = Native.load("c", LibC.class);

    // File systems and roots
    int mount(String source, String target, String fstype, long flags, String data) throws LastErrorException;
    int umount2(String target, int flags) throws LastErrorException;
    int statfs(String path, byte[] buf) throws LastErrorException;
    int chroot(String path) throws LastErrorException;
    int chdir(String path) throws LastErrorException;
    int access(String path, int mode); // errors are answers here, not failures
    int mknod(String path, int mode, long dev) throws LastErrorException;
    long syscall(long number, Object... args) throws LastErrorException;
    int chmod(String path, int mode) throws LastErrorException;
    int lchown(String path, int uid, int gid) throws LastErrorException;

    // Extended attributes, never through a symbolic link (the l- calls)
    int lsetxattr(String path, String name, byte[] value, long size, int flags) throws LastErrorException;
    long lgetxattr(String path, String name, byte[] value, long size) throws LastErrorException;
    long llistxattr(String path, byte[] list, long size) throws LastErrorException;

    // Namespaces and identity
    int unshare(int flags) throws LastErrorException;
    int setns(int fd, int nstype) throws LastErrorException;
    int sethostname(String name, long len) throws LastErrorException;
    int geteuid();
    int getpid();

    // File descriptors
    int open(String path, int flags, int mode) throws LastErrorException;
    int close(int fd) throws LastErrorException;
    int pipe2(int[] fds, int flags) throws LastErrorException;
    long read(int fd, byte[] buffer, long count) throws LastErrorException;
    long write(int fd, byte[] buffer, long count) throws LastErrorException;
    int isatty(int fd);
    int ioctl(int fd, long request, Pointer argp) throws LastErrorException;
    int tcgetattr(int fd, Pointer termios) throws LastErrorException;
    int tcsetattr(int fd, int when, Pointer termios) throws LastErrorException;
    void cfmakeraw(Pointer termios);

    // Processes
    int waitpid(int pid, int[] status, int options) throws LastErrorException;
    int kill(int pid, int signal) throws LastErrorException;

    // posix_spawn returns an error number instead of setting errno.
    int posix_spawn(IntByReference pid, String path, Pointer fileActions, Pointer attr,
                    String[] argv, String[] envp);
    int posix_spawn_file_actions_init(Pointer fileActions);
    int posix_spawn_file_actions_destroy(Pointer fileActions);
    int posix_spawn_file_actions_adddup2(Pointer fileActions, int fd, int newFd);
    int posix_spawn_file_actions_addclose(Pointer fileActions, int fd);
    int posix_spawn_file_actions_addopen(Pointer fileActions, int fd, String path, int flags, int mode);
    int posix_spawn_file_actions_addclosefrom_np(Pointer fileActions, int from);
    int posix_spawnattr_init(Pointer attr);
    int posix_spawnattr_destroy(Pointer attr);
    int posix_spawnattr_setflags(Pointer attr, short flags);
    int posix_spawnattr_setsigmask(Pointer attr, Pointer sigset);
    int posix_spawnattr_setsigdefault(Pointer attr, Pointer sigset);
    int posix_spawnattr_setpgroup(Pointer attr, int pgroup);
    int sigemptyset(Pointer set);
    int sigfillset(Pointer set);

    String strerror(int errnum);

    // Sockets (for the classic interface ioctls)
    int socket(int domain, int type, int protocol) throws LastErrorException;

    // ---- Networking: the rest of what rtnetlink needs (NetlinkSocket), with socket above. ----
    // Buffers are byte[] or a Pointer to native memory; sockaddr_nl is passed as its 12 raw bytes.
    int bind(int fd, byte[] address, int addressLength) throws LastErrorException;
    int setsockopt(int fd, int level, int option, int[] value, int valueLength) throws LastErrorException;
    long sendto(int fd, byte[] buffer, long length, int flags, byte[] address, int addressLength)
            throws LastErrorException;
    long recv(int fd, Pointer buffer, long length, int flags) throws LastErrorException;
}
