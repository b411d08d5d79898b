package dev.jbox.namespaces;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jbox.JboxException;
import dev.jbox.DataRoot;
import dev.jbox.image.ImageStore;
import dev.jbox.layers.FlatRootfs;
import dev.jbox.kernel.Kernel;
import dev.jbox.lifecycle.ShimStatus;
import dev.jbox.runtime.ContainerProcess;
import dev.jbox.runtime.Launch;
import dev.jbox.runtime.NativeTools;
import dev.jbox.spec.ContainerSpec;
import dev.jbox.spec.Namespace;
import java.util.EnumSet;
import dev.jbox.testing.Captured;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The chapter-2 runtime driven from this JVM, as a warm engine does: many containers, one process. */
class NamespaceRuntimeIT {
    @TempDir
    static Path store;
    static Path busybox;
    static NamespaceRuntime runtime;

    @TempDir
    Path state;

    @BeforeAll
    static void setUp() {
        Kernel.warmUp();
        ImageStore images = new ImageStore(new DataRoot(store));
        busybox = FlatRootfs.ensure(new DataRoot(store), images, images.resolve("busybox"));
        runtime = new NamespaceRuntime(NativeTools.path(new DataRoot(store), "jbox-init"));
    }

    /** What chapter 2's namespaces feature puts in a spec: every namespace and Docker's protected paths. */
    private static ContainerSpec.Builder spec(String... command) {
        return ContainerSpec.builder(busybox, List.of(command)).namespaces(EnumSet.allOf(Namespace.class))
                .readonlyPaths(RootFilesystem.READ_ONLY_PATHS).maskedPaths(RootFilesystem.MASKED_PATHS);
    }

    private Captured run(String... command) throws IOException {
        Path dir = Files.createTempDirectory(state, "c");
        return Captured.run(runtime, spec(command).hostname("t").build(), dir);
    }

    @Test
    void manyContainersLeaveEveryThreadOfTheEngineInTheHostsNamespacesAndRoot() throws Exception {
        String hostMnt = Files.readSymbolicLink(Path.of("/proc/self/ns/mnt")).toString();
        String hostNet = Files.readSymbolicLink(Path.of("/proc/self/ns/net")).toString();
        for (int i = 0; i < 30; i++) {
            Captured c = run("sh", "-c", "echo $$ $(hostname)");
            assertThat(c.output()).isEqualTo("1 t\n");
            assertThat(c.status().exitCode()).isZero();
        }
        try (var tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : tasks.toList()) {
                try {
                    assertThat(Files.readSymbolicLink(task.resolve("ns/mnt"))).as(task + " mnt").hasToString(hostMnt);
                    assertThat(Files.readSymbolicLink(task.resolve("ns/net"))).as(task + " net").hasToString(hostNet);
                    assertThat(Files.readSymbolicLink(task.resolve("root"))).as(task + " root").hasToString("/");
                } catch (java.nio.file.NoSuchFileException e) {
                    // a thread that ended while we looked
                }
            }
        }
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().startsWith("jbox-"));
    }

    @Test
    void aContainerThatIsAbortedBeforeGoLeavesNoProcess() throws Exception {
        Path dir = Files.createTempDirectory(state, "c");
        int devNull = Kernel.open("/dev/null", Kernel.O_RDWR | Kernel.O_CLOEXEC, 0);
        try {
            ContainerProcess c = runtime.create(spec("sleep", "600").build(),
                    new Launch(new Launch.Stdio(devNull, devNull, devNull), false, dir));
            int pid1 = c.pid();
            assertThat(Path.of("/proc/" + pid1)).exists();
            c.abort();
            assertThat(ShimStatus.read(dir.resolve("status"))).isEqualTo(new ShimStatus(pid1, true, 125));
            assertThat(Path.of("/proc/" + pid1)).doesNotExist();
        } finally {
            Kernel.close(devNull);
        }
    }

    @Test
    void aCommandMissingFromTheImageFailsBeforeAnyProcessExists() {
        assertThatThrownBy(() -> run("no-such-command"))
                .isInstanceOf(JboxException.class)
                .extracting(e -> ((JboxException) e).exitCode()).isEqualTo(127);
    }

    @Test
    void pid1IgnoresEvenSigkillFromInsideButNotFromTheHost() throws Exception {
        assertThat(run("sh", "-c", "kill -KILL $$; echo still here").output()).isEqualTo("still here\n");
        Path dir = Files.createTempDirectory(state, "c");
        int devNull = Kernel.open("/dev/null", Kernel.O_RDWR | Kernel.O_CLOEXEC, 0);
        try {
            ContainerProcess c = runtime.create(spec("sleep", "600").build(),
                    new Launch(new Launch.Stdio(devNull, devNull, devNull), false, dir));
            c.start();
            assertThat(c.signal(9)).isTrue();
            assertThat(c.waitFor().shellExitCode()).isEqualTo(137);
            assertThat(ShimStatus.read(dir.resolve("status")).exitCode()).isEqualTo(137);
        } finally {
            Kernel.close(devNull);
        }
    }

    /** Dropping a protected path silently would leave it unprotected: jbox-init refuses the 65th. */
    @Test
    void jboxInitRefusesMorePathsThanItHolds() throws Exception {
        List<String> argv = new java.util.ArrayList<>(List.of(NativeTools.path(new DataRoot(store), "jbox-init").toString()));
        for (int i = 0; i < 65; i++) {
            argv.addAll(List.of("-M", "/proc/p" + i));
        }
        argv.addAll(List.of("--", "/bin/true", "true"));
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor()).isEqualTo(125);
        assertThat(out).isEqualTo("jbox-init: more than 64 masked paths (at /proc/p64); the engine must pass fewer\n");
    }
}
