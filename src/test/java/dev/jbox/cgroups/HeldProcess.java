package dev.jbox.cgroups;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * A busybox shell script for the tests that waits for a line on its input before it starts, so
 * it can be moved into a cgroup first: the tests' stand-in for the init's "go" gate. Runs from the
 * test thread with ProcessBuilder, which is fine in tests (never on a container thread).
 */
final class HeldProcess implements AutoCloseable {
    private final Process process;

    HeldProcess(String script) {
        try {
            process = new ProcessBuilder("/bin/busybox", "sh", "-c", "read go; " + script)
                    .redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError("cannot start /bin/busybox: " + e.getMessage(), e);
        }
    }

    int pid() {
        return (int) process.pid();
    }

    /** Lets the script run. */
    HeldProcess go() {
        try {
            OutputStream in = process.getOutputStream();
            in.write("go\n".getBytes(StandardCharsets.US_ASCII));
            in.flush();
        } catch (IOException e) {
            throw new AssertionError("the held process is gone: " + e.getMessage(), e);
        }
        return this;
    }

    /** Waits for the script to end; its exit status, 128+N if signal N killed it. */
    int waitFor(int seconds) {
        try {
            if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                throw new AssertionError("the script did not end within " + seconds + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        return process.exitValue();
    }

    /** Everything it wrote to stdout and stderr; call after it ended (children must not keep them open). */
    String output() {
        try {
            return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
