package dev.jbox.lab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jbox.testing.Cli;
import dev.jbox.testing.PureCgroupV2;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Lab 3's v2 exercise where it counts, on a pure cgroup-v2 kernel ({@code CgroupV2GuestIT} runs this in
 * its guest; on this v1 machine it skips): the engine's own {@code V2Limits} passes with the check's
 * containers run, the memory hog, the fork loop, the files read back and the update, not only its
 * translation checked as on a v1 machine.
 */
class LabCheckV2IT {
    @BeforeEach
    void pureCgroupV2() {
        PureCgroupV2.assume();
    }

    @Test
    void theReferenceV2LimitsPassesWithItsContainersRun() {
        ChapterLab lab = ChapterLab.find(Cli.REPO, 3);
        Exercise v2 = lab.exercises().stream().filter(e -> e.fileName().equals("V2Limits.java")).findFirst().orElseThrow();
        // An emulated CPU (TCG) is slow: javac and a JVM of its own for the checks.
        Verdict verdict = new Grader(900).grade(v2, lab.solutions());
        System.out.println(verdict.line());
        verdict.details().forEach(System.out::println);
        assertThat(verdict.passed()).as(String.join("\n", verdict.details())).isTrue();
        assertThat(verdict.notes()).as("on cgroup v2 the check runs its containers and leaves nothing").isEmpty();
    }
}
