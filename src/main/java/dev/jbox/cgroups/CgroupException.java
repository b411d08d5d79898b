package dev.jbox.cgroups;

import dev.jbox.JboxException;
import dev.jbox.kernel.Errno;

/**
 * The kernel refused a cgroup file's value (or the file is not there). The message names the
 * file, the value, the errno and what to change, e.g.
 * {@code write /sys/fs/cgroup/cpu/jbox/c1/cpu.cfs_quota_us "100": EINVAL (Invalid argument); the kernel refuses this value: choose another --cpus or --cpu-quota}.
 */
public class CgroupException extends JboxException {
    private final int errno;

    public CgroupException(String message, int errno) {
        super(message);
        this.errno = errno;
    }

    /** The errno of the failed call, 0 if none. */
    public int errno() {
        return errno;
    }

    /** What to do about {@code errno} when writing {@code file} for the flag {@code flag}. */
    static String fix(String file, int errno, String flag) {
        return switch (errno) {
            case Errno.EINVAL, Errno.ERANGE -> "the kernel refuses this value: choose another " + flag;
            case Errno.EBUSY -> file.startsWith("memory")
                    ? "the container uses more memory than that now: choose a larger " + flag
                    : "the cgroup is busy: try again once its processes are gone, or choose another " + flag;
            case Errno.ENOENT -> "this kernel has no " + file + ": the controller it belongs to is not enabled here, so "
                    + flag + " cannot be used on this machine";
            case Errno.ENODEV -> "the device is not one the kernel can throttle: name a whole disk, like /dev/vda, in " + flag;
            case Errno.ENOSPC -> "no CPU or memory node left to use: check " + flag;
            case Errno.EPERM, Errno.EACCES, Errno.EROFS -> "jbox must run as root with a writable /sys/fs/cgroup";
            default -> "check " + flag;
        };
    }
}
