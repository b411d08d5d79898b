package dev.jbox.lab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jbox.testing.Cli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jbox lab check N} as a student runs it: every chapter's reference solutions pass every
 * check and the checks clean up after themselves; an empty lab directory fails every exercise,
 * with a reason, and a non-zero exit status.
 */
class LabIT {
    @TempDir
    Path tmp;
    private List<Path> sandboxesBefore;

    @BeforeEach
    void noteSandboxes() throws IOException {
        sandboxesBefore = sandboxes();
    }

    @AfterEach
    void everySandboxIsRemoved() throws IOException {
        assertThat(sandboxes()).as("the grader's temporary directories").isEqualTo(sandboxesBefore);
    }

    private static List<Path> sandboxes() throws IOException {
        try (Stream<Path> s = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return s.filter(p -> p.getFileName().toString().startsWith("jbox-lab-")).sorted().toList();
        }
    }

    private static List<ChapterLab> graded() {
        List<ChapterLab> labs = ChapterLab.all(Cli.REPO);
        assertThat(labs).extracting(ChapterLab::number).contains(1, 2);
        return labs;
    }

    @TestFactory
    Stream<DynamicTest> theReferenceSolutionsPass() {
        return graded().stream().map(lab -> DynamicTest.dynamicTest("chapter " + lab.number(), () -> {
            var r = Cli.jbox(tmp, "lab", "check", String.valueOf(lab.number()), "--solutions");
            String out = r.stdout() + r.stderr();
            assertThat(r.exitCode()).as(out).isZero();
            List<String> lines = r.stdout().lines().toList();
            assertThat(lines.get(0)).isEqualTo("grading " + Cli.REPO.relativize(lab.solutions())
                    + " against " + Cli.REPO.relativize(lab.dir().resolve("checks")));
            for (Check c : lab.checks()) {
                assertThat(lines).as(out).anyMatch(l -> l.startsWith("exercise " + c.exercise() + ": " + c.title() + " ")
                        && l.matches(".* PASS \\(\\d+\\.\\d s\\)"));
            }
            assertThat(lines).as(out).noneMatch(l -> l.contains(" FAIL (") || l.contains("note:"));
            int n = lab.checks().size();
            assertThat(lines.get(lines.size() - 1)).isEqualTo("score: " + n + "/" + n + " exercises pass");
        }));
    }

    @TestFactory
    Stream<DynamicTest> anEmptyLabFailsEveryExerciseWithAReason() throws IOException {
        Path empty = Files.createDirectory(tmp.resolve("empty-lab"));
        return graded().stream().map(lab -> DynamicTest.dynamicTest("chapter " + lab.number(), () -> {
            var r = Cli.jbox(tmp, "lab", "check", String.valueOf(lab.number()), "--lab", empty.toString());
            String out = r.stdout() + r.stderr();
            assertThat(r.exitCode()).as(out).isEqualTo(1);
            List<String> lines = r.stdout().lines().toList();
            for (Check c : lab.checks()) {
                int at = indexOf(lines, "exercise " + c.exercise() + ": ");
                assertThat(lines.get(at)).as(out).contains(" FAIL (");
                // The reason: the command that failed (in this check), then what it printed.
                assertThat(lines.get(at + 1)).as(out)
                        .startsWith("    " + Cli.REPO.relativize(c.file()) + ":").contains(": $ ");
                assertThat(lines.get(at + 2)).as(out).startsWith("    ").containsAnyOf("expected", "ended");
                assertThat(String.join("\n", lines.subList(at + 1, lines.size()))).as(out)
                        .contains(empty.toString()).contains("No such file or directory");
            }
            assertThat(lines).as(out).noneMatch(l -> l.contains(" PASS ("));
            assertThat(lines.get(lines.size() - 1)).isEqualTo("score: 0/" + lab.checks().size() + " exercises pass");
        }));
    }

    private static int indexOf(List<String> lines, String prefix) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(prefix)) {
                return i;
            }
        }
        throw new AssertionError("no line starts with '" + prefix + "' in:\n" + String.join("\n", lines));
    }
}
