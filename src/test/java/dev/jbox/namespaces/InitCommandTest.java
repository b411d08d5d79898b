package dev.jbox.namespaces;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jbox.spec.ContainerSpec;
import dev.jbox.spec.Namespace;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Chapter 2: every decision jbox-init carries out is a flag the engine wrote; checked without root. */
class InitCommandTest {
    private static ContainerSpec.Builder spec() {
        return ContainerSpec.builder(Path.of("/r"), List.of("sh", "-c", "echo hi")).capabilities(0x5);
    }

    @Test
    void aContainerGetsItsPidNamespaceProtectedPathsAndCapabilities() {
        ContainerSpec s = spec().namespaces(EnumSet.of(Namespace.PID)).readonlyPaths(List.of("/proc/sys"))
                .maskedPaths(List.of("/proc/kcore")).build();
        assertThat(InitCommand.forContainer(s).argv(s, "/bin/sh", -1)).containsExactly("/dev/.jbox-init", "-n",
                "-R", "/proc/sys", "-M", "/proc/kcore", "-c", "5", "--", "/bin/sh", "sh", "-c", "echo hi");
    }

    @Test
    void withoutAPidNamespaceThereIsNoMinusNAndInitAndTerminalAreFlags() {
        ContainerSpec s = spec().init(true).build();
        assertThat(InitCommand.forContainer(s).argv(s, "/bin/sh", 0))
                .containsExactly("/dev/.jbox-init", "-r", "-c", "5", "-t", "/dev/pts/0", "--", "/bin/sh", "sh", "-c", "echo hi");
    }

    @Test
    void execOnlyDropsCapabilitiesAndExecs() {
        ContainerSpec s = spec().namespaces(EnumSet.allOf(Namespace.class)).maskedPaths(List.of("/proc/kcore")).build();
        assertThat(InitCommand.forExec().argv(s, "/bin/sh", -1))
                .containsExactly("/dev/.jbox-init", "-x", "-w", "-c", "5", "--", "/bin/sh", "sh", "-c", "echo hi");
    }

    @Test
    void aUserBecomesMinusUWithItsGroupsAndExecKeepsIt() {
        ContainerSpec s = spec().user(new ContainerSpec.User(1000, 100, List.of(10, 20))).build();
        assertThat(InitCommand.forContainer(s).argv(s, "/bin/id", -1))
                .containsExactly("/dev/.jbox-init", "-c", "5", "-u", "1000:100:10,20", "--", "/bin/id", "sh", "-c", "echo hi");
        assertThat(InitCommand.forExec().argv(s, "/bin/id", -1)).containsSubsequence("-u", "1000:100:10,20", "--");
    }

    @Test
    void aUserWithoutSupplementaryGroupsHasNoThirdField() {
        ContainerSpec s = spec().user(new ContainerSpec.User(0, 0, List.of())).build();
        assertThat(InitCommand.forContainer(s).argv(s, "/bin/id", -1)).containsSubsequence("-u", "0:0", "--");
    }
}
