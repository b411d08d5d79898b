package dev.jbox.vm;

import dev.jbox.Json;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;
import org.junit.platform.launcher.core.LauncherConfig;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * The one JVM of a test guest ({@link GuestTests}): runs the given JUnit classes with the JUnit
 * Platform's Launcher API, prints a line per outcome on the console, and writes a
 * {@link GuestReport} to REPORT. Exit status 0 only if every test ran and passed.
 *
 * <p>Usage: {@code java -cp ... dev.jbox.vm.GuestTestRunner REPORT CLASS...}
 */
public final class GuestTestRunner {
    static final String PREFIX = "guest-test: ";
    private static final int STACK_LINES = 12;

    private GuestTestRunner() {
    }

    public static void main(String[] args) {
        if (args.length < 2) {
            System.err.println("usage: GuestTestRunner REPORT CLASS...");
            System.exit(2);
        }
        GuestReport report = run(List.of(args).subList(1, args.length));
        Json.writeAtomically(Path.of(args[0]), report);
        System.out.println(PREFIX + "done: " + report.count(GuestReport.Status.PASSED) + " passed, "
                + report.notPassed().size() + " not passed");
        System.exit(report.notPassed().isEmpty() ? 0 : 1);
    }

    static GuestReport run(List<String> classNames) {
        Recorder recorder = new Recorder();
        LauncherDiscoveryRequestBuilder request = LauncherDiscoveryRequestBuilder.request()
                // as the host's failsafe runs them (pom.xml)
                .configurationParameter("junit.jupiter.extensions.autodetection.enabled", "true");
        for (String name : classNames) {
            try {
                request.selectors(DiscoverySelectors.selectClass(Class.forName(name)));
            } catch (ClassNotFoundException | LinkageError e) {
                recorder.record(new GuestReport.Outcome(name, name, GuestReport.Status.FAILED,
                        "cannot load the test class: " + e, 0));
            }
        }
        LauncherDiscoveryRequest discovery = request.build();
        // No listeners from the class path: the suite's SuiteSnapshot (a LauncherSessionListener)
        // photographs the machine for the host's leak check, which has nothing to do in a guest.
        Launcher launcher = LauncherFactory.create(LauncherConfig.builder()
                .enableLauncherSessionListenerAutoRegistration(false).build());
        launcher.execute(discovery, recorder);
        return new GuestReport(List.copyOf(recorder.outcomes));
    }

    /** Collects outcomes as the tests finish, and says each one on the console. */
    private static final class Recorder implements TestExecutionListener {
        private final List<GuestReport.Outcome> outcomes = new ArrayList<>();
        private final Map<String, Long> started = new ConcurrentHashMap<>();
        private TestPlan plan;

        @Override
        public void testPlanExecutionStarted(TestPlan testPlan) {
            plan = testPlan;
        }

        @Override
        public void executionStarted(TestIdentifier id) {
            started.put(id.getUniqueId(), System.nanoTime());
        }

        @Override
        public void executionSkipped(TestIdentifier id, String reason) {
            record(new GuestReport.Outcome(testClass(id), name(id), GuestReport.Status.SKIPPED, reason, 0));
        }

        @Override
        public void executionFinished(TestIdentifier id, TestExecutionResult result) {
            Long start = started.remove(id.getUniqueId());
            double seconds = start == null ? 0 : (System.nanoTime() - start) / 1e9;
            GuestReport.Status status = switch (result.getStatus()) {
                case SUCCESSFUL -> GuestReport.Status.PASSED;
                case ABORTED -> GuestReport.Status.ABORTED;
                case FAILED -> GuestReport.Status.FAILED;
            };
            // A class that passed as a whole says nothing its tests did not; one that failed
            // (say, in @BeforeAll) or was aborted is an outcome of its own.
            if (id.isTest() || status != GuestReport.Status.PASSED) {
                record(new GuestReport.Outcome(testClass(id), name(id), status, result.getThrowable().map(Recorder::describe).orElse(null),
                        seconds));
            }
        }

        synchronized void record(GuestReport.Outcome outcome) {
            outcomes.add(outcome);
            System.out.println(PREFIX + outcome.line());
        }

        private static String testClass(TestIdentifier id) {
            return id.getSource().map(source -> source instanceof MethodSource m ? m.getClassName()
                    : source instanceof ClassSource c ? c.getClassName() : null).orElse(null);
        }

        /** "Class > method()": the display names from below the engine down to the test. */
        private String name(TestIdentifier id) {
            Deque<String> parts = new ArrayDeque<>();
            for (Optional<TestIdentifier> t = Optional.of(id); t.isPresent() && t.get().getParentId().isPresent();
                 t = plan.getParent(t.get())) {
                parts.addFirst(t.get().getDisplayName());
            }
            return String.join(" > ", parts);
        }

        /** The exception and the top of its stack: enough to find the line, short enough for a report. */
        private static String describe(Throwable t) {
            StringWriter text = new StringWriter();
            t.printStackTrace(new PrintWriter(text));
            List<String> lines = text.toString().lines().toList();
            return String.join("\n", lines.subList(0, Math.min(lines.size(), STACK_LINES)));
        }
    }
}
