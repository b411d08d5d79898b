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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jbox lab check N} as a student runs it, on the real kernel: the reference solutions (the
 * engine's own files) pass, the untouched skeletons fail, and every plausible wrong answer under
 * {@code src/test/resources/lab-wrong/NN/VARIANT/} fails the exercise whose file it holds, with a
 * reason; the grader's temporary directories are removed.
 */
class LabIT {
    private static final Path WRONG = Cli.REPO.resolve("src/test/resources/lab-wrong");

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
        assertThat(labs).extracting(ChapterLab::number).containsExactly(1, 2, 3, 4, 5);
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
                    + " against chapter " + lab.number() + "'s engine");
            for (Exercise e : lab.exercises()) {
                assertThat(lines).as(out).anyMatch(l -> l.startsWith("exercise " + e.number() + ": " + e.title() + " ")
                        && l.matches(".* PASS \\(\\d+\\.\\d s\\)"));
            }
            // The only note allowed: a cgroup version this machine does not mount was checked without a container.
            assertThat(lines).as(out).noneMatch(l -> l.contains(" FAIL (") || l.contains("note:") && !l.contains("ran no container"));
            if (lab.number() == 3) {
                // One cgroup version's exercise ran containers, the other's (not mounted here) says it could not.
                assertThat(lines).as(out).filteredOn(l -> l.contains("ran no container")).hasSize(1);
            }
            int n = lab.exercises().size();
            assertThat(lines.get(lines.size() - 1)).isEqualTo("score: " + n + "/" + n + " exercises pass");
        }));
    }

    @TestFactory
    Stream<DynamicTest> theSkeletonsFailEveryExercise() {
        return graded().stream().map(lab -> DynamicTest.dynamicTest("chapter " + lab.number(), () -> {
            var r = Cli.jbox(tmp, "lab", "check", String.valueOf(lab.number()));
            String out = r.stdout() + r.stderr();
            assertThat(r.exitCode()).as(out).isEqualTo(1);
            List<String> lines = r.stdout().lines().toList();
            for (Exercise e : lab.exercises()) {
                int at = indexOf(lines, "exercise " + e.number() + ": ");
                assertThat(lines.get(at)).as(out).contains(" FAIL (");
                assertThat(lines.get(at + 1)).as(out).contains("UnsupportedOperationException: lab " + lab.number() + ": write me");
            }
            assertThat(lines.get(lines.size() - 1)).isEqualTo("score: 0/" + lab.exercises().size() + " exercises pass");
        }));
    }

    /**
     * Each variant holds one exercise's file; that exercise fails for a reason of its own (not a missing file).
     * Where exercises share a file (chapter 4's), the variant's name starts {@code exN-} for the one it
     * gets wrong, and the others, the engine's own code in that file, pass.
     */
    @TestFactory
    Stream<DynamicTest> everyWrongAnswerFails() throws IOException {
        List<Path> variants;
        try (Stream<Path> chapters = Files.list(WRONG)) {
            variants = chapters.flatMap(LabIT::list).sorted().toList();
        }
        assertThat(variants).hasSizeGreaterThanOrEqualTo(8);
        return variants.stream().map(dir -> DynamicTest.dynamicTest(WRONG.relativize(dir).toString(), () -> {
            int chapter = Integer.parseInt(dir.getParent().getFileName().toString());
            List<Path> files = list(dir).toList();
            assertThat(files).hasSize(1);
            List<Exercise> sharing = Exercise.of(chapter).stream()
                    .filter(e -> e.fileName().equals(files.get(0).getFileName().toString())).toList();
            assertThat(sharing).isNotEmpty();
            Exercise exercise = sharing.size() == 1 ? sharing.get(0) : sharing.stream()
                    .filter(e -> dir.getFileName().toString().startsWith("ex" + e.number() + "-")).findFirst()
                    .orElseThrow(() -> new AssertionError(dir + ": several exercises share its file; name it exN-... for the one it fails"));
            var r = Cli.jbox(tmp, "lab", "check", String.valueOf(chapter), "--lab", dir.toString());
            String out = r.stdout() + r.stderr();
            assertThat(r.exitCode()).as(out).isEqualTo(1);
            List<String> lines = r.stdout().lines().toList();
            int at = indexOf(lines, "exercise " + exercise.number() + ": ");
            assertThat(lines.get(at)).as(out).contains(" FAIL (");
            assertThat(lines.get(at + 1)).as(out).startsWith("    ").doesNotContain("there is no", "does not compile", "the engine failed: java.lang.NoClassDefFoundError");
            assertThat(out).as("every mount the checks make is removed, on a failing path too").doesNotContain("left a mount");
            for (Exercise other : sharing) {
                if (other != exercise) {
                    assertThat(lines.get(indexOf(lines, "exercise " + other.number() + ": "))).as(out).contains(" PASS (");
                }
            }
        }));
    }

    @Test
    void aCompileErrorIsOneFailLineWithTheCompilersFirstError() throws IOException {
        Path lab = Files.createDirectory(tmp.resolve("broken"));
        Files.writeString(lab.resolve("Jail.java"), Files.readString(Cli.REPO.resolve("lab/01/Jail.java"))
                .replace("throw new UnsupportedOperationException(\"lab 1: write me\");", "Kernel.chroot(rootfs)"));
        var r = Cli.jbox(tmp, "lab", "check", "1", "--lab", lab.toString());
        String out = r.stdout() + r.stderr();
        assertThat(r.exitCode()).as(out).isEqualTo(1);
        List<String> lines = r.stdout().lines().toList();
        int at = indexOf(lines, "exercise 1: ");
        assertThat(lines.get(at)).as(out).contains(" FAIL (");
        assertThat(lines.get(at + 1)).as(out).matches("    Jail\\.java does not compile: line \\d+: .*");
        assertThat(lines.get(at + 2)).as(out).startsWith("score: ");
    }

    private static Stream<Path> list(Path dir) {
        try {
            return Files.list(dir).sorted().toList().stream();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
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
