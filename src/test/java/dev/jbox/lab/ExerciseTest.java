package dev.jbox.lab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jbox.testing.Cli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The lab's files agree with the engine: the solutions are its files, the skeletons its files with the method left to write. */
class ExerciseTest {
    @Test
    void eachReferenceSolutionIsTheEnginesOwnFileUnderTheNameTheStudentEdits() throws IOException {
        for (Exercise e : Exercise.ALL) {
            ChapterLab lab = ChapterLab.find(Cli.REPO, e.chapter());
            assertThat(lab.solutions().resolve(e.fileName())).as(e.title())
                    .hasContent(Files.readString(Cli.REPO.resolve(e.source())));
        }
    }

    @Test
    void eachSkeletonIsTheEnginesFileWithOneMethodLeftToWrite() throws IOException {
        for (Exercise e : Exercise.ALL) {
            Path skeleton = ChapterLab.find(Cli.REPO, e.chapter()).studentDir().resolve(e.fileName());
            String text = Files.readString(skeleton);
            assertThat(text).as(skeleton.toString())
                    .contains("package " + e.className().substring(0, e.className().lastIndexOf('.')) + ";")
                    .contains("throw new UnsupportedOperationException(\"lab " + e.chapter() + ": write me\");")
                    .doesNotContain("tag::", "end::");
            // Everything outside the methods is the engine's: the same declarations, the same class comment.
            String engine = Files.readString(Cli.REPO.resolve(e.source()));
            java.util.List<String> declarations = engine.lines().filter(l -> l.startsWith("    public ")).toList();
            assertThat(declarations).as(e.source().toString()).isNotEmpty();
            assertThat(text.lines().toList()).as(skeleton.toString()).containsAll(declarations);
        }
    }

    @Test
    void anUnknownChapterIsOneErrorNamingThoseWithExercises() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ChapterLab.find(Cli.REPO, 9))
                .hasMessage("there is no chapter 9 in " + Cli.REPO.resolve("chapters") + "; chapters with graded exercises: 1, 2, 3, 4, 5");
    }
}
