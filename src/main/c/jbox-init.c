/*
 * jbox-init: the only part of a jbox container that is not Java, because a JVM cannot do it:
 * become pid 1 of a new PID namespace, and stay the parent of a container after the engine has
 * gone. No policy lives here: the engine decides everything and passes it on the command line.
 *
 *   jbox-init [-n] [-r] [-C] [-c CAPS] [-u UID:GID[:GIDS]] [-t TTY] [-R PATH]... [-M PATH]... [-G MOUNT]... -- PROGRAM ARG0 [ARG...]
 *   jbox-init -x [-c CAPS] [-u UID:GID[:GIDS]] [-t TTY] -- PROGRAM ARG0 [ARG...]
 *
 *   fd 3   the "go" pipe: the container starts when the engine writes one byte, and never
 *          starts if the engine closes it first (a failed or killed start)
 *   fd 4   the status file: "pid N" when the container starts, "exit N" or "signal N" when it ends
 *   fd 5   the sync pipe: the shim writes "pid N" there and closes it, so the engine blocks on one
 *          read instead of polling the status file (runc's init pipe plays this part); end of
 *          file without a pid means the shim failed, and its error is on stderr
 *   -n     a new PID namespace, whose pid 1 is the child (without it the child is an ordinary process)
 *   -x     exec mode (jbox exec): no shim, no namespace: drop capabilities and exec; with -w, first
 *          wait for "go" on fd 3, so the engine can put the process in the container's cgroup
 *   -r     stay pid 1 as a tiny init (docker run --init): reap zombies, forward signals
 *   -c     the capabilities to keep, as a hex mask (everything else is dropped)
 *   -t     the terminal (inside the container) to make the controlling one
 *   -u     the user to run PROGRAM as: uid, gid and supplementary gids, as numbers (the engine
 *          resolves names in the image's /etc/passwd and /etc/group); without it, root
 *   -R, -M a path to make read-only, or to hide, once /proc is mounted (e.g. /proc/sys, /proc/kcore)
 *   -C     a new cgroup namespace, made after "go": by then the engine has put pid 1 in the
 *          container's cgroup, which so becomes the root of what the container sees
 *   -G     FSTYPE:TARGET:DATA, a cgroup file system to mount read-only inside that namespace
 *          (e.g. cgroup2:/sys/fs/cgroup: or cgroup:/sys/fs/cgroup/memory:memory); a "tmpfs"
 *          entry holds the others and is made read-only after them
 *
 * Two processes come from it. The shim (this process) stays in the host's PID namespace, makes
 * a new one, forks, waits for its child and writes the status file: the engine's stand-in, so
 * that detached containers need no JVM. The child is pid 1: it mounts /proc for its namespace
 * (the engine has already given it a mount namespace and a root of its own), waits for "go",
 * drops capabilities and execs PROGRAM (or, with -r, forks it and reaps).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define GO_FD 3
#define STATUS_FD 4
#define SYNC_FD 5
#define MAX_PATHS 64

static void die(const char *what) {
    dprintf(2, "jbox-init: %s: %s\n", what, strerror(errno));
    _exit(125);
}

static void report(const char *word, int value) {
    dprintf(STATUS_FD, "%s %d\n", word, value);
}

static int exit_code(int status) {
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

// tag::caps[]
/* The bounding set first: dropping from it needs CAP_SETPCAP, which a new user (-u) no longer has. */
static void drop_bounding_set(uint64_t keep) {
    for (int cap = 0; cap <= 63; cap++) {
        if (!(keep & (1ULL << cap)) && prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0 && errno != EINVAL) {
            die("prctl(PR_CAPBSET_DROP)");
        }
    }
}

static void set_capabilities(uint64_t keep) {
    struct __user_cap_header_struct header = {_LINUX_CAPABILITY_VERSION_3, 0};
    /* effective, permitted, inheritable: the inheritable set stays empty, as Docker's has since
     * CVE-2022-24769, so no file capability can hand a dropped capability back. */
    struct __user_cap_data_struct data[2] = {
        {(uint32_t) keep, (uint32_t) keep, 0},
        {(uint32_t) (keep >> 32), (uint32_t) (keep >> 32), 0},
    };
    if (syscall(SYS_capset, &header, data) != 0) {
        die("capset");
    }
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
        die("prctl(PR_SET_NO_NEW_PRIVS)");
    }
}

static void keep_only_capabilities(uint64_t keep) {
    drop_bounding_set(keep);
    set_capabilities(keep);
}
// end::caps[]

// tag::user[]
/* -u UID:GID[:G1,G2...]: the user the program runs as, taken just before exec while still root.
 * The order matters: setgroups and setgid need CAP_SETGID, which setuid takes away from a
 * non-root user; after setuid nothing can be changed back. The kernel itself clears the
 * permitted and effective capabilities of a process that goes from uid 0 to another uid, and
 * the caller keeps none for it either, as Docker gives a non-root user none. Returns the uid. */
