package dev.jbox.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jbox.testing.ChapterTest;
import dev.jbox.testing.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher and the CLI as a user meets them: bad input gets one line, the documented code, and nothing left. */
class CliIT {
    @TempDir
    Path store;

    @AfterEach
    void cleanUp() {
        Cli.removeAll(store); // containers run on the default network: its bridge and rules go too
    }

    private void oneLineError(Cli.Result r, int code, String... fragments) {
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(code);
        assertThat(r.stderr().strip().lines()).as(r.stderr()).hasSize(1);
        assertThat(r.stderr()).startsWith("jbox: ").contains(fragments);
        assertThat(r.stdout()).isEmpty();
    }

    @ChapterTest(since = 1)
    void runsTheDefaultImage(int chapter) throws Exception {
        var r = Cli.jbox(store, "run", "--chapter", Integer.toString(chapter), "busybox", "sh", "-c", "echo hello from $(pwd)");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stdout()).isEqualTo("hello from /\n");
        assertThat(store.resolve("image-store/index.json")).content().contains("docker.io/library/busybox:latest");
        if (chapter < 4) {
            return; // chapters 1-3 root an image on a plain directory of its files
        }
        // the image in the OCI layout, and its one layer unpacked once, into the snapshot named by its chain id
        // (chapter 4: the container ran on an overlay of it, and no plain copy of the image was made)
        try (var dirs = Files.list(store.resolve("snapshots/sha256"))) {
            assertThat(dirs.toList()).singleElement().satisfies(d -> assertThat(d.resolve("fs/bin/busybox")).isRegularFile());
        }
        assertThat(store.resolve("images")).doesNotExist();
    }

    @Test
    void theImageDefaultCommandIsAShellReadingStdin() {
        // Without -i the container's stdin is /dev/null, so the shell ends at once.
        var r = Cli.jbox(store, "run", "--chapter", "1", "busybox");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
    }

    @Test
    void badInput() throws Exception {
        oneLineError(Cli.jbox(store, "run", "--rootfs", "/no/such/dir", "sh"), 125, "/no/such/dir does not exist");
        Path empty = Files.createDirectory(store.resolve("empty"));
        oneLineError(Cli.jbox(store, "run", "--rootfs", empty.toString(), "sh"), 125, "is empty");
        Path noShell = Files.createDirectories(store.resolve("no-shell/etc"));
        oneLineError(Cli.jbox(store, "run", "--rootfs", noShell.getParent().toString(), "sh"), 127, "'sh': executable file not found");
        oneLineError(Cli.jbox(store, "run", "--chapter", "4", "no-such-image"), 125, "no such image: 'no-such-image'", "busybox",
                "jbox pull no-such-image");
        oneLineError(Cli.jbox(store, "run", "--pull", "never", "no-such-image"), 125, "no such image: 'no-such-image'", "--pull never");
        oneLineError(Cli.jbox(store, "run", "BAD/NAME"), 125, "invalid image name");
        oneLineError(Cli.jbox(store, "run", "--chapter", "9", "busybox", "true"), 125, "no chapter 9", "--chapter 1");
        oneLineError(Cli.jbox(store, "run", "--frobnicate", "busybox"), 125, "--frobnicate", "jbox run --help");
        oneLineError(Cli.jbox(store, "run", "-it", "busybox", "true"), 125, "not a TTY");
        oneLineError(Cli.jbox(store, "run"), 125, "needs an image");
    }

    @Test
    void everySubcommandHasHelp() {
        for (String cmd : List.of("run", "ps", "logs", "stop", "kill", "rm", "exec", "inspect", "images", "lab", "registry",
                "image prune", "volume ls", "system df")) {
            List<String> args = new java.util.ArrayList<>(List.of(cmd.split(" ")));
            args.add("--help");
            var r = Cli.jbox(store, args.toArray(String[]::new));
            assertThat(r.exitCode()).as(cmd + ": " + r).isZero();
            assertThat(r.stdout()).startsWith("Usage: jbox " + cmd);
        }
    }

    @Test
    void withoutRootItSaysSoInOneLine() {
        var r = Cli.run(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                Cli.REPO.resolve("jbox").toString(), "run", "busybox", "true"), Map.of());
        assertThat(r.exitCode()).isEqualTo(125);
        assertThat(r.stderr().strip()).startsWith("jbox: jbox needs root").contains("sudo").doesNotContain("\n");
    }

    @ChapterTest(since = 1)
    void theExitCodeOfTheCommandIsTheExitCodeOfJbox(int chapter) {
        String n = Integer.toString(chapter);
        assertThat(Cli.jbox(store, "run", "--chapter", n, "busybox", "sh", "-c", "exit 42").exitCode()).isEqualTo(42);
        if (chapter == 1) { // no PID namespace: the shell is an ordinary process, killed by the signal
            assertThat(Cli.jbox(store, "run", "--chapter", n, "busybox", "sh", "-c", "kill -TERM $$").exitCode()).isEqualTo(143);
            return;
        }
        // pid 1 of a PID namespace ignores signals it has no handler for, even from itself...
        assertThat(Cli.jbox(store, "run", "--chapter", n, "--rm", "busybox", "sh", "-c", "kill -TERM $$").exitCode()).isEqualTo(0);
        // ...unless a tiny init is pid 1 and the command is pid 2.
        assertThat(Cli.jbox(store, "run", "--chapter", n, "--rm", "--init", "busybox", "sh", "-c", "kill -TERM $$").exitCode())
                .isEqualTo(143);
    }

    @ChapterTest(since = 1)
    void interactiveInputReachesTheContainer(int chapter) throws Exception {
        Path input = Files.writeString(store.resolve("input-" + chapter), "line one\nline two\n");
        var r = Cli.run(List.of("sh", "-c", Cli.REPO.resolve("jbox") + " run --chapter " + chapter + " -i busybox wc -l < " + input),
                Map.of("JBOX_ROOT", store.toString()));
        assertThat(r.stdout().strip()).isEqualTo("2");
    }
}
