package dev.jbox.lab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs every command of a walk-through in one bash session, as a reader types them into one
 * terminal (so variables set by one command are seen by the next), with stderr merged into
 * stdout, and returns what each command printed and its exit status. The tests run the chapters'
 * walk-throughs with it, and {@code jbox lab check} the exercises' checks. It starts bash with
 * ProcessBuilder, so call it from an ordinary thread, never from a container thread.
 */
public final class WalkthroughRunner {
    private static final String MARK = "@@jbox-walkthrough-step-end";
    private static final Pattern END = Pattern.compile("\n" + MARK + " (\\d+)@@\n");

    /**
     * What one command printed and its exit status; {@link #UNFINISHED} if the session ended
     * during it (a command ran {@code exit}, say), in which case no later step has a result.
     */
    public record Result(Walkthrough.Step step, List<String> output, int status) {
        public static final int UNFINISHED = -1;

        public boolean passed() {
            return status == 0 && Walkthrough.matches(step.expected(), output);
        }
    }

    /** The session did not end in time; it has been killed with everything it started. */
    public static final class TimedOut extends RuntimeException {
        private final String output;

        TimedOut(long seconds, String output) {
            super("the session did not end within " + seconds + " s");
            this.output = output;
        }

        public String output() {
            return output;
        }
    }

    /**
     * Starts the session in a network namespace of its own, with loopback up, standing in for the
     * host's: the bridges, iptables rules and ip_forward its containers make vanish with it, and a
     * reader's own jbox0 is never touched.
     */
    public static final List<String> IN_PRIVATE_NETWORK = List.of("unshare", "--net", "--", "sh", "-c",
            "ip link set lo up && exec \"$@\"", "private-network");

    private WalkthroughRunner() {
    }

    public static List<Result> run(Walkthrough walkthrough, Path repo, Map<String, String> env, long timeoutSeconds)
            throws IOException, InterruptedException {
        return run(walkthrough, repo, env, timeoutSeconds, List.of());
    }

    /** The same, with the session's bash started by {@code launcher} (e.g. a command that enters a namespace). */
    public static List<Result> run(Walkthrough walkthrough, Path repo, Map<String, String> env, long timeoutSeconds,
                                   List<String> launcher) throws IOException, InterruptedException {
        StringBuilder script = new StringBuilder("exec 2>&1\ncd '").append(repo).append("'\n");
        for (Walkthrough.Step step : walkthrough.steps()) {
            script.append(step.command()).append('\n')
                    .append("printf '\\n").append(MARK).append(" %d@@\\n' $?\n");
        }
        Path file = Files.createTempFile("jbox-walkthrough", ".sh");
        try {
            Files.writeString(file, script);
            List<String> argv = new ArrayList<>(launcher);
            argv.addAll(List.of("bash", file.toString()));
            ProcessBuilder pb = new ProcessBuilder(argv)
                    .redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            pb.environment().putAll(env);
            Process bash = pb.start();
            byte[] out = readWithTimeout(bash, timeoutSeconds);
            return split(walkthrough, new String(out, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static byte[] readWithTimeout(Process p, long timeoutSeconds) throws IOException, InterruptedException {
        var buffer = new java.io.ByteArrayOutputStream();
        Thread pump = new Thread(() -> {
            try {
                p.getInputStream().transferTo(buffer);
            } catch (IOException ignored) {
                // the process was killed
            }
        }, "walkthrough-output");
        pump.start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            pump.join(5000);
            throw new TimedOut(timeoutSeconds, buffer.toString(StandardCharsets.UTF_8));
        }
        pump.join();
        return buffer.toByteArray();
    }

    static List<Result> split(Walkthrough walkthrough, String out) {
        List<Result> results = new ArrayList<>();
        Matcher m = END.matcher(out);
        int from = 0;
        for (Walkthrough.Step step : walkthrough.steps()) {
            if (!m.find()) {
                results.add(new Result(step, lines(out.substring(from)), Result.UNFINISHED));
                break;
            }
            results.add(new Result(step, lines(out.substring(from, m.start())), Integer.parseInt(m.group(1))));
            from = m.end();
        }
        return results;
    }

    private static List<String> lines(String chunk) {
        List<String> lines = chunk.isEmpty() ? List.of() : Arrays.asList(chunk.split("\n", -1));
        if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
            lines = lines.subList(0, lines.size() - 1);
        }
        return List.copyOf(lines);
    }
}