static uid_t become_user(char *spec) {
    char *end;
    uid_t uid = strtoul(spec, &end, 10);
    gid_t gid = 0, groups[MAX_PATHS];
    size_t ngroups = 0;
    if (*end == ':') {
        gid = strtoul(end + 1, &end, 10);
    }
    while (*end == ':' || (*end == ',' && ngroups > 0)) {
        if (ngroups == MAX_PATHS) {
            dprintf(2, "jbox-init: more than %d supplementary groups; the engine must pass fewer\n", MAX_PATHS);
            _exit(125);
        }
        groups[ngroups++] = strtoul(end + 1, &end, 10);
    }
    if (*end) {
        dprintf(2, "jbox-init: bad -u %s (UID:GID[:G1,G2...])\n", spec);
        _exit(125);
    }
    if (setgroups(ngroups, groups) != 0) {
        die("setgroups");
    }
    if (setgid(gid) != 0) {
        die("setgid");
    }
    if (setuid(uid) != 0) {
        die("setuid");
    }
    return uid;
}
// end::user[]

/* -R: make PATH read-only (a bind mount of itself, remounted read-only). -M: hide PATH (an empty
 * read-only tmpfs over a directory, /dev/null over a file). Paths that do not exist are skipped. */
// tag::protect[]
static void protect(const char *path, int hide) {
    struct stat st;
    if (stat(path, &st) != 0) {
        return;
    }
    if (hide && S_ISDIR(st.st_mode)) {
        if (mount("tmpfs", path, "tmpfs", MS_RDONLY, "size=0") != 0) {
            die(path);
        }
    } else if (mount(hide ? "/dev/null" : path, path, NULL, MS_BIND | MS_REC, NULL) != 0
               || (!hide && mount(NULL, path, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_REC, NULL) != 0)) {
        die(path);
    }
}
// end::protect[]

/* -G: mount the container's view of its cgroups; a tmpfs that holds v1 hierarchies goes read-only last. */
// tag::cgroupfs[]
static void mount_cgroup_fs(char **mounts, int n) {
    const char *holder = NULL;
    for (int i = 0; i < n; i++) {
        char *fstype = mounts[i], *target = strchr(fstype, ':'), *data;
        if (!target || !(data = strchr(target + 1, ':'))) {
            dprintf(2, "jbox-init: bad -G %s (FSTYPE:TARGET:DATA)\n", mounts[i]);
            _exit(125);
        }
        *target++ = 0;
        *data++ = 0;
        int tmpfs = strcmp(fstype, "tmpfs") == 0;
        mkdir(target, 0755);
        if (mount(fstype, target, fstype, MS_NOSUID | MS_NODEV | MS_NOEXEC | (tmpfs ? 0 : MS_RDONLY),
                  *data ? data : NULL) != 0) {
            die(target);
        }
        if (tmpfs) {
            holder = target;
        }
    }
    if (holder && mount(NULL, holder, NULL, MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) != 0) {
        die(holder);
    }
}
// end::cgroupfs[]

static void take_terminal(const char *tty) {
    if (setsid() < 0) {
        die("setsid");
    }
    int fd = open(tty, O_RDWR);
    if (fd < 0 || ioctl(fd, TIOCSCTTY, 0) != 0) {
        die(tty);
    }
    for (int i = 0; i < 3; i++) {
        dup2(fd, i);
    }
    if (fd > 2) {
        close(fd);
    }
}

// tag::run[]
static void run(char *program, char **argv, uint64_t caps, char *user) {
    drop_bounding_set(caps);
    uid_t uid = user ? become_user(user) : 0;
    set_capabilities(uid == 0 ? caps : 0);
    execv(program, argv);
    int e = errno;
    dprintf(2, "jbox-init: cannot run %s: %s\n", program, strerror(e));
    _exit(e == ENOENT ? 127 : 126);
}
// end::run[]

// tag::reap[]
/* With -r: pid 1 forwards what it is sent to the program and reaps every orphan. */
static int reap(char *program, char **argv, uint64_t caps, char *user) {
    sigset_t all;
    sigfillset(&all);
    sigprocmask(SIG_BLOCK, &all, NULL);
    pid_t child = fork();
    if (child < 0) {
        die("fork");
    }
    if (child == 0) {
        sigprocmask(SIG_UNBLOCK, &all, NULL);
        run(program, argv, caps, user);
    }
    keep_only_capabilities(0); /* reaping and forwarding signals to its own child need no privilege */
    for (;;) {
        int sig;
        sigwait(&all, &sig);
        if (sig != SIGCHLD) {
            kill(child, sig);
            continue;
        }
        int status;
        pid_t pid;
        while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
            if (pid == child) {
                return exit_code(status);
            }
        }
    }
}
// end::reap[]

