package dev.jbox.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class DockerIgnoreTest {
    @Test
    void patternsMatchAsDockersDo() {
        DockerIgnore ignore = DockerIgnore.of(List.of("# comment", "*.log", "**/*.tmp", "build", "/docs/*.md",
                "!docs/keep.md", "src/?.c"));
        assertThat(ignore.ignores("a.log")).isTrue();
        assertThat(ignore.ignores("sub/a.log")).isFalse(); // '*' stays within one directory
        assertThat(ignore.ignores("x.tmp")).isTrue();
        assertThat(ignore.ignores("a/b/x.tmp")).isTrue();
        assertThat(ignore.ignores("build")).isTrue();
        assertThat(ignore.ignores("build/out/app.jar")).isTrue(); // below an ignored directory
        assertThat(ignore.ignores("docs/a.md")).isTrue();
        assertThat(ignore.ignores("docs/keep.md")).isFalse(); // the later '!' wins
        assertThat(ignore.ignores("src/a.c")).isTrue();
        assertThat(ignore.ignores("src/ab.c")).isFalse();
        assertThat(ignore.hasExceptions()).isTrue();
    }

    @Test
    void characterClassesAndEscapes() {
        DockerIgnore ignore = DockerIgnore.of(List.of("[a-c].txt", "[!x]y", "\\*star"));
        assertThat(ignore.ignores("b.txt")).isTrue();
        assertThat(ignore.ignores("d.txt")).isFalse();
        assertThat(ignore.ignores("zy")).isTrue();
        assertThat(ignore.ignores("xy")).isFalse();
        assertThat(ignore.ignores("*star")).isTrue();
        assertThat(ignore.ignores("astar")).isFalse();
    }
}
