package dev.jbox.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jbox.JboxException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The grader on a made-up chapter whose checks need neither root nor jbox. */
class GraderTest {
    @TempDir
    Path repo;
    Path checks;
    Path work;

    @BeforeEach
    void aChapterWithChecks() throws IOException {
        checks = Files.createDirectories(repo.resolve("chapters/07-fake/checks"));
        work = Files.createDirectories(repo.resolve("lab/07"));
        Files.writeString(work.resolve("answer"), "41\n");
    }

    private void check(int k, String... lines) throws IOException {
        Files.write(checks.resolve("exercise-" + k + ".txt"), List.of(lines));
    }

    private List<Verdict> grade(long timeoutSeconds) {
        List<Verdict> seen = new ArrayList<>();
        List<Verdict> all = new Grader(repo, timeoutSeconds).grade(ChapterLab.find(repo, 7), work, seen::add);
        assertThat(seen).isEqualTo(all);
        return all;
    }

    @Test
    void passesAnExerciseWhoseCommandsPrintWhatTheCheckSays() throws IOException {
        check(1, "# Exercise 1: say hello", "$ echo hello from $(basename $LAB)", "hello from 07", "$ true");
        Verdict v = grade(60).get(0);
        assertThat(v.passed()).as(v.reason().toString()).isTrue();
        assertThat(v.reason()).isEmpty();
        assertThat(v.line()).startsWith("exercise 1: say hello ...").contains(" PASS (");
        assertThat(v.details()).isEmpty();
    }

    @Test
    void aFailSaysWhichCommandWhatWasExpectedAndWhatCameOut() throws IOException {
        check(2, "# Exercise 2: the answer", "$ cat $LAB/answer", "42", "$ echo not reached");
        check(10, "# Exercise 10: a command that fails", "$ echo oops; exit 3", "oops");
        List<Verdict> verdicts = grade(60);
        assertThat(verdicts).extracting(v -> v.check().exercise()).containsExactly(2, 10);
        assertThat(verdicts.get(0).line()).contains(" FAIL (");
        assertThat(verdicts.get(0).reason()).containsExactly(
                "chapters/07-fake/checks/exercise-2.txt:2: $ cat $LAB/answer", "expected:", "  42", "got:", "  41");
        assertThat(verdicts.get(0).details()).allMatch(l -> l.startsWith("    "));
        // "exit" ends the session during the command: the check says so instead of hanging or crashing.
        assertThat(verdicts.get(1).reason()).containsExactly(
                "chapters/07-fake/checks/exercise-10.txt:2: $ echo oops; exit 3",
                "the session ended during this command; it printed:", "  oops");
        assertThat(Verdict.summary(verdicts)).isEqualTo("score: 0/2 exercises pass");
    }

    @Test
    void aNonZeroExitStatusFailsEvenWithTheExpectedOutput() throws IOException {
        check(1, "# Exercise 1: status", "$ echo fine; false", "fine");
        assertThat(grade(60).get(0).reason()).contains("expected exit status 0, got 1; it printed:", "  fine");
    }

    @Test
    void aCheckThatRunsTooLongIsKilledAndFails() throws IOException {
        check(1, "# Exercise 1: slow", "$ echo started; sleep 30");
        long start = System.nanoTime();
        Verdict v = grade(1).get(0);
        assertThat(System.nanoTime() - start).isLessThan(20_000_000_000L);
        assertThat(v.passed()).isFalse();
        assertThat(v.reason()).contains("  started").first().asString().contains("did not end within 1 s");
    }

    @Test
    void theGraderRemovesTheTemporaryFilesAChecksForgotAndSaysSo() throws IOException {
        check(1, "# Exercise 1: litter", "$ mktemp > /dev/null; echo $JBOX_ROOT > " + repo.resolve("root"));
        Verdict v = grade(60).get(0);
        assertThat(v.passed()).isTrue();
        assertThat(v.leftovers()).singleElement().asString().startsWith("left the temporary file tmp.");
        assertThat(v.details()).singleElement().asString().startsWith("    note: the check left the temporary file");
        Path sandbox = Path.of(Files.readString(repo.resolve("root")).strip()).getParent();
        assertThat(sandbox.getFileName().toString()).startsWith("jbox-lab-");
        assertThat(sandbox).doesNotExist();
    }

    @Test
    void longOutputIsClipped() {
        List<String> many = Stream.iterate(1, i -> i + 1).limit(20).map(i -> "line " + i + "x".repeat(i * 10)).toList();
        List<String> clipped = Grader.clip(many);
        assertThat(clipped).hasSize(Grader.MAX_LINES + 1).last().isEqualTo("  (12 more lines)");
        assertThat(clipped).allMatch(l -> l.length() <= 2 + 160 + 3);
    }

    @Test
    void aCheckMustNameItsExercise() throws IOException {
        check(3, "$ true");
        assertThatThrownBy(() -> ChapterLab.find(repo, 7)).isInstanceOf(JboxException.class)
                .hasMessageContaining("exercise-3.txt must start with a comment line naming the exercise");
        check(3, "#Exercise 3 - tidy titles", "$ true");
        assertThat(ChapterLab.find(repo, 7).checks()).singleElement().extracting(Check::title).isEqualTo("tidy titles");
        check(3, "# a title without a number", "$ true");
        assertThat(ChapterLab.find(repo, 7).checks()).singleElement().extracting(Check::title)
                .isEqualTo("a title without a number");
    }

    @Test
    void chaptersWithoutChecksAreNamedInTheError() throws IOException {
        check(1, "# Exercise 1: one", "$ true");
        Files.createDirectories(repo.resolve("chapters/08-empty"));
        assertThat(ChapterLab.all(repo)).extracting(ChapterLab::number).containsExactly(7);
        assertThatThrownBy(() -> ChapterLab.find(repo, 8)).hasMessageContaining("chapter 8 has no graded exercises")
                .hasMessageContaining("chapters with graded exercises: 7");
        assertThatThrownBy(() -> ChapterLab.find(repo, 9)).hasMessageContaining("there is no chapter 9");
        assertThat(ChapterLab.find(repo, 7).studentDir()).isEqualTo(work);
        assertThat(ChapterLab.find(repo, 7).solutions()).isEqualTo(repo.resolve("chapters/07-fake/solutions"));
    }

    @Test
    void mountinfoEscapesAreDecoded() {
        assertThat(Sandbox.unescape("/tmp/a\\040b\\134c")).isEqualTo("/tmp/a b\\c");
    }

    @Test
    void theRepositoryIsFoundFromWhereJboxWasBuilt() {
        assertThat(ChapterLab.locateRepository()).isEqualTo(Path.of("").toAbsolutePath());
    }
}
