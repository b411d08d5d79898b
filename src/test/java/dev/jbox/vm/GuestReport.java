package dev.jbox.vm;

import java.util.List;
import java.util.Locale;

/**
 * What the test JVM in the guest ({@link GuestTestRunner}) writes for the host ({@link GuestTests})
 * to read: one outcome per test, and per class or other container that failed, was aborted or
 * was skipped as a whole.
 */
public record GuestReport(List<Outcome> outcomes) {
    public enum Status { PASSED, FAILED, ABORTED, SKIPPED }

    /**
     * @param testClass the test class's name (null for an outcome of no class, such as the engine's)
     * @param test    "Class > method()", by display names
     * @param message why it failed, was aborted or was skipped (null if it passed)
     */
    public record Outcome(String testClass, String test, Status status, String message, double seconds) {
        /** One line for a log: status, name, time, and the first line of the message. */
        public String line() {
            String why = message == null ? "" : ": " + message.lines().findFirst().orElse("");
            return String.format(Locale.ROOT, "%s %s (%.1f s)%s", status, test, seconds, why);
        }
    }

    /** Whether a test of {@code testClass} ran and passed. */
    public boolean passedIn(String testClass) {
        return outcomes.stream().anyMatch(o -> o.status() == Status.PASSED && testClass.equals(o.testClass()));
    }

    public long count(Status status) {
        return outcomes.stream().filter(o -> o.status() == status).count();
    }

    /**
     * In the guest every test must run and pass: a skip there (an assumption that does not hold,
     * such as "this is a cgroup-v2 machine") means the guest is not what the tests need.
     */
    public List<Outcome> notPassed() {
        return outcomes.stream().filter(o -> o.status() != Status.PASSED).toList();
    }
}
