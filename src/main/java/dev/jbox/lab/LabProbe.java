package dev.jbox.lab;

import dev.jbox.DataRoot;
import dev.jbox.chroot.Jail;
import dev.jbox.engine.CreatedContainer;
import dev.jbox.engine.Engine;
import dev.jbox.engine.RunRequest;
import dev.jbox.kernel.Kernel;
import dev.jbox.kernel.Syscalls;
import dev.jbox.namespaces.PivotRoot;
import dev.jbox.namespaces.UnshareFlags;
import dev.jbox.runtime.Launch;
import dev.jbox.spec.Namespace;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;

/**
 * One exercise's checks, in a JVM of its own whose class path puts the student's class before the
 * engine's. Each check first calls the student's method directly and tests its contract, then
 * runs a container through the engine built with it. A secret, random per run, sits outside every
 * root: a jail or a pivot that lets it be read fails. Exit status 0 if every check holds; else the
 * reason on standard output and status 1.
 */
public final class LabProbe {
    private final Path work;
    private final Path secret;
    private final String token;

    private LabProbe(Path work) throws IOException {
        this.work = work;
        byte[] random = new byte[16];
        new SecureRandom().nextBytes(random);
        token = HexFormat.of().formatHex(random);
        secret = Files.createDirectories(work.resolve("host-" + token.substring(0, 8))).resolve("secret");
        Files.writeString(secret, token + "\n");
    }

    /** A check that did not hold, with the reason a student can act on. */
    static final class Failed extends RuntimeException {
        Failed(String reason) {
            super(reason);
        }
    }

    public static void main(String[] args) {
        try {
            LabProbe probe = new LabProbe(Path.of(System.getenv("TMPDIR")));
            switch (args[0] + "." + args[1]) {
                case "1.1" -> probe.jail();
                case "2.1" -> probe.unshareFlags();
                case "2.2" -> probe.pivotRoot();
                case "3.1" -> new LimitsProbe(probe).v1();
                case "3.2" -> new LimitsProbe(probe).v2();
                case "4.1" -> new WhiteoutsProbe(probe.work).toOverlay();
                case "4.2" -> new WhiteoutsProbe(probe.work).toOci();
                case "5.1" -> new RegistryProbe(probe.work).check();
                default -> throw new IllegalArgumentException("no exercise " + args[0] + "." + args[1]);
            }
            System.exit(0);
        } catch (Failed e) {
            System.out.println(e.getMessage());
        } catch (Throwable e) {
            System.out.println("the engine failed: " + e);
        }
        System.out.flush();
        Runtime.getRuntime().halt(1);
    }

    // Chapter 1, exercise 1.
    private void jail() throws Exception {
        Path rootfs = newRoot();
        Entered t = onThread(() -> Jail.enter(rootfs));
        expect(t.root.equals(rootfs), "after Jail.enter the thread's root is " + t.root + ", not " + rootfs);
        expect(t.cwd.equals(rootfs), "after Jail.enter the thread's working directory is " + t.cwd
                + ", outside the jail: '..' from there reaches the host; chdir into the jail");
        expect(t.sawInside, "after Jail.enter the thread does not see the jail's /inside");
        expect(!t.sawSecret, "after Jail.enter the thread can still read a secret file of the host's by its path");
        expectEngineKeepsItsRoot("Jail.enter");
        String out = run(1, "sh", "-c", "cat " + secret + " 2>/dev/null; ls /");
        expect(!out.contains(token), "a jailed command read a secret file of the host's, outside its root file system");
        expect(out.contains("linuxrc"), "the jailed command does not see the busybox image as /: ls / printed " + out.strip());
        expectEngineKeepsItsRoot("the engine's run");
    }