int main(int argc, char **argv) {
    int reaper = 0, new_pid_ns = 0, exec_only = 0, new_cgroup_ns = 0, wait_go = 0;
    char *cgroup_fs[MAX_PATHS];
    int ncgroup_fs = 0;
    uint64_t caps = ~0ULL;
    const char *tty = NULL;
    char *user = NULL;
    const char *readonly[MAX_PATHS], *masked[MAX_PATHS];
    int nreadonly = 0, nmasked = 0;
    int opt;
    while ((opt = getopt(argc, argv, "+nrxwCc:t:u:R:M:G:")) != -1) {
        switch (opt) {
        case 'n': new_pid_ns = 1; break;
        case 'r': reaper = 1; break;
        case 'x': exec_only = 1; break;
        case 'w': wait_go = 1; break;
        case 'C': new_cgroup_ns = 1; break;
        case 'G':
            if (ncgroup_fs == MAX_PATHS) {
                dprintf(2, "jbox-init: more than %d cgroup mounts; the engine must pass fewer\n", MAX_PATHS);
                return 125;
            }
            cgroup_fs[ncgroup_fs++] = optarg;
            break;
        case 'c': caps = strtoull(optarg, NULL, 16); break;
        case 't': tty = optarg; break;
        case 'u': user = optarg; break;
        case 'R':
        case 'M':
            /* Dropping a path silently would leave it unprotected: refuse instead. */
            if ((opt == 'R' ? nreadonly : nmasked) == MAX_PATHS) {
                dprintf(2, "jbox-init: more than %d %s paths (at %s); the engine must pass fewer\n",
                        MAX_PATHS, opt == 'R' ? "read-only" : "masked", optarg);
                return 125;
            }
            if (opt == 'R') readonly[nreadonly++] = optarg; else masked[nmasked++] = optarg;
            break;
        default: return 125;
        }
    }
    if (argc - optind < 2) {
        dprintf(2, "usage: jbox-init [-n] [-r] [-x] [-C] [-c CAPS] [-u UID:GID[:GIDS]] [-t TTY] [-R PATH]... [-M PATH]... [-G MOUNT]... -- PROGRAM ARG0 [ARG...]\n");
        return 125;
    }
    char *program = argv[optind];
    char **program_argv = argv + optind + 1;
    if (exec_only) {
        char go;
        if (wait_go && read(GO_FD, &go, 1) != 1) {
            _exit(125); /* the engine gave up on this process */
        }
        if (wait_go) {
            close(GO_FD);
        }
        if (tty) {
            take_terminal(tty);
        }
        run(program, program_argv, caps, user);
    }

    // tag::shim[]
    if (setsid() < 0 && errno != EPERM) { /* the shim outlives the engine's session */
        die("setsid");
    }
    if (new_pid_ns && unshare(CLONE_NEWPID) != 0) {
        die("unshare(CLONE_NEWPID)");
    }
    pid_t init = fork();
    if (init < 0) {
        die("fork");
    }
    // end::shim[]
    if (init == 0) {
        // tag::pid1[]
        close(SYNC_FD); /* only the shim reports; the engine sees end of file when the shim is done */
        /* pid 1 of the new namespace; /proc must be mounted from inside it to show it. */
        if (mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) != 0) {
            die("mount /proc");
        }
        for (int i = 0; i < nmasked; i++) {
            protect(masked[i], 1);
        }
        for (int i = 0; i < nreadonly; i++) {
            protect(readonly[i], 0);
        }
        char go;
        if (read(GO_FD, &go, 1) != 1) {
            _exit(125); /* the engine gave up on this container */
        }
        if (new_cgroup_ns && unshare(CLONE_NEWCGROUP) != 0) {
            die("unshare(CLONE_NEWCGROUP)");
        }
        mount_cgroup_fs(cgroup_fs, ncgroup_fs);
        syscall(SYS_close_range, 3, ~0U, 0);
        if (tty) {
            take_terminal(tty);
        }
        if (reaper) {
            _exit(reap(program, program_argv, caps, user));
        }
        run(program, program_argv, caps, user);
        // end::pid1[]
    }
    // tag::shim-wait[]
    close(GO_FD);
    report("pid", init);
    dprintf(SYNC_FD, "pid %d\n", init);
    close(SYNC_FD);
    int status;
    while (waitpid(init, &status, 0) < 0) {
        if (errno != EINTR) {
            die("waitpid");
        }
    }
    if (WIFEXITED(status)) {
        report("exit", WEXITSTATUS(status));
    } else {
        report("signal", WTERMSIG(status));
    }
    // end::shim-wait[]
    return exit_code(status);
}
