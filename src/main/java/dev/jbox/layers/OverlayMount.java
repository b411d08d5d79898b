package dev.jbox.layers;

import dev.jbox.FileTrees;
import dev.jbox.JboxException;
import dev.jbox.kernel.ContainerThread;
import dev.jbox.kernel.Errno;
import dev.jbox.kernel.Kernel;
import dev.jbox.kernel.KernelException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * An overlay mount of an image's layers with a container's upper and work directories.
 *
 * <p>The classic mount(2) takes all options in one string of at most a page (4096 bytes), and a
 * snapshot path is about 100 bytes: some 40 layers fit, not the hundred and more that real images
 * have. Two ways around it, as the kernel allows:
 * <ul>
 * <li>{@link Method#LOWERDIR_PLUS}: the new mount API (fsopen, fsconfig, fsmount, move_mount),
 * one {@code lowerdir+} key per layer, no shared limit. Overlayfs takes it from Linux 6.8.</li>
 * <li>{@link Method#SHORT_NAMES}: for older kernels (the course VM's 6.1), a thread of its own
 * moves into a scratch directory of symbolic links named 0, 1, 2... and mounts with relative
 * paths, {@code lowerdir=0:1:2}; overlayfs resolves them when mounting, so the links are removed
 * right after. Docker's {@code l/} directory of short links does the same with links that stay.</li>
 * </ul>
 * The mount is made in the calling thread's mount namespace; call it from an ordinary engine
 * thread (the classic way starts a thread).
 */
public final class OverlayMount {
    /** OVL_MAX_STACK in fs/overlayfs (500 in every kernel from 4.x to 6.18). */
    public static final int MAX_LOWER_LAYERS = 500;
    /** The classic mount(2) copies at most one page of options (4096 bytes with the final NUL). */
    public static final int MAX_OPTIONS = 4095;

    public enum Method { LOWERDIR_PLUS, SHORT_NAMES }

    private static volatile Boolean lowerdirPlus;

    private OverlayMount() {
    }

    /**
     * Mounts the layers (image order, base first) with {@code upper} and {@code work} on
     * {@code target}, the best way this kernel offers. Without upper and work (both null) the
     * overlay is read-only and needs two layers at least.
     */
    public static Method mount(List<Path> lowersBaseFirst, Path upper, Path work, Path target) {
        Method method = supportsLowerdirPlus() ? Method.LOWERDIR_PLUS : Method.SHORT_NAMES;
        mount(lowersBaseFirst, upper, work, target, method);
        return method;
    }

    public static void mount(List<Path> lowersBaseFirst, Path upper, Path work, Path target, Method method) {
        if (lowersBaseFirst.isEmpty()) {
            throw new JboxException("cannot mount an overlay on " + target + " without a layer");
        }
        if (lowersBaseFirst.size() > MAX_LOWER_LAYERS) {
            throw new JboxException("cannot mount " + lowersBaseFirst.size() + " layers on " + target
                    + ": overlayfs stacks at most " + MAX_LOWER_LAYERS + "; squash the image");
        }
        List<String> topFirst = new ArrayList<>();
        for (int i = lowersBaseFirst.size() - 1; i >= 0; i--) {
            topFirst.add(checked(lowersBaseFirst.get(i)));
        }
        String up = upper == null ? null : checked(upper), wk = work == null ? null : checked(work);
        String at = target.toAbsolutePath().toString();
        if (method == Method.LOWERDIR_PLUS) {
            mountWithNewApi(topFirst, up, wk, at);
        } else {
            mountWithShortNames(topFirst, up, wk, at, (work != null ? work : target).toAbsolutePath().getParent());
        }
    }

    /** Unmounts {@code target}; if something still holds it, detaches it (it goes once unused). */
    public static void unmount(Path target) {
        try {
            Kernel.umount(target.toAbsolutePath().toString(), 0);
        } catch (KernelException e) {
            if (e.errno() != Errno.EBUSY) {
                throw e;
            }
            Kernel.umount(target.toAbsolutePath().toString(), Kernel.MNT_DETACH);
        }
    }

    /**
     * Unmounts whatever is mounted at or below {@code dir} in this (the host's) mount namespace,
     * deepest first: what a build killed in a RUN step leaves in its scratch directory.
     */
    public static void unmountAllBelow(Path dir) {
        String top = dir.toAbsolutePath().toString();
        List<String> below = hostMountPoints().stream().filter(m -> m.equals(top) || m.startsWith(top + "/"))
                .sorted(java.util.Comparator.reverseOrder()).distinct().toList();
        for (String m : below) {
            unmount(Path.of(m));
        }
    }

    /** The mount points of this process's mount namespace, unescaped. */
    static List<String> hostMountPoints() {
        return dev.jbox.lifecycle.ProcessTable.mounts(Kernel.getpid()).stream().map(m -> unescape(m.destination())).toList();
    }

    /** /proc/self/mountinfo writes a space, tab, newline or backslash in a path as \ooo. */
    private static String unescape(String s) {
        return s.replace("\\040", " ").replace("\\011", "\t").replace("\\012", "\n").replace("\\134", "\\");
    }

    // tag::options[]
    /** The classic option string: lower layers top first, separated by ':'. */
    static String options(List<String> lowersTopFirst, String upper, String work) {
        String lowers = "lowerdir=" + String.join(":", lowersTopFirst);
        return upper == null ? lowers : lowers + ",upperdir=" + upper + ",workdir=" + work;
    }
    // end::options[]

    private static void mountWithNewApi(List<String> lowersTopFirst, String upper, String work, String target) {
        int fs = Kernel.fsopen("overlay");
        try {
            for (String lower : lowersTopFirst) {
                Kernel.fsconfigString(fs, "lowerdir+", lower); // each appended below the ones before
            }
            if (upper != null) {
                Kernel.fsconfigString(fs, "upperdir", upper);
                Kernel.fsconfigString(fs, "workdir", work);
            }
            Kernel.fsconfigCreate(fs);
            int mount = Kernel.fsmount(fs);
            try {
                Kernel.moveMount(mount, target);
            } finally {
                Kernel.close(mount);
            }
        } finally {
            Kernel.close(fs);
        }
    }

    private static void mountWithShortNames(List<String> lowersTopFirst, String upper, String work, String target,
                                            Path scratchParent) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < lowersTopFirst.size(); i++) {
            names.add(Integer.toString(i));
        }
        String options = options(names, upper, work);
        if (options.length() > MAX_OPTIONS) {
            throw new JboxException("cannot mount " + names.size() + " layers on " + target + ": the options take "
                    + options.length() + " bytes, mount(2) takes " + MAX_OPTIONS
                    + "; shorten the container's path or use Linux 6.8 or later (lowerdir+)");
        }
        Path links;
        try {
            links = Files.createTempDirectory(scratchParent, ".lowers-");
            for (int i = 0; i < lowersTopFirst.size(); i++) {
                Files.createSymbolicLink(links.resolve(names.get(i)), Path.of(lowersTopFirst.get(i)));
            }
        } catch (IOException e) {
            throw new JboxException("cannot mount the layers on " + target + ": " + e);
        }
        try {
            // chdir changes the whole process's working directory unless the thread has its own (CLONE_FS).
            ContainerThread.call("overlay-mount", () -> {
                Kernel.unshare(Kernel.CLONE_FS);
                Kernel.chdir(links.toString());
                Kernel.mount("overlay", target, "overlay", 0, options);
                return null;
            });
        } finally {
            FileTrees.delete(links); // overlayfs resolved them at mount time
        }
    }

    /**
     * Whether overlayfs here takes {@code lowerdir+} through fsconfig: asked once, by making a
     * small overlay that is never attached anywhere (a 6.1 kernel refuses it with EINVAL).
     */
    public static boolean supportsLowerdirPlus() {
        Boolean known = lowerdirPlus;
        if (known == null) {
            known = probe();
            lowerdirPlus = known;
        }
        return known;
    }

    private static boolean probe() {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("jbox-overlay-probe-");
            Files.createDirectory(dir.resolve("a"));
            Files.createDirectory(dir.resolve("b"));
            int fs = Kernel.fsopen("overlay");
            try {
                Kernel.fsconfigString(fs, "lowerdir+", dir.resolve("a").toString());
                Kernel.fsconfigString(fs, "lowerdir+", dir.resolve("b").toString());
                Kernel.fsconfigCreate(fs);
                Kernel.close(Kernel.fsmount(fs)); // detached and closed: it vanishes
                return true;
            } finally {
                Kernel.close(fs);
            }
        } catch (KernelException e) {
            return false;
        } catch (IOException e) {
            throw new JboxException("cannot probe overlayfs: " + e);
        } finally {
            if (dir != null) {
                FileTrees.delete(dir);
            }
        }
    }

    /** An absolute path overlayfs reads as one path: ',' ':' and '\' would split or escape it. */
    private static String checked(Path path) {
        String s = path.toAbsolutePath().toString();
        if (s.indexOf(',') >= 0 || s.indexOf(':') >= 0 || s.indexOf('\\') >= 0) {
            throw new JboxException("cannot use " + s + " in an overlay mount: ',' ':' and '\\' are separators there; "
                    + "use a path without them");
        }
        return s;
    }
}
