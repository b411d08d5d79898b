package dev.jbox.namespaces;

import static dev.jbox.kernel.Kernel.MS_BIND;
import static dev.jbox.kernel.Kernel.MS_NODEV;
import static dev.jbox.kernel.Kernel.MS_NOEXEC;
import static dev.jbox.kernel.Kernel.MS_NOSUID;
import static dev.jbox.kernel.Kernel.MS_PRIVATE;
import static dev.jbox.kernel.Kernel.MS_RDONLY;
import static dev.jbox.kernel.Kernel.MS_REC;
import static dev.jbox.kernel.Kernel.MS_REMOUNT;
import static dev.jbox.kernel.Kernel.MS_STRICTATIME;

import dev.jbox.JboxException;
import dev.jbox.kernel.InRoot;
import dev.jbox.kernel.Kernel;
import dev.jbox.kernel.KernelException;
import dev.jbox.kernel.Syscalls;
import dev.jbox.spec.ContainerSpec;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;

/**
 * The container's file system tree, made inside its own mount namespace: the root file system
 * as a mount of its own, a minimal /dev, a read-only /sys, then pivot_root into it with the
 * host's tree detached. Called from the container thread; nothing here is visible on the host.
 */
public final class RootFilesystem {
    /** Where the container finds jbox-init: a read-only bind mount, so the container cannot rewrite
     * the host's copy (the runc CVE-2019-5736 class of attack). */
    static final String INIT_PATH = "/dev/.jbox-init";

    /** Docker's defaults: kernel knobs and information a container must not change or read. */
    public static final List<String> READ_ONLY_PATHS = List.of("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys",
            "/proc/sysrq-trigger");
    public static final List<String> MASKED_PATHS = List.of("/proc/asound", "/proc/acpi", "/proc/kcore", "/proc/keys",
            "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi",
            "/sys/firmware", "/sys/devices/virtual/powercap");

    /** What a read-only remount of a bind mount keeps of its source's mount, as runc does: the locked flags. */
    static final long SOURCE_FLAGS_KEPT = MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC | Kernel.MS_NOATIME
            | Kernel.MS_NODIRATIME | Kernel.MS_RELATIME;

    private final Syscalls kernel;

    /** {@code kernel}: {@link Syscalls#LINUX}, or a recording fake in a unit test. */
    RootFilesystem(Syscalls kernel) {
        this.kernel = kernel;
    }

