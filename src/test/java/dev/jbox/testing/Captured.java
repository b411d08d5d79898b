package dev.jbox.testing;

import dev.jbox.kernel.Kernel;
import dev.jbox.kernel.WaitStatus;
import dev.jbox.runtime.Container;
import dev.jbox.runtime.ContainerSpec;
import dev.jbox.runtime.Runtime;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Runs a container in this JVM with its stdout and stderr captured through a pipe. */
public record Captured(WaitStatus status, String output) {
    public static ContainerSpec.Stdio pipeStdio(int[] pipe, int devNull) {
        return new ContainerSpec.Stdio(devNull, pipe[1], pipe[1]);
    }

    public static Captured run(Runtime runtime, java.util.function.Function<ContainerSpec.Stdio, ContainerSpec> spec) {
        int[] pipe = Kernel.pipe();
        int devNull = Kernel.open("/dev/null", Kernel.O_RDONLY | Kernel.O_CLOEXEC, 0);
        Container c;
        try {
            c = runtime.create(spec.apply(pipeStdio(pipe, devNull)));
            c.start();
        } catch (RuntimeException e) {
            Kernel.closeQuietly(pipe[0]);
            throw e;
        } finally {
            Kernel.closeQuietly(pipe[1]);
            Kernel.closeQuietly(devNull);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        try {
            for (int n; (n = Kernel.read(pipe[0], buf)) > 0; ) {
                out.write(buf, 0, n);
            }
        } finally {
            Kernel.closeQuietly(pipe[0]);
        }
        return new Captured(c.waitFor(), out.toString(StandardCharsets.UTF_8));
    }
}
