package dev.jbox.kernel;

/**
 * The system calls that policy code (what to mount, in which order) makes, as an interface, so
 * that the policy can be unit-tested without root against a recording fake, as youki tests its
 * container setup. {@link #LINUX} is the real kernel, through {@link Kernel}; errors are
 * {@link KernelException}s naming the call and its arguments.
 */
public interface Syscalls {
    void mount(String source, String target, String fstype, long flags, String data);

    void umount(String target, int flags);

    /** The mount flags of the mount that holds {@code path} (statfs). */
    long mountFlagsOf(String path);

    void mknodChar(String path, int mode, int major, int minor);

    void chdir(String path);

    void pivotRoot(String newRoot, String putOld);

    Syscalls LINUX = new Syscalls() {
        @Override
        public void mount(String source, String target, String fstype, long flags, String data) {
            Kernel.mount(source, target, fstype, flags, data);
        }

        @Override
        public void umount(String target, int flags) {
            Kernel.umount(target, flags);
        }

        @Override
        public long mountFlagsOf(String path) {
            return Kernel.mountFlagsOf(path);
        }

        @Override
        public void mknodChar(String path, int mode, int major, int minor) {
            Kernel.mknodChar(path, mode, major, minor);
        }

        @Override
        public void chdir(String path) {
            Kernel.chdir(path);
        }

        @Override
        public void pivotRoot(String newRoot, String putOld) {
            Kernel.pivotRoot(newRoot, putOld);
        }
    };
}
