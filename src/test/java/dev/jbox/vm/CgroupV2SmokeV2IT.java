package dev.jbox.vm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jbox.testing.PureCgroupV2;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The kernel's cgroup v2 as the cgroup tests expect it, with no jbox code in between: the proof
 * that the guest of {@link CgroupV2GuestIT} is a pure v2 machine whose limits hold.
 */
class CgroupV2SmokeV2IT {
    private static final long LIMIT = 32L << 20;
    /** What the process tries to hold: three times its limit. */
    private static final long WANTED = 3 * LIMIT;
    private Path cgroup;

    @BeforeEach
    void pureCgroupV2() {
        PureCgroupV2.assume();
    }

    @Test
    void aProcessOverItsMemoryMaxIsOomKilled() throws IOException, InterruptedException {
        Path root = PureCgroupV2.ROOT;
        assertThat(Files.readString(root.resolve("cgroup.controllers")).strip().split(" "))
                .as("the controllers of " + root).contains("memory", "pids");
        Files.writeString(root.resolve("cgroup.subtree_control"), "+memory +pids");
        cgroup = Files.createDirectory(root.resolve("jbox-smoke-" + ProcessHandle.current().pid()));
        Files.writeString(cgroup.resolve("memory.max"), Long.toString(LIMIT));
        if (Files.exists(cgroup.resolve("memory.swap.max"))) {
            Files.writeString(cgroup.resolve("memory.swap.max"), "0"); // a machine with swap would swap instead
        }

        // The shell joins the cgroup, then holds WANTED bytes of output in a variable.
        Process p = new ProcessBuilder("/bin/sh", "-c", "echo $$ > " + cgroup.resolve("cgroup.procs")
                + " && x=$(yes | head -c " + WANTED + ") && echo survived").redirectErrorStream(true).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        String events = Files.readString(cgroup.resolve("memory.events"));
        assertThat(events).as("memory.events after asking for %d MiB under memory.max %d MiB", WANTED >> 20, LIMIT >> 20)
                .containsPattern("(?m)^oom_kill [1-9]");
        assertThat(p.exitValue()).as("the shell's exit (128 + SIGKILL); it printed: " + output).isEqualTo(137);
        Path peak = cgroup.resolve("memory.peak"); // Linux 5.19+
        if (Files.exists(peak)) {
            assertThat(Long.parseLong(Files.readString(peak).strip())).as("memory.peak").isLessThanOrEqualTo(LIMIT);
        }
    }

    @AfterEach
    void removeTheCgroup() throws IOException, InterruptedException {
        if (cgroup == null) {
            return;
        }
        Files.writeString(cgroup.resolve("cgroup.kill"), "1"); // whatever is left in it (Linux 5.14+)
        for (int i = 0; i < 100 && Files.readString(cgroup.resolve("cgroup.events")).contains("populated 1"); i++) {
            Thread.sleep(50);
        }
        Files.delete(cgroup); // rmdir: fails if a process is still in it
        assertThat(cgroup).doesNotExist();
    }
}
