package dev.jbox.build;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jbox.image.Digest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuildCacheTest {
    private static final Digest PARENT = Digest.sha256("parent".getBytes(StandardCharsets.UTF_8));
    private static final Digest OTHER = Digest.sha256("other".getBytes(StandardCharsets.UTF_8));

    @Test
    void keyDependsOnParentInstructionAndContent() {
        Digest k = BuildCache.key(PARENT, "COPY . /app", "abc");
        assertThat(BuildCache.key(PARENT, "COPY . /app", "abc")).isEqualTo(k);
        assertThat(BuildCache.key(OTHER, "COPY . /app", "abc")).isNotEqualTo(k);
        assertThat(BuildCache.key(PARENT, "COPY . /srv", "abc")).isNotEqualTo(k);
        assertThat(BuildCache.key(PARENT, "COPY . /app", "abd")).isNotEqualTo(k);
        assertThat(BuildCache.key(PARENT, "RUN a", null)).isEqualTo(BuildCache.key(PARENT, "RUN a", ""));
    }

    @Test
    void contentDigestSeesBytesAndModeButNotTime(@TempDir Path ctx) throws Exception {
        Path f = Files.writeString(ctx.resolve("a.txt"), "one");
        SourceTree tree = new SourceTree(ctx, DockerIgnore.of(List.of()));
        String before = tree.contentDigest(tree.match("a.txt"));
        Files.setLastModifiedTime(f, java.nio.file.attribute.FileTime.fromMillis(12345));
        assertThat(tree.contentDigest(tree.match("a.txt"))).isEqualTo(before);
        Files.setPosixFilePermissions(f, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        String chmodded = tree.contentDigest(tree.match("a.txt"));
        assertThat(chmodded).isNotEqualTo(before);
        Files.writeString(f, "two");
        assertThat(tree.contentDigest(tree.match("a.txt"))).isNotEqualTo(chmodded);
    }

    @Test
    void ignoredFilesAreNeitherMatchedNorHashed(@TempDir Path ctx) throws Exception {
        Files.createDirectories(ctx.resolve("d"));
        Files.writeString(ctx.resolve("d/keep.txt"), "k");
        Files.writeString(ctx.resolve("d/x.log"), "1");
        SourceTree tree = new SourceTree(ctx, DockerIgnore.of(List.of("d/*.log")));
        String before = tree.contentDigest(tree.match("d"));
        Files.writeString(ctx.resolve("d/x.log"), "2");
        assertThat(tree.contentDigest(tree.match("d"))).isEqualTo(before);
        assertThat(tree.match("d/*")).extracting(p -> p.getFileName().toString()).containsExactly("keep.txt");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> tree.match("d/x.log"))
                .hasMessageContaining("not found");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> tree.match("../etc/passwd"))
                .hasMessageContaining("outside the build context");
    }
}
