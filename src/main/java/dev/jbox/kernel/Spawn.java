package dev.jbox.kernel;

import com.sun.jna.Memory;
import com.sun.jna.ptr.IntByReference;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts a program with glibc's posix_spawn(3), from the calling thread.
 *
 * <p>Why not {@link ProcessBuilder}: the child must inherit the calling thread's root and
 * namespaces, the JDK's helper process is not inside a container's root, and ProcessBuilder
 * starts reaper threads, which a thread in a new PID namespace cannot create (the book,
 * chapter 2). posix_spawn is a vfork+exec inside libc: it runs in the caller's context and
 * reports a failed exec as its return value, so "not found" and "not executable" come back
 * as errors here instead of as a mysterious exit code.
 */
public final class Spawn {
    private static final short POSIX_SPAWN_SETPGROUP = 0x02;
    private static final short POSIX_SPAWN_SETSIGDEF = 0x04;
    private static final short POSIX_SPAWN_SETSIGMASK = 0x08;
    // glibc's posix_spawn_file_actions_t is 80 bytes and posix_spawnattr_t 336 on 64-bit Linux;
    // a little room to spare costs nothing.
    private static final int FILE_ACTIONS_SIZE = 128;
    private static final int ATTR_SIZE = 512;
    private static final int SIGSET_SIZE = 128;

    private final String path;
    private final List<String> argv;
    private List<String> env = List.of();
    private final List<int[]> dup2s = new ArrayList<>();
    private boolean newProcessGroup;

    private Spawn(String path, List<String> argv) {
        this.path = path;
        this.argv = List.copyOf(argv);
    }

    /** {@code path} is resolved from the calling thread's root; {@code argv[0]} is what the program sees. */
    public static Spawn program(String path, List<String> argv) {
        return new Spawn(path, argv);
    }

    public Spawn env(List<String> keyValues) {
        this.env = List.copyOf(keyValues);
        return this;
    }

    /** Makes {@code fd} of this process be {@code target} in the child; every other descriptor is closed. */
    public Spawn fd(int target, int fd) {
        dup2s.add(new int[] {fd, target});
        return this;
    }

    /** The child leads a process group of its own, so a terminal's Ctrl-C reaches the engine, which forwards it. */
    public Spawn newProcessGroup() {
        this.newProcessGroup = true;
        return this;
    }

    /**
     * Starts the child and returns its pid. Every signal starts at its default disposition and
     * unblocked (the JVM changes both), and every descriptor not given with {@link #fd} is closed:
     * a leaked descriptor is a known way out of a container.
     *
     * @throws SpawnException carrying the errno when the program cannot be started
     */
    public int start() {
        LibC c = Kernel.libc();
        Memory actions = new Memory(FILE_ACTIONS_SIZE);
        Memory attr = new Memory(ATTR_SIZE);
        Memory sigset = new Memory(SIGSET_SIZE);
        check(c.posix_spawn_file_actions_init(actions), "posix_spawn_file_actions_init");
        check(c.posix_spawnattr_init(attr), "posix_spawnattr_init");
        try {
            // tag::file-actions[]
            // Two steps, so that no source descriptor is overwritten before it is copied: first
            // every source to a fresh number above all of them, then each to its target.
            int spare = 3;
            for (int[] d : dup2s) {
                spare = Math.max(spare, Math.max(d[0], d[1]) + 1);
            }
            int maxTarget = 2;
            for (int i = 0; i < dup2s.size(); i++) {
                check(c.posix_spawn_file_actions_adddup2(actions, dup2s.get(i)[0], spare + i), "posix_spawn_file_actions_adddup2");
            }
            for (int i = 0; i < dup2s.size(); i++) {
                int target = dup2s.get(i)[1];
                check(c.posix_spawn_file_actions_adddup2(actions, spare + i, target),
                        "posix_spawn_file_actions_adddup2(" + dup2s.get(i)[0] + " -> " + target + ")");
                maxTarget = Math.max(maxTarget, target);
            }
            check(c.posix_spawn_file_actions_addclosefrom_np(actions, maxTarget + 1),
                    "posix_spawn_file_actions_addclosefrom_np(" + (maxTarget + 1) + ")");
            // end::file-actions[]
            short flags = POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK;
            if (newProcessGroup) {
                flags |= POSIX_SPAWN_SETPGROUP;
                check(c.posix_spawnattr_setpgroup(attr, 0), "posix_spawnattr_setpgroup(0)");
            }
            check(c.posix_spawnattr_setflags(attr, flags), "posix_spawnattr_setflags");
            // tag::signals[]
            c.sigfillset(sigset);
            check(c.posix_spawnattr_setsigdefault(attr, sigset), "posix_spawnattr_setsigdefault");
            c.sigemptyset(sigset);
            check(c.posix_spawnattr_setsigmask(attr, sigset), "posix_spawnattr_setsigmask");
            // end::signals[]

            IntByReference pid = new IntByReference();
            String[] args = argv.toArray(new String[argv.size() + 1]);
            String[] envp = env.toArray(new String[env.size() + 1]);
            int error = c.posix_spawn(pid, path, actions, attr, args, envp);
            if (error != 0) {
                throw new SpawnException(path, error);
            }
            return pid.getValue();
        } finally {
            c.posix_spawn_file_actions_destroy(actions);
            c.posix_spawnattr_destroy(attr);
        }
    }

    private static void check(int error, String call) {
        if (error != 0) {
            throw new KernelException(call, error);
        }
    }

    /** The program could not be started: errno says why (ENOENT, EACCES, ENOEXEC...). */
    public static final class SpawnException extends KernelException {
        SpawnException(String path, int errno) {
            super("posix_spawn(" + Kernel.quote(path) + ")", errno);
        }
    }
}
