package dev.jbox.kernel;

/**
 * A system call failed. The message names the call with its arguments and the errno, e.g.
 * {@code mount(source="proc", target="/proc", fstype="proc", flags=MS_NOSUID, data=null): EPERM (Operation not permitted)},
 * because "Operation not permitted" alone never tells a reader which of twenty mounts failed.
 */
public class KernelException extends RuntimeException {
    private final String call;
    private final int errno;

    public KernelException(String call, int errno) {
        super(call + ": " + Errno.describe(errno));
        this.call = call;
        this.errno = errno;
    }

    /** The call as written in the message, e.g. {@code chroot("/var/lib/jbox/x")}. */
    public String call() {
        return call;
    }

    public int errno() {
        return errno;
    }
}
