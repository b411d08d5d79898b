package dev.jbox.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jbox.testing.ChapterTest;
import dev.jbox.testing.Cli;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jbox run -it} on a real terminal: script(1) gives the launcher a pseudo-terminal, and
 * this test types into it as a user would, Ctrl-C included.
 */
class TerminalIT {
    @TempDir
    Path store;

    @AfterEach
    void cleanUp() {
        Cli.removeAll(store);
    }

    @ChapterTest(since = 1)
    void anInteractiveShellWhereCtrlCReachesTheContainerNotTheEngine(int chapter) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("script", "-q", "-e", "-c", "./jbox run --chapter " + chapter + " -it busybox sh", "/dev/null")
                .directory(Cli.REPO.toFile()).redirectErrorStream(true);
        pb.environment().putAll(Cli.environment(store));
        pb.environment().put("TERM", "dumb");
        Process script = pb.start();
        ByteArrayOutputStream screen = new ByteArrayOutputStream();
        Thread reader = new Thread(() -> {
            try {
                script.getInputStream().transferTo(screen);
            } catch (IOException ignored) {
                // terminal closed
            }
        });
        reader.start();
        try {
            OutputStream keyboard = script.getOutputStream();
            type(keyboard, "echo $((6*7))\n");
            waitFor(screen, "42\r\n");
            type(keyboard, "[ -t 0 ] && echo on a terminal; sleep 60\n");
            waitForProcess(script, "sleep");
            type(keyboard, "\u0003"); // Ctrl-C: the terminal signals its foreground process group
            type(keyboard, "echo status $?\n");
            waitFor(screen, "status 130");
            type(keyboard, "exit 5\n");
            assertThat(script.waitFor(30, TimeUnit.SECONDS)).as(text(screen)).isTrue();
            assertThat(script.exitValue()).as(text(screen)).isEqualTo(5);
            assertThat(text(screen)).contains("on a terminal\r\n");
        } finally {
            script.descendants().forEach(ProcessHandle::destroyForcibly);
            script.destroyForcibly();
            script.waitFor(10, TimeUnit.SECONDS);
            reader.join(5000);
        }
    }

    private static void type(OutputStream keyboard, String keys) throws IOException {
        keyboard.write(keys.getBytes(StandardCharsets.UTF_8));
        keyboard.flush();
    }

    private static String text(ByteArrayOutputStream screen) {
        return screen.toString(StandardCharsets.UTF_8);
    }

    private static void waitFor(ByteArrayOutputStream screen, String text) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!text(screen).contains(text)) {
            assertThat(System.nanoTime()).as("waiting for '" + text + "'; the terminal shows:\n" + text(screen))
                    .isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private static void waitForProcess(Process root, String name) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (root.descendants().noneMatch(h -> cmdline(h.pid()).startsWith(name))) {
            assertThat(System.nanoTime()).as("waiting for " + name + " to start").isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private static String cmdline(long pid) {
        try {
            return Files.readString(Path.of("/proc/" + pid + "/cmdline"));
        } catch (IOException e) {
            return "";
        }
    }
}
