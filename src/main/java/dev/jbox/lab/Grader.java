package dev.jbox.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Grades a directory of student work as xv6's {@code make grade} does: for each exercise, the
 * student's file is compiled over the engine's ({@link LabBuild}), and the exercise's checks
 * ({@link LabProbe}) run in a JVM whose class path puts that class before the engine's own, with a
 * store and temporary directory of their own ({@link Sandbox}), removed afterwards.
 */
public final class Grader {
    static final int MAX_LINES = 8;
    private static final int MAX_LINE_LENGTH = 160;
    private static final String NOTE = "note: ";

    private final long timeoutSeconds;

    public Grader(long timeoutSeconds) {
        this.timeoutSeconds = timeoutSeconds;
    }

    /** Grades every exercise of {@code lab} in order, handing each verdict over as soon as it is known. */
    public List<Verdict> grade(ChapterLab lab, Path work, Consumer<Verdict> onVerdict) {
        List<Verdict> verdicts = new ArrayList<>();
        for (Exercise exercise : lab.exercises()) {
            Verdict v = grade(exercise, work);
            verdicts.add(v);
            onVerdict.accept(v);
        }
        return verdicts;
    }

    public Verdict grade(Exercise exercise, Path work) {
        long start = System.nanoTime();
        Sandbox sandbox = Sandbox.create();
        List<String> reason;
        List<String> notes = new ArrayList<>();
        List<String> leftovers;
        try {
            Path file = work.resolve(exercise.fileName());
            if (!Files.isRegularFile(file)) {
                reason = List.of("there is no " + file + "; copy the skeleton lab/" + String.format("%02d", exercise.chapter())
                        + "/" + exercise.fileName() + " there and write the method");
            } else {
                Path classes = sandbox.scratch("classes");
                reason = LabBuild.compile(exercise, file, classes);
                if (reason.isEmpty()) {
                    reason = probe(exercise, classes, sandbox, notes);
                }
            }
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            reason = List.of("could not run the check: " + e.getMessage());
        } finally {
            leftovers = sandbox.cleanUp();
        }
        notes.addAll(leftovers);
        return new Verdict(exercise, reason.isEmpty(), reason, notes, Duration.ofNanos(System.nanoTime() - start));
    }

    /**
     * Runs the exercise's checks against the engine with the student's class; nothing if they hold, else why not.
     * Lines the checks print as {@code note: ...} when they hold (what they could not check here) go to {@code notes}.
     */
    private List<String> probe(Exercise exercise, Path classes, Sandbox sandbox, List<String> notes)
            throws IOException, InterruptedException {
        Path output = sandbox.scratch("probe").resolve("output");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", classes + java.io.File.pathSeparator + System.getProperty("java.class.path"),
                LabProbe.class.getName(), String.valueOf(exercise.chapter()), String.valueOf(exercise.number()))
                .redirectErrorStream(true).redirectOutput(output.toFile()).redirectInput(new java.io.File("/dev/null"));
        pb.environment().putAll(sandbox.env());
        pb.environment().put("TMPDIR", sandbox.scratch("probe").toString());
        Process p = pb.start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly().waitFor();
            return List.of("the checks ran longer than " + timeoutSeconds + " s (killed); does the method block?");
        }
        List<String> lines = Files.readAllLines(output);
        if (p.exitValue() == 0) {
            lines.stream().filter(l -> l.startsWith(NOTE)).map(l -> l.substring(NOTE.length())).forEach(notes::add);
            return List.of();
        }
        return lines.isEmpty() ? List.of("the checks exited with status " + p.exitValue() + " and printed nothing") : clip(lines);
    }

    /** At most {@link #MAX_LINES} lines, each shortened. */
    static List<String> clip(List<String> output) {
        List<String> out = new ArrayList<>();
        for (String line : output.subList(0, Math.min(output.size(), MAX_LINES))) {
            out.add(line.length() > MAX_LINE_LENGTH ? line.substring(0, MAX_LINE_LENGTH) + "..." : line);
        }
        if (output.size() > MAX_LINES) {
            out.add("(" + (output.size() - MAX_LINES) + " more lines)");
        }
        return out;
    }

}
