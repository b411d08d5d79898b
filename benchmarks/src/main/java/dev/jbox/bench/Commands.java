package dev.jbox.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Runs the host tools the benchmarks lean on (apt-get, dpkg-deb, hyperfine, qemu) and reads their output. */
public final class Commands {
    private Commands() {
    }

    /** Runs {@code command} in {@code dir} and returns its standard output; fails with its error output. */
    public static String output(Path dir, List<String> command) {
        return output(dir, null, command);
    }

    /** The same in an environment of its own ({@code null}: this process's). */
    public static String output(java.util.Map<String, String> environment, List<String> command) {
        return output(null, environment, command);
    }

    private static String output(Path dir, java.util.Map<String, String> environment, List<String> command) {
        try {
            Path err = Files.createTempFile("jbox-bench-", ".err");
            try {
                ProcessBuilder pb = new ProcessBuilder(command).directory(dir == null ? null : dir.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                        .redirectError(err.toFile());
                if (environment != null) {
                    pb.environment().clear();
                    pb.environment().putAll(environment);
                }
                Process p = pb.start();
                String out;
                try (InputStream in = p.getInputStream()) {
                    out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
                int code = p.waitFor();
                if (code != 0) {
                    throw new BenchException("'" + String.join(" ", command) + "' exited with " + code + ": "
                            + Files.readString(err).strip().replace('\n', ' '));
                }
                return out;
            } finally {
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new BenchException("cannot run '" + String.join(" ", command) + "': " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchException("interrupted while running '" + String.join(" ", command) + "'");
        }
    }

    public static String output(List<String> command) {
        return output((Path) null, command);
    }

    /** The first line {@code command} prints, or {@code fallback} if it cannot run (for labels only). */
    public static String firstLineOr(String fallback, List<String> command) {
        try {
            String out = output(command).strip();
            return out.isEmpty() ? fallback : out.lines().findFirst().orElse(fallback);
        } catch (BenchException e) {
            return fallback;
        }
    }

    /** Whether {@code program} is an executable somewhere on PATH. */
    public static boolean onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }
}
