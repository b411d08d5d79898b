package dev.jbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jbox.kernel.Kernel;
import dev.jbox.testing.MachineSnapshot;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The leak check can fail: a mount and a thread made here show up as leaks until they are gone. */
class MachineSnapshotIT {
    @TempDir
    Path dir;

    @Test
    void seesAMountAndAThreadThatWereNotThereBefore() throws Exception {
        MachineSnapshot before = MachineSnapshot.take();
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
        } finally {
            Kernel.umount(dir.toString(), 0);
            release.countDown();
            thread.join();
        }
        assertThat(before.leaksIn(MachineSnapshot.take())).doesNotContainKeys("mounts", "engine threads");
    }
}
