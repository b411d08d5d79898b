package dev.jbox.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class WalkthroughTest {
    @Test
    void parsesCommandsWithTheirOutputAndSkipsTagsAndComments() {
        var w = Walkthrough.parse(Path.of("w.txt"), List.of(
                "# tag::a[]", "$ echo one", "one", "$ true", "# end::a[]", "", "$ printf 'a\\", "b'", "ab"));
        assertThat(w.steps()).containsExactly(
                new Walkthrough.Step(2, "echo one", List.of("one")),
                new Walkthrough.Step(4, "true", List.of()),
                new Walkthrough.Step(7, "printf 'a\\\nb'", List.of("ab")));
    }

    @Test
    void outputWithoutACommandIsAnError() {
        assertThatThrownBy(() -> Walkthrough.parse(Path.of("w.txt"), List.of("stray")))
                .hasMessageContaining("w.txt:1");
    }

    @Test
    void ellipsisMatchesAnyLinesOrAnyTextInALine() {
        assertThat(Walkthrough.matches(List.of("a", "...", "z"), List.of("a", "b", "c", "z"))).isTrue();
        assertThat(Walkthrough.matches(List.of("a", "...", "z"), List.of("a", "z"))).isTrue();
        assertThat(Walkthrough.matches(List.of("a", "...", "z"), List.of("a", "y"))).isFalse();
        assertThat(Walkthrough.matches(List.of("pid ..."), List.of("pid 42"))).isTrue();
        assertThat(Walkthrough.matches(List.of("pid ..."), List.of("pod 42"))).isFalse();
        assertThat(Walkthrough.matches(List.of("a"), List.of("a", "b"))).isFalse();
        assertThat(Walkthrough.matches(List.of("(x)"), List.of("(x)"))).isTrue();
    }

    @Test
    void splitsOneSessionsOutputIntoSteps() {
        var w = Walkthrough.parse(Path.of("w.txt"), List.of("$ a", "$ b", "$ c"));
        String out = "one\n\n@@jbox-walkthrough-step-end 0@@\n\n@@jbox-walkthrough-step-end 3@@\nno newline\n@@jbox-walkthrough-step-end 0@@\n";
        var r = WalkthroughRunner.split(w, out);
        assertThat(r).extracting(WalkthroughRunner.Result::output)
                .containsExactly(List.of("one"), List.of(), List.of("no newline"));
        assertThat(r).extracting(WalkthroughRunner.Result::status).containsExactly(0, 3, 0);
    }

    @Test
    void aSessionThatEndsEarlyLeavesTheCommandUnfinishedAndTheRestWithoutResult() {
        var w = Walkthrough.parse(Path.of("w.txt"), List.of("$ a", "$ exit 3", "$ c"));
        var r = WalkthroughRunner.split(w, "one\n@@jbox-walkthrough-step-end 0@@\nbye\n");
        assertThat(r).extracting(WalkthroughRunner.Result::status).containsExactly(0, WalkthroughRunner.Result.UNFINISHED);
        assertThat(r.get(1).output()).containsExactly("bye");
        assertThat(r.get(1).passed()).isFalse();
    }
}