    // Chapter 2, exercise 1.
    private void unshareFlags() throws Exception {
        int base = Kernel.CLONE_FS | Kernel.CLONE_NEWNS;
        Map<Set<Namespace>, Integer> cases = Map.of(
                EnumSet.allOf(Namespace.class), base | Kernel.CLONE_NEWUTS | Kernel.CLONE_NEWIPC | Kernel.CLONE_NEWNET,
                EnumSet.noneOf(Namespace.class), base,
                EnumSet.of(Namespace.PID, Namespace.CGROUP), base,
                EnumSet.of(Namespace.NET), base | Kernel.CLONE_NEWNET,
                EnumSet.of(Namespace.IPC, Namespace.UTS), base | Kernel.CLONE_NEWIPC | Kernel.CLONE_NEWUTS);
        for (var c : cases.entrySet()) {
            int got;
            try {
                got = UnshareFlags.of(c.getKey());
            } catch (RuntimeException e) {
                throw new Failed("UnshareFlags.of(" + c.getKey() + ") threw " + e);
            }
            expect(got == c.getValue(), "UnshareFlags.of(" + c.getKey() + ") is 0x" + Integer.toHexString(got)
                    + ", expected 0x" + Integer.toHexString(c.getValue()));
        }
        CreatedContainer c = engine().create(request(2, "sleep", "30").stdio(devNull()).build());
        try {
            engine().start(c);
            int pid = c.process().pid();
            awaitExec(pid, "sleep");
            for (String ns : List.of("cgroup", "ipc", "mnt", "net", "pid", "uts")) {
                Path mine = Files.readSymbolicLink(Path.of("/proc/self/ns/" + ns));
                expect(!Files.readSymbolicLink(Path.of("/proc/" + pid + "/ns/" + ns)).equals(mine),
                        "a chapter-2 container shares the host's " + ns + " namespace (" + mine + ")");
            }
        } finally {
            c.process().signal(9);
            c.process().waitFor();
            engine().ended(c);
        }
    }

    // Chapter 2, exercise 2.
    private void pivotRoot() throws Exception {
        Path rootfs = newRoot();
        Entered t = onThread(() -> {
            // What RootFilesystem.prepare does first: a private mount namespace where rootfs is a mount point.
            Kernel.unshare(Kernel.CLONE_FS | Kernel.CLONE_NEWNS);
            Kernel.mount(null, "/", null, Kernel.MS_REC | Kernel.MS_PRIVATE, null);
            Kernel.mount(rootfs.toString(), rootfs.toString(), null, Kernel.MS_BIND | Kernel.MS_REC, null);
            PivotRoot.into(Syscalls.LINUX, rootfs);
        }, () -> {
            // The classic chroot escape: chroot deeper, climb out with '..', chroot there.
            Files.createDirectories(Path.of("/escape"));
            Kernel.chroot("/escape");
            for (int i = 0; i < 64; i++) {
                Kernel.chdir("..");
            }
            Kernel.chroot(".");
            return Files.exists(secret);
        });
        expect(t.sawInside, "after PivotRoot.into the thread does not see the new root's /inside as /inside");
        expect(t.cwdIsRoot, "after PivotRoot.into the thread's working directory is not the new /");
        expect(t.mountPoints.equals(List.of("/")), "after PivotRoot.into the mount namespace holds " + t.mountPoints.size()
                + " mounts, not only the new root (first: " + t.mountPoints.get(0) + "): the old root is still mounted");
        expect(!t.sawSecret, "after PivotRoot.into the thread still reads a secret file of the host's by its path");
        expect(!t.escaped, "after PivotRoot.into a chroot escape ('..' from a deeper chroot) reached the host's tree:"
                + " the old root is still mounted");
        expectEngineKeepsItsRoot("PivotRoot.into");
        String out = run(2, "sh", "-c", "cat " + secret + " 2>/dev/null; ls /");
        expect(!out.contains(token), "a chapter-2 container read a secret file of the host's");
        expect(out.contains("linuxrc"), "the container does not see the busybox image as /: ls / printed " + out.strip());
    }

    /** What a thread saw after calling the student's method, and what the engine saw of it. */
    private record Entered(Path root, Path cwd, List<String> mountPoints, boolean cwdIsRoot, boolean sawInside, boolean sawSecret,
            boolean escaped) {
    }

    interface Step {
        void run() throws Exception;
    }

    interface Probe {
        boolean run() throws Exception;
    }

    private Entered onThread(Step enter) throws Exception {
        return onThread(enter, () -> false);
    }

