package dev.jbox.testing;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Takes the "before" snapshot when the test session opens, before any test runs;
 * {@code LeakCheckIT}, ordered last, compares the machine with it.
 */
public final class SuiteSnapshot implements LauncherSessionListener {
    private static volatile MachineSnapshot before;

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        if (before == null) {
            before = MachineSnapshot.take();
        }
    }

    public static MachineSnapshot before() {
        if (before == null) {
            throw new IllegalStateException("no snapshot was taken when the test session opened;"
                    + " is META-INF/services/org.junit.platform.launcher.LauncherSessionListener on the test class path?");
        }
        return before;
    }
}
