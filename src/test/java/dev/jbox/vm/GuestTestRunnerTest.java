package dev.jbox.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.util.LinkedHashSet;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

/** The guest's test runner and report, run here in this JVM; and which host paths the guest keeps visible. */
class GuestTestRunnerTest {
    /** Run by the runner under test, never by the build (surefire leaves nested classes out). */
    static class Sample {
        @Test
        void passes() {
        }

        @Test
        void fails() {
            assertThat(1 + 1).as("arithmetic").isEqualTo(3);
        }

        // Deliberate: the runner must report an aborted test as ABORTED (CgroupV2GuestIT fails on it).
        @Test
        void isAborted() {
            Assumptions.assumeTrue(false, "not this machine");
        }

        // Deliberate: the runner must report a disabled test as SKIPPED, with its reason.
        @Test
        @Disabled("not today")
        void isSkipped() {
        }
    }

    @Test
    void everyOutcomeIsReportedWithItsStatusAndMessage() {
        GuestReport report = GuestTestRunner.run(List.of(Sample.class.getName(), "dev.jbox.NoSuchV2IT"));

        assertThat(report.outcomes()).extracting(GuestReport.Outcome::test, GuestReport.Outcome::status).containsExactlyInAnyOrder(
                tuple("dev.jbox.NoSuchV2IT", GuestReport.Status.FAILED),
                tuple("GuestTestRunnerTest$Sample > passes()", GuestReport.Status.PASSED),
                tuple("GuestTestRunnerTest$Sample > fails()", GuestReport.Status.FAILED),
                tuple("GuestTestRunnerTest$Sample > isAborted()", GuestReport.Status.ABORTED),
                tuple("GuestTestRunnerTest$Sample > isSkipped()", GuestReport.Status.SKIPPED));
        assertThat(report.notPassed()).hasSize(4);
        assertThat(report.passedIn(Sample.class.getName())).isTrue();
        assertThat(report.passedIn("dev.jbox.NoSuchV2IT")).isFalse();
        assertThat(report.outcomes()).filteredOn(o -> o.test().endsWith("fails()")).singleElement()
                .satisfies(o -> assertThat(o.message()).contains("[arithmetic]", "expected: 3", "GuestTestRunnerTest.java"));
        assertThat(report.outcomes()).filteredOn(o -> o.test().endsWith("isSkipped()")).singleElement()
                .satisfies(o -> assertThat(o.message()).isEqualTo("not today"));
    }

    @Test
    void whatTheTestsNeedUnderACoveredDirectoryIsKeptByItsTopDirectory() {
        var needed = new LinkedHashSet<>(List.of("/root/.m2/repository/a/b.jar", "/root/.m2/repository/c/d.jar",
                "/usr/lib/jvm/java-17", "/work/jbox/target/classes", "/tmp/build/classes", "/var/tmp/x/y", "/root"));

        assertThat(GuestTests.kept(needed)).containsExactly("/root/.m2", "/tmp/build", "/var/tmp/x");
    }
}
