package dev.jbox.testing;

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
 * stdout, and returns what each command printed and its exit status.
 */
public final class WalkthroughRunner {
    private static final String MARK = "@@jbox-walkthrough-step-end";
    private static final Pattern END = Pattern.compile("\n" + MARK + " (\\d+)@@\n");

    public record Result(Walkthrough.Step step, List<String> output, int status) {
    }

    private WalkthroughRunner() {
    }

    public static List<Result> run(Walkthrough walkthrough, Path repo, Map<String, String> env, long timeoutSeconds)
            throws IOException, InterruptedException {
        StringBuilder script = new StringBuilder("exec 2>&1\ncd '").append(repo).append("'\n");
        for (Walkthrough.Step step : walkthrough.steps()) {
            script.append(step.command()).append('\n')
                    .append("printf '\\n").append(MARK).append(" %d@@\\n' $?\n");
        }
        Path file = Files.createTempFile("jbox-walkthrough", ".sh");
        try {
            Files.writeString(file, script);
            ProcessBuilder pb = new ProcessBuilder("bash", file.toString())
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
            throw new AssertionError("walk-through timed out after " + timeoutSeconds + " s; output so far:\n" + buffer);
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
                throw new AssertionError("the session ended before the command at " + walkthrough.file() + ":"
                        + step.line() + " finished; output:\n" + out.substring(from));
            }
            String chunk = out.substring(from, m.start());
            List<String> lines = chunk.isEmpty() ? List.of() : Arrays.asList(chunk.split("\n", -1));
            if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
                lines = lines.subList(0, lines.size() - 1);
            }
            results.add(new Result(step, List.copyOf(lines), Integer.parseInt(m.group(1))));
            from = m.end();
        }
        return results;
    }
}
