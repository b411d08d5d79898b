package dev.jbox.chroot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jbox.DataRoot;
import dev.jbox.JboxException;
import dev.jbox.engine.CreatedContainer;
import dev.jbox.engine.Engine;
import dev.jbox.engine.RunRequest;
import dev.jbox.kernel.Kernel;
import dev.jbox.runtime.Launch;
import dev.jbox.testing.Captured;
import dev.jbox.testing.ChapterTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * What chapter 1 built - a command that sees the image as its root, with its exit code, its
 * environment and working directory, and nothing of the engine's - on the real kernel, through
 * the engine, for chapter 1's engine and every later one.
 */
class ChrootRuntimeIT {
    @TempDir
    static Path store;
    static Engine engine;

    @BeforeAll
    static void image() {
        Kernel.warmUp();
        engine = new Engine(new DataRoot(store));
    }

    private static Captured run(int chapter, String... command) {
        return run(chapter, "/", List.of(), command);
    }

    /** --network none: the chapter-1 tests need no network, and must not make the reader's jbox0. */
    private static Captured run(int chapter, String workdir, List<String> env, String... command) {
        return Captured.run(engine, RunRequest.image("busybox", command).chapter(chapter).workdir(workdir).env(env)
                .network("none"));
    }

    @ChapterTest(since = 1)
    void theCommandSeesTheImageAsItsRoot(int chapter) {
        Captured c = run(chapter, "/bin/sh", "-c", "ls /; test -e " + store + " || echo the store is not here");
        assertThat(c.status().exitCode()).isZero();
        assertThat(c.output()).contains("bin\n", "linuxrc\n", "the store is not here");
    }

    @ChapterTest(since = 1)
    void exitCodesAndSignalsComeBackAsAShellWouldReportThem(int chapter) {
        assertThat(run(chapter, "sh", "-c", "exit 7").status().shellExitCode()).isEqualTo(7);
        assertThat(run(chapter, "true").status().shellExitCode()).isZero();
        // Killed from the host (from inside, chapter 2's pid 1 would ignore even SIGKILL).
        CreatedContainer c = engine.create(RunRequest.image("busybox", "sleep", "30").chapter(chapter)
                .network("none").autoRemove(true).build());
        engine.start(c);
        c.process().signal(9);
        assertThat(c.process().waitFor().shellExitCode()).isEqualTo(137);
        engine.ended(c);
    }

    @ChapterTest(since = 1)
    void environmentAndWorkingDirectoryAreTheSpecs(int chapter) {
        Captured c = run(chapter, "/tmp", List.of("PATH=/bin", "GREETING=hi"), "sh", "-c",
                "echo $GREETING; pwd; env | grep -v HOSTNAME= | sort");
        assertThat(c.output()).isEqualTo("hi\n/tmp\nGREETING=hi\nHOME=/root\nPATH=/bin\nPWD=/tmp\nSHLVL=1\n");
    }

    /** Only in a jail: from chapter 2 the command is pid 1 of its namespace, which ignores even its own SIGKILL. */
    @org.junit.jupiter.api.Test
    void aJailedCommandThatKillsItselfReportsTheSignal() {
        assertThat(run(1, "sh", "-c", "kill -KILL $$").status().shellExitCode()).isEqualTo(137);
    }

    /** Only in a jail is the failed exec the engine's own spawn error; from chapter 2, pid 1 exits 126 with it. */
    @org.junit.jupiter.api.Test
    void aJailedNonExecutableIsRefusedAtTheSpawnNamingTheErrno() {
        assertThatThrownBy(() -> run(1, "/etc/passwd")).isInstanceOf(JboxException.class).hasMessageContaining("EACCES")
                .extracting(e -> ((JboxException) e).exitCode()).isEqualTo(126);
    }

