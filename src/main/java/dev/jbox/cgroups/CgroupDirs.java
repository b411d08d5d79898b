package dev.jbox.cgroups;

import dev.jbox.JboxException;
import dev.jbox.kernel.Kernel;
import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The directory work both cgroup versions share: a cgroup is a directory, made with mkdir
 * (the kernel fills it with files), joined by writing a pid to its cgroup.procs, and removed
 * with rmdir once no process is left in it.
 */
final class CgroupDirs {
    /** How long to wait for the kernel to freeze a cgroup or end its processes. */
    static final long WAIT_NANOS = 5_000_000_000L;
    /** Freezing is only a help while killing: a task waiting in the OOM handler never freezes. */
    static final long FREEZE_BEFORE_KILL_NANOS = 500_000_000L;

    private CgroupDirs() {
    }

    /**
     * {@code parent/name} as a path inside a hierarchy, e.g. {@code jbox/3f2a}. A leading slash
     * is dropped: every parent counts from the root of the hierarchy.
     */
    static String relative(String parent, String name) {
        if (name.isEmpty() || name.contains("/") || name.equals(".") || name.equals("..")) {
            throw new JboxException("a cgroup name must be one path component: '" + name + "'");
        }
        String p = normalParent(parent);
        return p.isEmpty() ? name : p + "/" + name;
    }

    /** {@code /batch//low/} as {@code batch/low}; refuses {@code ..}. */
    static String normalParent(String parent) {
        List<String> parts = new ArrayList<>();
        for (String part : parent.split("/")) {
            if (part.equals("..")) {
                throw new JboxException("--cgroup-parent must not contain '..': " + parent);
            }
            if (!part.isEmpty() && !part.equals(".")) {
                parts.add(part);
            }
        }
        return String.join("/", parts);
    }

    /**
     * Makes {@code root/relative} and any missing directory above it, calling {@code beforeChild}
     * with each directory before a child is made in it (cgroup v2 enables controllers there).
     * Adds the directories it made to {@code made}, outermost first, so that a failure, here or
     * later, can remove just those.
     */
    static void make(Path root, String relative, Consumer<Path> beforeChild, List<Path> made) {
        Path dir = root;
        for (String part : relative.split("/")) {
            beforeChild.accept(dir);
            dir = dir.resolve(part);
            try {
                Files.createDirectory(dir);
                made.add(dir);
            } catch (FileAlreadyExistsException e) {
                // a parent shared with other containers, or a cgroup left by a killed engine
            } catch (IOException e) {
                throw new CgroupException("cannot make cgroup " + dir + ": " + e.getMessage()
                        + "; jbox must run as root with a writable /sys/fs/cgroup", 0);
            }
        }
    }

    /** Removes {@code dirs} innermost first, ignoring failures: the clean-up after a failed create. */
    static void removeQuietly(List<Path> dirs) {
        for (int i = dirs.size() - 1; i >= 0; i--) {
            try {
                Files.deleteIfExists(dirs.get(i));
            } catch (IOException e) {
                // another container made a cgroup in it meanwhile: it stays for that one
            }
        }
    }

    /** Writes {@code pid} to the cgroup.procs of every directory. */
    static void join(Collection<Path> dirs, int pid) {
        for (Path dir : dirs) {
            CgroupFile.write(dir.resolve("cgroup.procs"), Integer.toString(pid), "the process " + pid);
        }
    }

    /** The pids listed in the cgroup.procs of any of {@code dirs}. */
    static Set<Integer> pids(Collection<Path> dirs) {
        Set<Integer> pids = new TreeSet<>();
        for (Path dir : dirs) {
            String procs = CgroupFile.read(dir.resolve("cgroup.procs"));
            if (procs != null && !procs.isEmpty()) {
                procs.lines().map(Integer::valueOf).forEach(pids::add);
            }
        }
        return pids;
    }

