package dev.jbox.namespaces;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jbox.testing.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a chapter-2 container sees, checked from inside it, and what the host keeps. */
class IsolationIT {
    @TempDir
    Path store;

    @AfterEach
    void cleanUp() {
        Cli.removeAll(store);
    }

    private String inside(String script, String... options) {
        List<String> args = new java.util.ArrayList<>(List.of("run", "--rm"));
        args.addAll(List.of(options));
        args.addAll(List.of("busybox", "sh", "-c", script));
        Cli.Result r = Cli.jbox(store, args.toArray(String[]::new));
        assertThat(r.exitCode()).as(r.toString()).isZero();
        return r.stdout();
    }

    @Test
    void theCommandIsPid1AndSeesOnlyItsOwnProcesses() {
        assertThat(inside("echo $$")).isEqualTo("1\n");
        assertThat(inside("ps -o pid,comm; true")).isEqualTo("PID   COMMAND\n    1 sh\n    2 ps\n");
        assertThat(inside("readlink /proc/self/ns/pid")).isNotEqualTo(readlink("/proc/self/ns/pid") + "\n");
    }

    @Test
    void theHostnameIsTheNameAndTheContainerCannotChangeTheHosts() throws Exception {
        String host = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
        assertThat(inside("hostname", "--name", "web1")).isEqualTo("web1\n");
        assertThat(inside("hostname", "--hostname", "other")).isEqualTo("other\n");
        assertThat(inside("hostname evil 2>&1; echo $?")).contains("not permitted").endsWith("1\n");
        assertThat(Files.readString(Path.of("/proc/sys/kernel/hostname")).strip()).isEqualTo(host);
    }

    @Test
    void theRootIsPivotedPrivateAndInvisibleFromTheHost() throws Exception {
        String mounts = inside("cat /proc/self/mountinfo");
        assertThat(mounts.lines().map(l -> l.split(" ")[4]))
                .contains("/", "/proc", "/sys", "/dev", "/dev/pts", "/dev/shm").doesNotContain("/host", "/boot");
        assertThat(mounts.lines().filter(l -> l.contains(" shared:"))).as("propagation to the host").isEmpty();
        String hostMounts = Files.readString(Path.of("/proc/self/mountinfo"));
        assertThat(hostMounts).doesNotContain(store.toString());
        // The old root is gone: no path inside leads to the host's files.
        assertThat(inside("ls /proc/1/root/ | tr '\\n' ' '")).doesNotContain("lib64").contains("bin");
    }

    @Test
    void aMinimalDevAReadOnlySysAndOnlyLoopback() {
        assertThat(inside("ls /dev | tr '\\n' ' '")).isEqualTo("fd full null ptmx pts random shm stderr stdin stdout tty urandom zero ");
        assertThat(inside("echo x > /dev/null && head -c 4 /dev/zero | wc -c && touch /sys/x 2>&1; true")).contains("4\n").contains("Read-only file system");
        assertThat(inside("ip -o link | cut -d' ' -f2,3", "--network", "none")).isEqualTo("lo: <LOOPBACK,UP,LOWER_UP>\n");
        assertThat(inside("ping -c 1 -W 1 127.0.0.1 >/dev/null && echo loopback works")).isEqualTo("loopback works\n");
    }

    @Test
    void noDescriptorOfTheEngineLeaksInAndTheHostsInitBinaryIsReadOnly() {
        // ls runs as pid 1 (sh is not involved); descriptor 3 is the directory ls itself opened.
        Cli.Result r = Cli.jbox(store, "run", "--rm", "busybox", "ls", "/proc/self/fd");
        assertThat(r.stdout()).isEqualTo("0\n1\n2\n3\n");
        assertThat(inside("echo x 2>&1 > /dev/.jbox-init; true")).contains("Read-only file system");
    }

    @Test
    void rootInTheContainerCannotMountLoadModulesOrSetTheClock() {
        String out = inside("mount -t tmpfs none /tmp 2>&1; echo 'x' > /tmp/m.ko; insmod /tmp/m.ko 2>&1 && echo loaded;"
                + " date -s 2000-01-01 2>&1 | grep -o \"can't set date.*\";"
                + " grep -E 'CapInh|CapEff|CapBnd|NoNewPrivs' /proc/self/status;"
                + " { echo 1 > /proc/sys/kernel/printk_ratelimit; } 2>&1; true");
        assertThat(out).contains("mount: permission denied").contains("can't set date: Operation not permitted").doesNotContain("loaded");
        // Docker's default set less CAP_MKNOD (no device cgroup yet): no CAP_SYS_ADMIN (21), CAP_SYS_MODULE (16)
        // or CAP_SYS_TIME (25), not even in the bounding set, so no later exec can get them back. (This machine's
        // kernel has no module support at all, so insmod fails here with ENOSYS before the capability check;
        // the bits are what protect a lab VM.)
        assertThat(out).contains("CapInh:\t0000000000000000").contains("CapEff:\t00000000a00425fb")
                .contains("CapBnd:\t00000000a00425fb").contains("NoNewPrivs:\t1");
        assertThat(0xa00425fbL & (1L << 21 | 1L << 16 | 1L << 25 | 1L << 27)).isZero();
        // Kernel settings are the host's: /proc/sys is read-only, as in Docker.
        assertThat(out).contains("/proc/sys/kernel/printk_ratelimit: Read-only file system");
        // With --init, pid 1 is jbox-init, and it keeps no capability at all.
        assertThat(inside("grep CapEff /proc/1/status", "--init")).isEqualTo("CapEff:\t0000000000000000\n");
    }

    @Test
    void eachNamespaceCanBeLeftOutForTheLab() {
        String hostNet = readlink("/proc/self/ns/net");
        assertThat(inside("readlink /proc/self/ns/net", "--namespaces", "pid,uts,ipc,cgroup")).isEqualTo(hostNet + "\n");
        assertThat(inside("echo $$", "--namespaces", "uts")).isNotEqualTo("1\n");
    }

    @Test
    void theChrootEscapeOfChapterOneNoLongerReachesTheHost() throws Exception {
        Path rootfs = Files.createDirectories(store.resolve("jail/bin"));
        Files.copy(Path.of("/bin/busybox"), rootfs.resolve("busybox"));
        Files.createSymbolicLink(rootfs.resolve("sh"), Path.of("busybox"));
        Path secret = Files.writeString(Files.createTempFile(store, "secret", ""), "only the host has this");
        var cc = Cli.run(List.of("gcc", "-static", "-o", rootfs.resolve("jail-escape").toString(),
                Cli.REPO.resolve("chapters/01-chroot/jail-escape.c").toString()), Map.of());
        assertThat(cc.exitCode()).as(cc.stderr()).isZero();
        String jail = rootfs.getParent().toString();
        var chapter1 = Cli.jbox(store, "run", "--chapter", "1", "--rootfs", jail, "jail-escape", "/bin/cat", secret.toString());
        assertThat(chapter1.stdout()).as("chapter 1: the escape works").isEqualTo("only the host has this");
        var chapter2 = Cli.jbox(store, "run", "--rm", "--rootfs", jail, "jail-escape", "/bin/busybox", "cat", secret.toString());
        assertThat(chapter2.stdout()).as("chapter 2: the escape lands in the container's own root").isEmpty();
        assertThat(chapter2.stderr()).contains("No such file or directory");
    }

    private static String readlink(String path) {
        try {
            return Files.readSymbolicLink(Path.of(path)).toString();
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