    @ChapterTest(since = 1)
    void noDescriptorOfTheEngineLeaksIntoTheContainer(int chapter) throws Exception {
        Path secret = Files.createTempFile(store, "open-in-engine", "");
        int devNull = Kernel.open("/dev/null", Kernel.O_RDWR | Kernel.O_CLOEXEC, 0);
        try (var open = Files.newInputStream(secret)) {
            CreatedContainer c = engine.create(RunRequest.image("busybox", "sleep", "30").chapter(chapter)
                    .network("none").autoRemove(true).stdio(new Launch.Stdio(devNull, devNull, devNull)).build());
            engine.start(c);
            awaitExec(c.process().pid(), "sleep");
            try (var fds = Files.list(Path.of("/proc/" + c.process().pid() + "/fd"))) {
                assertThat(fds.map(f -> f.getFileName().toString())).containsExactlyInAnyOrder("0", "1", "2");
            } finally {
                c.process().signal(9);
                c.process().waitFor();
                engine.ended(c);
            }
        } finally {
            Kernel.close(devNull);
        }
    }

    /** Chapter 2's pid 1 may start before it finds it cannot exec: then its exit code says so. */
    private static int exitCode(int chapter, String... command) {
        try {
            return run(chapter, command).status().shellExitCode();
        } catch (JboxException e) {
            return e.exitCode();
        }
    }

    /** Until pid 1 has exec'd the command, it is jbox-init and still holds the "go" pipe and the status file. */
    private static void awaitExec(int pid, String command) throws Exception {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!Files.readString(Path.of("/proc/" + pid + "/comm")).strip().equals(command)) {
            assertThat(System.nanoTime()).as("pid " + pid + " exec'd " + command + " within 5 s").isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    @ChapterTest(since = 1)
    void aMissingCommandIs127AndANonExecutableOne126(int chapter) {
        assertThatThrownBy(() -> run(chapter, "no-such-program"))
                .isInstanceOf(JboxException.class)
                .hasMessageContaining("'no-such-program': executable file not found in $PATH")
                .extracting(e -> ((JboxException) e).exitCode()).isEqualTo(127);
        assertThat(exitCode(chapter, "/etc/passwd")).isEqualTo(126);
        assertThatThrownBy(() -> run(chapter, "/nope", List.of(), "true"))
                .isInstanceOf(JboxException.class)
                .hasMessageContaining("working directory /nope does not exist inside the container");
        assertThat(engine.list()).as("a failed start leaves no container").isEmpty();
    }

    @ChapterTest(since = 1)
    void theEngineKeepsItsOwnRootAndNoContainerThreadOutlivesItsStart(int chapter) throws Exception {
        String hostMnt = Files.readSymbolicLink(Path.of("/proc/self/ns/mnt")).toString();
        for (int i = 0; i < 20; i++) {
            assertThat(run(chapter, "true").status().exitCode()).isZero();
        }
        // join() returns once the Java thread has ended, a moment before its native thread is gone
        // from /proc/self/task: a container thread may be seen exiting, never staying.
        List<String> strangers = List.of();
        for (int attempt = 0; attempt < 50; attempt++) {
            strangers = threadsNotInTheHostsRootOrMountNamespace(hostMnt);
            if (strangers.isEmpty()) {
                break;
            }
            Thread.sleep(100);
        }
        assertThat(strangers).as("threads of the engine with a container's root or mount namespace, 5 s after the runs").isEmpty();
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().startsWith("jbox-"));
    }
    /** The engine's threads whose root is not "/" or whose mount namespace is not the host's: "task (comm): what". */
    private static List<String> threadsNotInTheHostsRootOrMountNamespace(String hostMnt) throws IOException {
        List<String> found = new java.util.ArrayList<>();
        try (var tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : tasks.toList()) {
                try {
                    String thread = task + " (" + Files.readString(task.resolve("comm")).strip() + ")";
                    String root = Files.readSymbolicLink(task.resolve("root")).toString();
                    String mnt = Files.readSymbolicLink(task.resolve("ns/mnt")).toString();
                    if (!root.equals("/") || !mnt.equals(hostMnt)) {
                        found.add(thread + ": root " + root + ", " + mnt);
                    }
                } catch (java.nio.file.NoSuchFileException e) {
                    // that thread ended while we looked
                }
            }
        }
        return found;
    }
}
