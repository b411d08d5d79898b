package dev.jbox.lab;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Grades a directory of student work against a chapter's checks, as xv6's {@code make grade}
 * does: each check runs, from the repository's top directory, in a bash session of its own with
 * {@code $LAB} naming the directory graded, in a {@link Sandbox} that is removed afterwards, and in a
 * network namespace of its own, so the bridges and rules its containers make go with it.
 */
public final class Grader {
    static final int MAX_LINES = 8;
    private static final int MAX_LINE_LENGTH = 160;

    private final Path repository;
    private final long timeoutSeconds;

    public Grader(Path repository, long timeoutSeconds) {
        this.repository = repository;
        this.timeoutSeconds = timeoutSeconds;
    }

    /** Grades every exercise of {@code lab} in order, handing each verdict over as soon as it is known. */
    public List<Verdict> grade(ChapterLab lab, Path work, Consumer<Verdict> onVerdict) {
        List<Verdict> verdicts = new ArrayList<>();
        for (Check check : lab.checks()) {
            Verdict v = grade(check, work);
            verdicts.add(v);
            onVerdict.accept(v);
        }
        return verdicts;
    }

    public Verdict grade(Check check, Path work) {
        long start = System.nanoTime();
        Sandbox sandbox = Sandbox.create();
        List<String> reason;
        List<String> leftovers;
        try {
            Map<String, String> env = new HashMap<>(sandbox.env());
            env.put("LAB", work.toAbsolutePath().normalize().toString());
            reason = firstFailure(check.file(), WalkthroughRunner.run(Walkthrough.parse(check.file()), repository, env,
                    timeoutSeconds, WalkthroughRunner.IN_PRIVATE_NETWORK));
        } catch (WalkthroughRunner.TimedOut e) {
            reason = new ArrayList<>(List.of(e.getMessage() + " (killed); the last lines it printed:"));
            List<String> lines = e.output().lines().toList();
            reason.addAll(clip(lines.subList(Math.max(0, lines.size() - MAX_LINES), lines.size())));
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            reason = List.of("could not run the check: " + e.getMessage());
        } finally {
            leftovers = sandbox.cleanUp();
        }
        return new Verdict(check, reason.isEmpty(), reason, leftovers, Duration.ofNanos(System.nanoTime() - start));
    }

    /** Why the first command that failed failed, or nothing if every command passed. */
    private List<String> firstFailure(Path file, List<WalkthroughRunner.Result> results) {
        for (WalkthroughRunner.Result r : results) {
            if (!r.passed()) {
                return explain(file, r);
            }
        }
        return List.of();
    }

    List<String> explain(Path file, WalkthroughRunner.Result r) {
        Walkthrough.Step step = r.step();
        List<String> lines = new ArrayList<>();
        String[] command = step.command().split("\n");
        lines.add((file.startsWith(repository) ? repository.relativize(file) : file) + ":" + step.line() + ": $ " + command[0]
                + (command.length > 1 ? " ..." : ""));
        if (r.status() == WalkthroughRunner.Result.UNFINISHED) {
            lines.add("the session ended during this command" + printed(r.output()));
        } else if (r.status() != 0) {
            lines.add("expected exit status 0, got " + r.status() + printed(r.output()));
        } else {
            lines.add(step.expected().isEmpty() ? "expected no output" : "expected:");
            lines.addAll(clip(step.expected()));
            lines.add(r.output().isEmpty() ? "got no output" : "got:");
            lines.addAll(clip(r.output()));
            return lines;
        }
        lines.addAll(clip(r.output()));
        return lines;
    }

    private static String printed(List<String> output) {
        return output.isEmpty() ? ", and no output" : "; it printed:";
    }

    /** At most {@link #MAX_LINES} lines, each shortened, indented under the label above them. */
    static List<String> clip(List<String> output) {
        List<String> out = new ArrayList<>();
        for (String line : output.subList(0, Math.min(output.size(), MAX_LINES))) {
            out.add("  " + (line.length() > MAX_LINE_LENGTH ? line.substring(0, MAX_LINE_LENGTH) + "..." : line));
        }
        if (output.size() > MAX_LINES) {
            out.add("  (" + (output.size() - MAX_LINES) + " more lines)");
        }
        return out;
    }
}
