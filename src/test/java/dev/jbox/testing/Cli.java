package dev.jbox.testing;

import dev.jbox.network.NetTestSupport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real {@code ./jbox} launcher as a separate process, the way a reader does, with a
 * store of the test's own and network names of the suite's own: bridges, veths and iptables
 * chains start with {@link #NETWORK_PREFIX} (never a reader's jbox0 or JBOX chains) and the
 * default network has a /24 of 10.214.0.0/16 that none of the host's routes uses.
 */
public final class Cli {
    public static final Path REPO = Path.of("").toAbsolutePath();
    /** "jboxt" and three random hex digits: "jbox" in it, so the leak check's iptables filter sees it. */
    public static final String NETWORK_PREFIX = "jboxt" + String.format("%03x", new java.security.SecureRandom().nextInt(0x1000));
    public static final String DEFAULT_SUBNET = NetTestSupport.freeSubnet("10.214").toString();
    /** Set for every process {@link #run} starts, so a jbox started through a shell gets them too. */
    private static final Map<String, String> NETWORK_NAMES = Map.of("JBOX_NETWORK_PREFIX", NETWORK_PREFIX,
            "JBOX_SUBNET", DEFAULT_SUBNET);

    public record Result(int exitCode, String stdout, String stderr) {
    }

    private Cli() {
    }

    public static Result jbox(Path storeRoot, String... args) {
        List<String> argv = new ArrayList<>();
        argv.add(REPO.resolve("jbox").toString());
        argv.addAll(List.of(args));
        return run(argv, environment(storeRoot));
    }

    /** What every jbox command of the tests runs with: the store, and the suite's network names. */
    public static Map<String, String> environment(Path storeRoot) {
        Map<String, String> env = new java.util.HashMap<>(NETWORK_NAMES);
        env.put("JBOX_ROOT", storeRoot.toString());
        return env;
    }

    /**
     * Kills and removes every container and network of the store ({@code jbox system reset}): an
     * {@code @AfterEach}, so a failed test leaves nothing running, no bridge and no iptables rule.
     */
    public static void removeAll(Path storeRoot) {
        Result r = jbox(storeRoot, "system", "reset");
        if (r.exitCode() != 0) {
            throw new AssertionError("cleanup failed: " + r);
        }
    }

    /** {@link #jbox}, failing the test unless it exits 0. */
    public static Result ok(Path storeRoot, String... args) {
        Result r = jbox(storeRoot, args);
        org.assertj.core.api.Assertions.assertThat(r.exitCode()).as("jbox " + String.join(" ", args) + " -> " + r).isZero();
        return r;
    }

    /** The engine's way to fail: exit 125 and one line "jbox: ..." holding {@code fragment}. */
    public static void assertOneLineError(Result r, String fragment) {
        org.assertj.core.api.Assertions.assertThat(r.exitCode()).as(r.toString()).isEqualTo(125);
        org.assertj.core.api.Assertions.assertThat(r.stderr().strip()).startsWith("jbox: ").contains(fragment)
                .doesNotContain("\n");
    }

    public static Result run(List<String> argv, Map<String, String> env) {
        return run(argv, env, java.time.Duration.ofSeconds(120));
    }

    public static Result run(List<String> argv, Map<String, String> env, java.time.Duration timeout) {
        try {
            ProcessBuilder pb = new ProcessBuilder(argv).directory(REPO.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            pb.environment().putAll(NETWORK_NAMES);
            pb.environment().putAll(env);
            Process p = pb.start();
            var out = new java.io.ByteArrayOutputStream();
            var err = new java.io.ByteArrayOutputStream();
            // Both streams are read by threads of their own, so the timeout holds even when the
            // command never closes its output.
            List<Thread> pumps = List.of(pump(p.getInputStream(), out), pump(p.getErrorStream(), err));
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("timed out after " + timeout + ": " + argv + "\nprinted: " + out + err);
            }
            for (Thread t : pumps) {
                t.join();
            }
            return new Result(p.exitValue(), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AssertionError("cannot run " + argv, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static Thread pump(java.io.InputStream from, java.io.OutputStream to) {
        Thread t = new Thread(() -> {
            try {
                from.transferTo(to);
            } catch (IOException ignored) {
                // the process is gone
            }
        });
        t.start();
        return t;
    }
}
