package dev.jbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jbox.kernel.Kernel;
import dev.jbox.network.NetTestSupport;
import dev.jbox.testing.Cli;
import dev.jbox.testing.Leftovers;
import dev.jbox.testing.MachineSnapshot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The leak checks can fail: what is made here shows up as a leak until it is gone, both in the
 * suite's check ({@link MachineSnapshot}) and in each test's ({@link Leftovers}).
 */
class MachineSnapshotIT {
    @TempDir
    Path dir;
    @TempDir
    Path elsewhere;

    @Test
    void seesAMountAndAThreadThatWereNotThereBefore() throws Exception {
        MachineSnapshot before = MachineSnapshot.take();
        Leftovers beforeTest = Leftovers.take();
        Kernel.mount("jbox-test", dir.toString(), "tmpfs", 0, "size=1m");
        var release = new java.util.concurrent.CountDownLatch(1);
        Thread thread = new Thread(() -> {
            try {
                release.await();
            } catch (InterruptedException ignored) {
                // done
            }
        }, "jbox-leak-check-probe");
        thread.start();
        try {
            var leaks = before.leaksIn(MachineSnapshot.take());
            assertThat(leaks).containsKeys("mounts", "engine threads");
            assertThat(leaks.get("mounts")).anyMatch(m -> m.startsWith(dir + " "));
            assertThat(leaks.get("engine threads")).contains("jbox-leak-check-probe");
            assertThat(beforeTest.leftBehindIn(Leftovers.take(), List.of(dir))).anyMatch(l -> l.startsWith("mount " + dir + " "));
        } finally {
            Kernel.umount(dir.toString(), 0);
            release.countDown();
            thread.join();
        }
        assertThat(before.leaksIn(MachineSnapshot.take())).doesNotContainKeys("mounts", "engine threads");
        assertThat(beforeTest.leftBehindIn(Leftovers.take(), List.of(dir))).isEmpty();
    }

    /**
     * A process that pivot_rooted in namespaces of its own, as a chapter-2 container does, and that
     * is nobody's child here, as a detached container is not: its root reads "/", so only its
     * namespaces give it away, and only its mount table ties it to the test that made it.
     */
    @Test
    void seesAPivotedProcessInNamespacesOfItsOwnThatItsRootDoesNotShow() throws Exception {
        Path bin = Files.createDirectories(dir.resolve("rootfs/bin"));
        Files.copy(Path.of("/bin/busybox"), bin.resolve("busybox"));
        Files.createSymbolicLink(bin.resolve("sleep"), Path.of("busybox")); // so its name is "sleep"
        Files.createDirectories(dir.resolve("rootfs/old"));
        MachineSnapshot before = MachineSnapshot.take();
        Leftovers beforeTest = Leftovers.take();
        // The outer shell prints the pid of the pivoted process and exits: init adopts it.
        var started = Cli.run(List.of("sh", "-c", "unshare --mount --uts --ipc --net --propagation private -- sh -c '"
                + "mount --bind \"$1\" \"$1\" && cd \"$1\" && pivot_root . old"
                + " && exec /bin/busybox sh -c \"umount -l /old && exec /bin/sleep 600\"' sh \"$1\""
                + " </dev/null >/dev/null 2>&1 & echo $!", "sh", dir.resolve("rootfs").toString()), Map.of());
        long pid = Long.parseLong(started.stdout().strip());
        String mnt;
        String net;
        try {
            awaitComm(pid, "sleep");
            mnt = Files.readSymbolicLink(Path.of("/proc/" + pid + "/ns/mnt")).toString();
            net = Files.readSymbolicLink(Path.of("/proc/" + pid + "/ns/net")).toString();
            assertThat(Files.readSymbolicLink(Path.of("/proc/" + pid + "/root"))).as("its root, as /proc shows it").hasToString("/");

            var leaks = before.leaksIn(MachineSnapshot.take());
            assertThat(leaks.getOrDefault("processes in another root", Set.of())).as("blind to it")
                    .noneMatch(p -> p.startsWith(pid + " "));
            assertThat(leaks.get("processes in another mount namespace")).contains(pid + " sleep " + mnt);
            assertThat(leaks.get("namespaces held by processes")).contains(mnt, net);

            assertThat(beforeTest.leftBehindIn(Leftovers.take(), List.of(dir)))
                    .anyMatch(l -> l.startsWith("process " + pid + " (sleep) in namespaces the test made: ")
                            && l.contains(mnt) && l.contains(net));
            assertThat(beforeTest.leftBehindIn(Leftovers.take(), List.of(elsewhere)))
                    .as("another test's (another store's) process is not this test's").isEmpty();
        } finally {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            awaitGone(pid);
        }
        var after = before.leaksIn(MachineSnapshot.take());
        assertThat(after.getOrDefault("processes in another mount namespace", Set.of())).noneMatch(p -> p.startsWith(pid + " "));
        assertThat(after.getOrDefault("namespaces held by processes", Set.of())).doesNotContain(mnt, net);
        assertThat(beforeTest.leftBehindIn(Leftovers.take(), List.of(dir))).isEmpty();
    }

    @Test
    void seesAVethWithTheSuitesPrefix() {
        Leftovers beforeTest = Leftovers.take();
        String veth = Cli.NETWORK_PREFIX + "-probe";
        NetTestSupport.sh("ip", "link", "add", veth, "type", "veth", "peer", "name", NetTestSupport.uniqueName());
        try {
            assertThat(beforeTest.leftBehindIn(Leftovers.take(), List.of(dir))).contains("veth " + veth);
        } finally {
            NetTestSupport.sh("ip", "link", "del", veth);
        }
        assertThat(beforeTest.leftBehindIn(Leftovers.take(), List.of(dir))).isEmpty();
    }

    private static void awaitComm(long pid, String comm) throws Exception {
        Path file = Path.of("/proc/" + pid + "/comm");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!(Files.exists(file) && Files.readString(file).strip().equals(comm))) {
            assertThat(System.nanoTime()).as("process " + pid + " never became " + comm).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private static void awaitGone(long pid) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (Files.exists(Path.of("/proc/" + pid)) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }
}