    void prepare(Path rootfs, Path initBinary) {
        String root = rootfs.toString();
        // tag::private[]
        // Mounts propagate between namespaces unless made private: without this, what the
        // container mounts would appear on the host, and the other way round.
        kernel.mount(null, "/", null, MS_REC | MS_PRIVATE, null);
        // end::private[]
        // tag::root[]
        // pivot_root needs the new root to be a mount point: a bind mount onto itself makes it one.
        kernel.mount(root, root, null, MS_BIND | MS_REC, null);
        // end::root[]
        mkdirs(rootfs, "proc", "sys", "dev");
        kernel.mount("sysfs", root + "/sys", "sysfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, null);
        makeDev(rootfs, initBinary);
    }

    // tag::dev[]
    private void makeDev(Path rootfs, Path initBinary) {
        String dev = rootfs + "/dev";
        kernel.mount("tmpfs", dev, "tmpfs", MS_NOSUID | MS_STRICTATIME, "mode=755,size=65536k");
        kernel.mknodChar(dev + "/null", 0666, 1, 3);
        kernel.mknodChar(dev + "/zero", 0666, 1, 5);
        kernel.mknodChar(dev + "/full", 0666, 1, 7);
        kernel.mknodChar(dev + "/random", 0666, 1, 8);
        kernel.mknodChar(dev + "/urandom", 0666, 1, 9);
        kernel.mknodChar(dev + "/tty", 0666, 5, 0);
        mkdirs(rootfs, "dev/pts", "dev/shm");
        // A devpts instance of its own: the container's terminals are not the host's.
        kernel.mount("devpts", dev + "/pts", "devpts", MS_NOSUID | MS_NOEXEC, "newinstance,ptmxmode=0666,mode=0620");
        kernel.mount("shm", dev + "/shm", "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, "mode=1777,size=65536k");
        symlink(dev + "/ptmx", "pts/ptmx");
        symlink(dev + "/fd", "/proc/self/fd");
        symlink(dev + "/stdin", "/proc/self/fd/0");
        symlink(dev + "/stdout", "/proc/self/fd/1");
        symlink(dev + "/stderr", "/proc/self/fd/2");
        touch(Path.of(dev + INIT_PATH.substring(4)));
        kernel.mount(initBinary.toString(), dev + INIT_PATH.substring(4), null, MS_BIND, null);
        kernel.mount(null, dev + INIT_PATH.substring(4), null, MS_BIND | MS_REMOUNT | MS_RDONLY, null);
    }
    // end::dev[]

    // tag::volumes[]
    /**
     * The user's mounts (-v, --mount, --tmpfs), parents before children. Each destination is
     * resolved inside the root by the kernel (an image's symbolic link there leads at most
     * elsewhere in the root), made if missing, and mounted on through its descriptor.
     */
    void mountVolumes(Path rootfs, List<ContainerSpec.Mount> mounts) {
        List<ContainerSpec.Mount> asked = mounts.stream().filter(RootFilesystem::askedByUser)
                .sorted(java.util.Comparator.comparingLong(m -> m.destination().chars().filter(c -> c == '/').count()))
                .toList();
        if (asked.isEmpty()) {
            return;
        }
        try (InRoot in = InRoot.open(rootfs)) {
            for (ContainerSpec.Mount m : asked) {
                boolean file = m.type().equals("bind") && !Files.isDirectory(Path.of(m.source()));
                int target = in.make(m.destination(), file);
                try {
                    MountOptions o = MountOptions.of(m.options());
                    if (m.type().equals("tmpfs")) {
                        kernel.mount("tmpfs", InRoot.path(target), "tmpfs", o.flags(), o.data());
                    } else {
                        kernel.mount(m.source(), InRoot.path(target), null, MS_BIND | MS_REC, null);
                        if (o.flags() != 0) { // a bind mount takes its flags only from a remount of the new mount
                            int mounted = in.find(m.destination());
                            try {
                                // A remount sets every flag anew: it keeps the source's, which it may never drop
                                // (that widens rights, or fails with EPERM where a user namespace locked them).
                                String at = InRoot.path(mounted);
                                long kept = kernel.mountFlagsOf(at) & SOURCE_FLAGS_KEPT;
                                kernel.mount(null, at, null, MS_BIND | MS_REMOUNT | o.flags() | kept, null);
                            } finally {
                                Kernel.closeQuietly(mounted);
                            }
                        }
                    }
                } catch (KernelException e) {
                    throw new JboxException("cannot mount " + m.source() + " at " + m.destination() + " in the container: "
                            + e.getMessage());
                } finally {
                    Kernel.closeQuietly(target);
                }
            }
        } catch (KernelException e) {
            throw new JboxException("cannot make the mount points in the root file system " + rootfs + ": " + e.getMessage()
                    + "; a file or a dangling symbolic link of the image may stand where a directory is needed");
        }
    }
    // end::volumes[]

    /** Mounts of -v, --mount and --tmpfs (Docker's "rbind", any tmpfs but the cgroup holder), not the engine's own files. */
    static boolean askedByUser(ContainerSpec.Mount m) {
        return m.type().equals("bind") && m.options().contains("rbind")
                || m.type().equals("tmpfs") && !InitCommand.mountedByInit(m);
    }

    // tag::read-only[]
    /** --read-only: the root's own mount goes read-only, last; /dev, the volumes and tmpfs mounts on it stay writable. */
    void readonlyRoot(Path rootfs) {
        kernel.mount(null, rootfs.toString(), null, MS_BIND | MS_REMOUNT | MS_RDONLY, null);
    }
    // end::read-only[]

    // tag::files[]
    /**
     * Bind-mounts each file over its place in the root file system, in this mount namespace only:
     * the container sees the engine's file, the image keeps its own. A bind mount needs a target,
     * so a missing one is created, empty (in the image: once). A read-only root file system
     * without the target goes without that file, as it did before.
     */
    void bindFiles(Path rootfs, List<ContainerSpec.Mount> files) {
        for (ContainerSpec.Mount f : files) {
            if (InitCommand.mountedByInit(f) || askedByUser(f)) {
                continue;
            }
            if (!"bind".equals(f.type())) {
                throw new JboxException("mount type '" + f.type() + "' at " + f.destination()
                        + " is not supported by this runtime; only bind mounts of files are");
            }
            Path target = rootfs.resolve(f.destination().substring(1));
            if (Files.exists(target, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)) {
                // A symbolic link would be followed on the host's side of the pivot: never mount through one.
                throw new JboxException(f.destination() + " in the root file system " + rootfs + " is not a regular file"
                        + " (a symbolic link?); replace it with a file so jbox can mount the container's own over it");
            }
            if (Files.exists(target, LinkOption.NOFOLLOW_LINKS) || createEmpty(rootfs, target)) {
                kernel.mount(f.source(), target.toString(), null, MS_BIND, null);
            }
        }
    }

    /** Creates an empty file to mount over; false if the root file system is read-only. */
    private static boolean createEmpty(Path rootfs, Path target) {
        Path dir = target.getParent();
        try {
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectory(dir); // one level (/etc): a symbolic link in its place makes this fail
            }
            Files.createFile(target);
            return true;
        } catch (FileSystemException e) {
            if ("Read-only file system".equals(e.getReason())) {
                return false;
            }
            throw new JboxException("cannot create /" + rootfs.relativize(target) + " in the root file system " + rootfs
                    + " to mount the container's own over it: " + e);
        } catch (IOException e) {
            throw new JboxException("cannot create /" + rootfs.relativize(target) + " in the root file system " + rootfs
                    + ": " + e);
        }
    }
    // end::files[]

    /** Makes {@code rootfs} the root of this mount namespace and detaches the old root entirely. */
    void pivot(Path rootfs) {
        PivotRoot.into(kernel, rootfs);
    }

    private static void mkdirs(Path rootfs, String... dirs) {
        for (String d : dirs) {
            Path p = rootfs.resolve(d);
            if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                try {
                    Files.createDirectories(p);
                } catch (IOException e) {
                    throw new JboxException("cannot create /" + d + " in the root file system " + rootfs + ": " + e);
                }
            }
        }
    }

    private static void symlink(String link, String target) {
        try {
            Files.createSymbolicLink(Path.of(link), Path.of(target));
        } catch (IOException e) {
            throw new JboxException("cannot create " + link + ": " + e);
        }
    }

    private static void touch(Path file) {
        try {
            Files.createFile(file);
        } catch (IOException e) {
            throw new JboxException("cannot create " + file + ": " + e);
        }
    }
}
