package dev.jbox.chroot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jbox.JboxException;
import dev.jbox.Store;
import dev.jbox.image.Image;
import dev.jbox.image.ImageStore;
import dev.jbox.kernel.Kernel;
import dev.jbox.runtime.ContainerSpec;
import dev.jbox.testing.Captured;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The chapter-1 runtime on the real kernel: a chroot from a thread of the engine, then a spawn. */
class ChrootRuntimeIT {
    @TempDir
    static Path store;
    static Image busybox;
    final ChrootRuntime runtime = new ChrootRuntime();

    @BeforeAll
    static void image() {
        Kernel.warmUp();
        busybox = new ImageStore(new Store(store)).get("busybox");
    }

    private Captured run(String... command) {
        return run("/", List.of(), command);
    }

    private Captured run(String workdir, List<String> env, String... command) {
        return Captured.run(runtime, stdio -> ContainerSpec.builder(busybox.rootfs(), List.of(command))
                .env(env).workdir(workdir).stdio(stdio).build());
    }

    @Test
    void theCommandSeesTheImageAsItsRoot() {
        Captured c = run("/bin/sh", "-c", "ls /; test -e " + store + " || echo the store is not here");
        assertThat(c.status().exitCode()).isZero();
        assertThat(c.output()).contains("bin\n", "linuxrc\n", "the store is not here");
    }

    @Test
    void exitCodesAndSignalsComeBackAsAShellWouldReportThem() {
        assertThat(run("sh", "-c", "exit 7").status().shellExitCode()).isEqualTo(7);
        assertThat(run("sh", "-c", "kill -KILL $$").status().shellExitCode()).isEqualTo(137);
        assertThat(run("true").status().shellExitCode()).isZero();
    }

    @Test
    void environmentAndWorkingDirectoryAreTheSpecs() {
        Captured c = run("/tmp", List.of("PATH=/bin", "GREETING=hi"), "sh", "-c", "echo $GREETING; pwd; env | sort");
        assertThat(c.output()).isEqualTo("hi\n/tmp\nGREETING=hi\nPATH=/bin\nPWD=/tmp\nSHLVL=1\n");
    }

    @Test
    void noDescriptorOfTheEngineLeaksIntoTheContainer() throws Exception {
        Path secret = Files.createTempFile(store, "open-in-engine", "");
        int devNull = Kernel.open("/dev/null", Kernel.O_RDWR | Kernel.O_CLOEXEC, 0);
        try (var open = Files.newInputStream(secret)) {
            var c = runtime.create(ContainerSpec.builder(busybox.rootfs(), List.of("sleep", "30"))
                    .stdio(new ContainerSpec.Stdio(devNull, devNull, devNull)).build());
            c.start();
            try (var fds = Files.list(Path.of("/proc/" + c.pid() + "/fd"))) {
                assertThat(fds.map(f -> f.getFileName().toString())).containsExactlyInAnyOrder("0", "1", "2");
            } finally {
                c.signal(9);
                c.waitFor();
            }
        } finally {
            Kernel.close(devNull);
        }
    }

    @Test
    void aMissingCommandIs127AndANonExecutableOne126() {
        assertThatThrownBy(() -> run("no-such-program"))
                .isInstanceOf(JboxException.class)
                .hasMessageContaining("'no-such-program': executable file not found in $PATH")
                .extracting(e -> ((JboxException) e).exitCode()).isEqualTo(127);
        assertThatThrownBy(() -> run("/etc/passwd"))
                .isInstanceOf(JboxException.class)
                .hasMessageContaining("EACCES")
                .extracting(e -> ((JboxException) e).exitCode()).isEqualTo(126);
        assertThatThrownBy(() -> run("/nope", List.of(), "true"))
                .isInstanceOf(JboxException.class)
                .hasMessageContaining("working directory /nope does not exist inside the container");
    }

    @Test
    void theEngineKeepsItsOwnRootAndNoContainerThreadOutlivesItsStart() throws Exception {
        for (int i = 0; i < 20; i++) {
            assertThat(run("true").status().exitCode()).isZero();
        }
        try (var tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : tasks.toList()) {
                try {
                    assertThat(Files.readSymbolicLink(task.resolve("root"))).as("root of thread " + task).hasToString("/");
                } catch (java.nio.file.NoSuchFileException e) {
                    // that thread ended while we looked
                }
            }
        }
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().startsWith("jbox-"));
    }
}
