package dev.jbox.lab;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The grade of one exercise: whether the engine built with the student's file passed the
 * exercise's checks, and if not, why (the first check that did not hold, or the compiler's first
 * error); plus notes: what the check could not check on this machine, and whatever it left
 * behind that the grader had to remove.
 */
public record Verdict(Exercise exercise, boolean passed, List<String> reason, List<String> notes, Duration took) {
    private static final int WIDTH = 72;

    /** One line, as xv6's {@code make grade} prints: {@code exercise 1: title ...... PASS (1.2 s)}. */
    public String line() {
        String name = "exercise " + exercise.number() + ": " + exercise.title() + " ";
        String dots = ".".repeat(Math.max(3, WIDTH - name.length()));
        return name + dots + (passed ? " PASS" : " FAIL") + String.format(Locale.ROOT, " (%.1f s)", took.toMillis() / 1000.0);
    }

    /** The reason for a FAIL and the notes, indented to sit under {@link #line()}. */
    public List<String> details() {
        List<String> out = new ArrayList<>();
        reason.forEach(r -> out.add("    " + r));
        notes.forEach(l -> out.add("    note: the check " + l));
        return out;
    }

    public static String summary(List<Verdict> verdicts) {
        long passed = verdicts.stream().filter(Verdict::passed).count();
        return "score: " + passed + "/" + verdicts.size() + " exercises pass";
    }
}
