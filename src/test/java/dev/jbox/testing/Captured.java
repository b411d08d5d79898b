package dev.jbox.testing;

import dev.jbox.kernel.Kernel;
import dev.jbox.kernel.WaitStatus;
import dev.jbox.runtime.ContainerProcess;
import dev.jbox.runtime.ContainerRuntime;
import dev.jbox.runtime.Launch;
import dev.jbox.spec.ContainerSpec;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;

/** Runs a container in this JVM with its stdout and stderr captured through a pipe. */
public record Captured(WaitStatus status, String output) {
    /**
     * Runs {@code request} through the engine with stdin from /dev/null and stdout and stderr
     * captured; the container is removed afterwards (as with --rm).
     */
    public static Captured run(dev.jbox.engine.Engine engine, dev.jbox.engine.RunRequest.Builder request) {
        int[] pipe = Kernel.pipe();
        int devNull = Kernel.open("/dev/null", Kernel.O_RDONLY | Kernel.O_CLOEXEC, 0);
        dev.jbox.engine.CreatedContainer c;
        try {
            c = engine.create(request.autoRemove(true).stdio(new Launch.Stdio(devNull, pipe[1], pipe[1])).build());
            engine.start(c);
        } catch (RuntimeException e) {
            Kernel.closeQuietly(pipe[0]);
            throw e;
        } finally {
            Kernel.closeQuietly(pipe[1]);
            Kernel.closeQuietly(devNull);
        }
        String output = readAll(pipe[0]);
        WaitStatus status = c.process().waitFor();
        engine.ended(c);
        return new Captured(status, output);
    }

    private static String readAll(int fd) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        try {
            for (int n; (n = Kernel.read(fd, buf)) > 0; ) {
                out.write(buf, 0, n);
            }
        } finally {
            Kernel.closeQuietly(fd);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** {@code stateDir}: where a chapter-2 runtime keeps the container's status (null for chapter 1). */
    public static Captured run(ContainerRuntime runtime, ContainerSpec spec, Path stateDir) {
        int[] pipe = Kernel.pipe();
        int devNull = Kernel.open("/dev/null", Kernel.O_RDONLY | Kernel.O_CLOEXEC, 0);
        ContainerProcess c;
        try {
            c = runtime.create(spec, new Launch(new Launch.Stdio(devNull, pipe[1], pipe[1]), false, stateDir));
            c.start();
        } catch (RuntimeException e) {
            Kernel.closeQuietly(pipe[0]);
            throw e;
        } finally {
            Kernel.closeQuietly(pipe[1]);
            Kernel.closeQuietly(devNull);
        }
        String output = readAll(pipe[0]);
        return new Captured(c.waitFor(), output);
    }
}