    /**
     * SIGKILLs every process in {@code dirs} and waits until none is listed any more. They are
     * frozen first if they can be, so none can fork while its siblings are killed; a cgroup that
     * does not freeze in time (a task waiting in the OOM handler with the OOM killer off) is
     * killed all the same, round after round.
     */
    static void killAll(Collection<Path> dirs, Runnable freeze, Runnable thaw) {
        if (pids(dirs).isEmpty()) {
            return;
        }
        try {
            freeze.run();
        } catch (CgroupException notFrozen) {
            // killed without the freezer's help, below
        }
        try {
            pids(dirs).forEach(pid -> Kernel.kill(pid, 9));
        } finally {
            thaw.run(); // SIGKILL is delivered only once the process runs again
        }
        waitUntil(() -> {
            Set<Integer> left = pids(dirs);
            left.forEach(pid -> Kernel.kill(pid, 9)); // one forked before the freeze took hold
            return left.isEmpty();
        }, "the processes of cgroup " + dirs.iterator().next() + " to end after SIGKILL");
    }

    /** Removes each directory (innermost first); one already gone is fine. */
    static void remove(List<Path> dirs) {
        for (int i = dirs.size() - 1; i >= 0; i--) {
            Path dir = dirs.get(i);
            try {
                Files.deleteIfExists(dir);
            } catch (DirectoryNotEmptyException e) {
                throw new CgroupException("cannot remove cgroup " + dir + ": it holds other cgroups " + children(dir)
                        + "; remove those first", 0);
            } catch (IOException e) {
                throw new CgroupException("cannot remove cgroup " + dir + ": " + e.getMessage()
                        + " (processes " + pids(List.of(dir)) + " are still in it)", 0);
            }
        }
    }

    /** The names of the cgroups under {@code parent} in any of {@code roots}. */
    static Set<String> children(List<Path> roots, String parent) {
        Set<String> names = new TreeSet<>();
        for (Path root : roots) {
            names.addAll(children(root.resolve(normalParent(parent))));
        }
        return names;
    }

    /** Removes {@code parent} from every hierarchy if it holds no cgroup any more; never the root itself. */
    static void removeParent(List<Path> roots, String parent) {
        String p = normalParent(parent);
        if (p.isEmpty()) {
            throw new JboxException("will not remove the root cgroup: name a parent such as jbox");
        }
        for (Path root : roots) {
            try {
                Files.deleteIfExists(root.resolve(p));
            } catch (IOException e) {
                // still holds a cgroup jbox did not make, or one of another engine: leave it
            }
        }
    }

    private static Set<String> children(Path dir) {
        Set<String> names = new TreeSet<>();
        try (Stream<Path> list = Files.list(dir)) {
            list.filter(Files::isDirectory).forEach(d -> names.add(d.getFileName().toString()));
        } catch (NoSuchFileException e) {
            // no such parent in this hierarchy
        } catch (IOException e) {
            throw new CgroupException("cannot list cgroup " + dir + ": " + e.getMessage(), 0);
        }
        return names;
    }

    /**
     * Waits for a freeze asked of {@code dir} to take hold; if it does not in time, lets the
     * processes run again (no cgroup is left half-frozen) and says why it may have failed.
     */
    static void frozenOrThawed(java.util.function.BooleanSupplier frozen, Path dir, long nanos, Runnable thaw) {
        try {
            waitUntil(frozen, "cgroup " + dir + " to freeze", nanos);
        } catch (CgroupException e) {
            thaw.run();
            throw new CgroupException(e.getMessage() + "; a process that waits in the kernel (for memory, with the OOM "
                    + "killer off) cannot freeze; the cgroup runs on, unfrozen", 0);
        }
    }

    /** Polls {@code done} every few milliseconds for up to five seconds; fails naming {@code what}. */
    static void waitUntil(java.util.function.BooleanSupplier done, String what) {
        waitUntil(done, what, WAIT_NANOS);
    }

    static void waitUntil(java.util.function.BooleanSupplier done, String what, long nanos) {
        long deadline = System.nanoTime() + nanos;
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new CgroupException(String.format("gave up waiting for %s after %.1f s", what, nanos / 1e9), 0);
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CgroupException("interrupted while waiting for " + what, 0);
            }
        }
    }
}