    /** Runs {@code enter} on a thread of its own, and looks at it from this one before it ends. */
    private Entered onThread(Step enter, Probe escape) throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch looked = new CountDownLatch(1);
        Object[] result = new Object[6];
        Thread thread = new Thread(() -> {
            try {
                result[0] = Files.readSymbolicLink(Path.of("/proc/thread-self")).toString();
                enter.run();
                result[1] = Files.isSameFile(Path.of("."), Path.of("/"));
                result[2] = Files.exists(Path.of("/inside"));
                result[3] = Files.isReadable(secret) && Files.readString(secret).contains(token);
                entered.countDown();
                looked.await();
                result[4] = escape.run();
            } catch (Throwable e) {
                result[5] = e;
            } finally {
                entered.countDown();
            }
        }, "jbox-lab");
        thread.start();
        entered.await();
        Path root = null;
        Path cwd = null;
        List<String> mountPoints = List.of();
        if (!Files.isDirectory(Path.of("/proc/self/task"))) {
            throw new Failed("after the method the engine's other threads left the host's root too"
                    + " (they no longer see /proc): unshare CLONE_FS before chroot");
        }
        if (result[5] == null) {
            root = Files.readSymbolicLink(Path.of("/proc/" + result[0] + "/root"));
            cwd = Files.readSymbolicLink(Path.of("/proc/" + result[0] + "/cwd"));
            // The thread's mount table, as the thread sees it (mount points relative to its root).
            mountPoints = Files.readAllLines(Path.of("/proc/" + result[0] + "/mountinfo")).stream()
                    .map(l -> Sandbox.unescape(l.split(" ")[4])).toList();
        }
        looked.countDown();
        thread.join();
        if (result[5] != null) {
            throw new Failed("the method threw " + result[5]);
        }
        return new Entered(root, cwd, mountPoints, (Boolean) result[1], (Boolean) result[2], (Boolean) result[3], (Boolean) result[4]);
    }

    private Path newRoot() throws IOException {
        Path rootfs = Files.createDirectories(work.resolve("rootfs-" + token.substring(8, 16))).toRealPath();
        Files.writeString(rootfs.resolve("inside"), "");
        return rootfs;
    }

    private static void expectEngineKeepsItsRoot(String after) throws IOException {
        expect(Files.isDirectory(Path.of("/proc/self/task")) && Files.readSymbolicLink(Path.of("/proc/self/root")).toString().equals("/"),
                "after " + after + " the engine's other threads left the host's root too: unshare CLONE_FS before chroot");
    }

    static void expect(boolean holds, String reason) {
        if (!holds) {
            throw new Failed(reason);
        }
    }

    private Engine engine;

    Engine engine() {
        if (engine == null) {
            Kernel.warmUp();
            engine = new Engine(new DataRoot(Path.of(System.getenv("JBOX_ROOT"))));
        }
        return engine;
    }

    private static RunRequest.Builder request(int chapter, String... command) {
        return RunRequest.image("busybox", command).chapter(chapter).network("none").autoRemove(true);
    }

    static Launch.Stdio devNull() {
        int fd = Kernel.open("/dev/null", Kernel.O_RDWR | Kernel.O_CLOEXEC, 0);
        return new Launch.Stdio(fd, fd, fd);
    }

    /** Runs a container with its output in a file, and returns that output. */
    private String run(int chapter, String... command) throws IOException {
        return run(request(chapter, command), c -> { });
    }

    /** Runs a container with its output in a file; {@code exited} sees it after its pid 1 exits, before the engine cleans up. */
    String run(RunRequest.Builder request, Consumer<CreatedContainer> exited) throws IOException {
        Path out = work.resolve("output");
        int fd = Kernel.open(out.toString(), Kernel.O_WRONLY | Kernel.O_CREAT | Kernel.O_TRUNC | Kernel.O_CLOEXEC, 0600);
        int in = Kernel.open("/dev/null", Kernel.O_RDONLY | Kernel.O_CLOEXEC, 0);
        try {
            CreatedContainer c = engine().create(request.stdio(new Launch.Stdio(in, fd, fd)).build());
            engine().start(c);
            try {
                c.process().waitFor();
                exited.accept(c);
            } finally {
                engine().ended(c);
            }
        } finally {
            Kernel.closeQuietly(fd);
            Kernel.closeQuietly(in);
        }
        return Files.readString(out, StandardCharsets.UTF_8);
    }

    private static void awaitExec(int pid, String command) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!Files.readString(Path.of("/proc/" + pid + "/comm")).strip().equals(command)) {
            expect(System.nanoTime() < deadline, "the container's pid 1 did not exec " + command + " within 10 s");
            Thread.sleep(5);
        }
    }
}
