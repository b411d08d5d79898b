package dev.jbox.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A fresh Debian 12 machine, as far as jbox can tell: the root file system that
 * {@code debootstrap --variant=minbase bookworm} makes (no JDK, Maven, gcc, busybox, iptables,
 * iproute2 or sudo), with a copy of this repository in {@code /root/jbox}. Commands run in it as
 * root, through chroot, with /proc, /sys and /dev of the host; on the host's network, since the
 * first run must reach Debian's mirror and Maven Central like any fresh machine.
 *
 * <p>Everything is mounted inside a private mount namespace ({@code unshare --mount}) that ends
 * with the command: no mount is ever made on the host, so none can be left behind or deleted
 * through (a bind-mounted /dev under a directory being deleted is how such tests wreck a host).
 */
public final class FreshDebian {
    /** debootstrap takes about 2 minutes: its result is kept for the next run on the same machine. */
    static final Path CACHE = Path.of("/var/cache/jbox-test/debian-12-minbase");
    static final String MIRROR = "http://deb.debian.org/debian";
    static final String PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    /** The inside of the chroot: mounts, then a login-like environment with nothing of the caller's. */
    private static final String CHROOT = """
            set -e
            t=$1; shift
            mount --bind "$t" "$t"          # jbox's pivot_root needs the root to be a mount point
            mount -t proc proc "$t/proc"
            mount --rbind /sys "$t/sys"
            mount --rbind /dev "$t/dev"
            exec chroot "$t" /usr/bin/env -i "$@"
            """;

    private final Path root;

    private FreshDebian(Path root) {
        this.root = root;
    }

    /** A fresh copy of the cached root file system in {@code dir}, with this repository in /root/jbox. */
    public static FreshDebian copyInto(Path dir) throws IOException {
        Path base = cached();
        Path root = dir.resolve("root");
        run(Duration.ofMinutes(5), "cp", "-a", base.toString(), root.toString());
        // The cache was made in a temporary directory, which is private (0700); a machine's root
        // directory is not: apt downloads as the user _apt.
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
        // The machine's own network settings, which any fresh machine here would have: where names
        // resolve, and the certificate authorities it trusts beyond Debian's (a TLS-inspecting
        // proxy's, where there is one). They become trusted when the first run installs ca-certificates.
        Files.copy(Path.of("/etc/resolv.conf"), root.resolve("etc/resolv.conf"), StandardCopyOption.REPLACE_EXISTING);
        Path localCas = Path.of("/usr/local/share/ca-certificates");
        if (Files.isDirectory(localCas)) {
            run(Duration.ofMinutes(1), "cp", "-a", localCas + "/.", Files.createDirectories(root.resolve(localCas.toString().substring(1))).toString());
        }
        copyRepository(root.resolve("root/jbox"));
        return new FreshDebian(root);
    }

    public Path root() {
        return root;
    }

    /** {@code sh -c command} in /root/jbox, as root with a login's PATH and HOME and nothing else but {@code env}. */
    public Cli.Result shell(String command, Map<String, String> env, Duration timeout) {
        List<String> argv = new ArrayList<>(List.of("unshare", "--mount", "--propagation", "private", "--",
                "sh", "-c", CHROOT, "sh", root.toString(), "PATH=" + PATH, "HOME=/root"));
        new TreeMap<>(env).forEach((k, v) -> argv.add(k + "=" + v));
        argv.addAll(List.of("/bin/sh", "-c", "cd /root/jbox && " + command));
        return Cli.run(argv, Map.of(), timeout);
    }

    /** A file of this machine (a path relative to its root), or a note that there is none. */
    public String file(String path) {
        try {
            return path + ":\n" + Files.readString(root.resolve(path));
        } catch (IOException e) {
            return "(no " + path + ")";
        }
    }

    /** Whether dpkg in this root file system has {@code pkg} installed. */
    public boolean installed(String pkg) {
        var r = Cli.run(List.of("chroot", root.toString(), "dpkg-query", "-W", "-f=${Status}", pkg), Map.of());
        return r.stdout().equals("install ok installed");
    }

    /** The cached debootstrap result, made now if this machine has none (one at a time; atomically). */
    public static synchronized Path cached() throws IOException {
        if (Files.isDirectory(CACHE)) {
            return CACHE;
        }
        if (!Files.isExecutable(Path.of("/usr/sbin/debootstrap"))) {
            throw new AssertionError("debootstrap is not installed; vm/provision.sh --test installs it");
        }
        Files.createDirectories(CACHE.getParent());
        Path tmp = Files.createTempDirectory(CACHE.getParent(), CACHE.getFileName() + ".");
        try {
            // In a mount namespace of its own: the /proc and /sys debootstrap mounts in the new root vanish
            // with it, even if it is killed half-way.
            run(Duration.ofMinutes(20), "unshare", "--mount", "--propagation", "private", "--",
                    "debootstrap", "--variant=minbase", "bookworm", tmp.toString(), MIRROR);
            // The downloaded packages are installed: a copy per test needs not carry them.
            run(Duration.ofMinutes(1), "sh", "-c", "rm -f \"$1\"/var/cache/apt/archives/*.deb", "sh", tmp.toString());
            Files.move(tmp, CACHE, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            if (!Files.isDirectory(CACHE)) {
                throw e; // another test JVM won the race otherwise
            }
        } finally {
            if (Files.exists(tmp)) {
                run(Duration.ofMinutes(1), "rm", "-rf", "--one-file-system", tmp.toString());
            }
        }
        return CACHE;
    }

    /**
     * The repository as a fresh clone holds it, with this working tree's changes: the files git
     * tracks or would track, not target/ or .git.
     */
    private static void copyRepository(Path to) throws IOException {
        var files = Cli.run(List.of("git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"), Map.of());
        if (files.exitCode() != 0) {
            throw new AssertionError("cannot list the repository's files: " + files);
        }
        for (String name : files.stdout().split("\0")) {
            Path from = Cli.REPO.resolve(name);
            if (name.isEmpty() || !Files.exists(from, LinkOption.NOFOLLOW_LINKS)) {
                continue; // deleted in the working tree
            }
            Path target = to.resolve(name);
            Files.createDirectories(target.getParent());
            Files.copy(from, target, LinkOption.NOFOLLOW_LINKS, StandardCopyOption.COPY_ATTRIBUTES);
        }
    }

    private static void run(Duration timeout, String... argv) {
        var r = Cli.run(List.of(argv), Map.of(), timeout);
        if (r.exitCode() != 0) {
            throw new UncheckedIOException(new IOException(String.join(" ", argv) + " failed: " + r));
        }
    }
}
