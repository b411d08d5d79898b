package dev.jbox.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the real {@code ./jbox} launcher as a separate process, the way a reader does. */
public final class Cli {
    public static final Path REPO = Path.of("").toAbsolutePath();

    public record Result(int exitCode, String stdout, String stderr) {
    }

    private Cli() {
    }

    public static Result jbox(Path storeRoot, String... args) {
        List<String> argv = new ArrayList<>();
        argv.add(REPO.resolve("jbox").toString());
        argv.addAll(List.of(args));
        return run(argv, Map.of("JBOX_ROOT", storeRoot.toString()));
    }

    /** Kills and removes every container of the store: an @AfterEach, so a failed test leaves nothing running. */
    public static void removeAll(Path storeRoot) {
        Result ids = jbox(storeRoot, "ps", "-aq");
        List<String> argv = new ArrayList<>(List.of("rm", "-f"));
        argv.addAll(ids.stdout().lines().filter(l -> !l.isBlank()).toList());
        if (argv.size() > 2) {
            Result r = jbox(storeRoot, argv.toArray(String[]::new));
            if (r.exitCode() != 0) {
                throw new AssertionError("cleanup failed: " + r);
            }
        }
    }

    public static Result run(List<String> argv, Map<String, String> env) {
        try {
            ProcessBuilder pb = new ProcessBuilder(argv).directory(REPO.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            pb.environment().putAll(env);
            Process p = pb.start();
            var err = new java.io.ByteArrayOutputStream();
            Thread pump = new Thread(() -> {
                try {
                    p.getErrorStream().transferTo(err);
                } catch (IOException ignored) {
                    // process gone
                }
            });
            pump.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("timed out: " + argv);
            }
            pump.join();
            return new Result(p.exitValue(), out, err.toString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AssertionError("cannot run " + argv, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
