package dev.jbox.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jbox.testing.ChapterTest;
import dev.jbox.testing.Cli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/** Docker's verbs, through the real launcher, with no daemon between one command and the next. */
class LifecycleIT {
    @TempDir
    Path store;

    @AfterEach
    void cleanUp() {
        Cli.removeAll(store);
    }

    /** The chapter whose engine this test's {@code jbox run}s use (the lifecycle is chapter 2's). */
    private int chapter;

    private Cli.Result jbox(String... args) {
        if (args.length > 0 && args[0].equals("run")) {
            List<String> withChapter = new ArrayList<>(List.of("run", "--chapter", Integer.toString(chapter)));
            withChapter.addAll(List.of(args).subList(1, args.length));
            args = withChapter.toArray(String[]::new);
        }
        return Cli.jbox(store, args);
    }

    private Cli.Result ok(String... args) {
        return Cli.ok(store, args);
    }

    private void oneLineError(Cli.Result r, String fragment) {
        Cli.assertOneLineError(r, fragment);
    }

    private String status(String name) {
        return ok("ps", "-a").stdout().lines().filter(l -> l.endsWith(" " + name)).findFirst().orElse("(not listed)");
    }

    @ChapterTest(since = 2)
    void aDetachedContainerOutlivesTheCliAndKeepsItsOutputAndExitCode(int chapter) throws Exception {
        this.chapter = chapter;
        String id = ok("run", "-d", "--name", "counter", "busybox", "sh", "-c", "for i in 1 2 3; do echo line $i; done; sleep 3; exit 3").stdout().strip();
        assertThat(id).matches("[0-9a-f]{64}");
        assertThat(status("counter")).contains(id.substring(0, 12)).contains("Up");
        assertThat(ok("logs", "-f", "counter").stdout()).isEqualTo("line 1\nline 2\nline 3\n");
        assertThat(status("counter")).contains("Exited (3)");
        assertThat(ok("ps").stdout()).doesNotContain("counter");
        assertThat(ok("inspect", id.substring(0, 5)).stdout()).contains("\"ExitCode\" : 3").contains("\"Name\" : \"counter\"");
        ok("rm", "counter");
        assertThat(ok("ps", "-a").stdout()).doesNotContain("counter");
    }

    @ChapterTest(since = 2)
    void execJoinsEveryNamespaceAndShowsInTheContainersPs(int chapter) {
        this.chapter = chapter;
        ok("run", "-d", "--name", "box", "busybox", "sleep", "600");
        String ps = ok("exec", "box", "ps", "-o", "pid,comm").stdout();
        assertThat(ps).isEqualTo("PID   COMMAND\n    1 sleep\n    7 ps\n".replace("7", ps.lines().toList().get(2).strip().split(" ")[0]));
        assertThat(ps.lines()).hasSize(3);
        assertThat(ok("exec", "box", "hostname").stdout()).isEqualTo("box\n");
        assertThat(ok("exec", "-w", "/tmp", "-e", "X=1", "box", "sh", "-c", "echo $X $(pwd)").stdout()).isEqualTo("1 /tmp\n");
        String inspect = ok("inspect", "box").stdout();
        for (String ns : List.of("mnt", "pid", "uts", "ipc", "net", "cgroup")) {
            String inContainer = ok("exec", "box", "readlink", "/proc/self/ns/" + ns).stdout().strip();
            assertThat(inspect).as(ns).contains("\"" + ns + "\" : \"" + inContainer + "\"");
        }
        assertThat(jbox("exec", "box", "sh", "-c", "exit 4").exitCode()).isEqualTo(4);
        assertThat(jbox("exec", "box", "no-such-command").exitCode()).isEqualTo(127);
        ok("rm", "-f", "box");
    }

    @ChapterTest(since = 2)
    void stopSendsTermThenKillAndKillSendsWhatItIsTold(int chapter) {
        this.chapter = chapter;
        ok("run", "-d", "--name", "stubborn", "busybox", "sleep", "600");     // pid 1 ignores SIGTERM
        ok("run", "-d", "--name", "polite", "busybox", "sh", "-c", "trap 'exit 7' TERM; while true; do sleep 0.1; done");
        ok("run", "-d", "--init", "--name", "tini", "busybox", "sleep", "600"); // --init forwards TERM to sleep
        ok("stop", "-t", "1", "stubborn", "polite", "tini");
        assertThat(status("stubborn")).contains("Exited (137)");
        assertThat(status("polite")).contains("Exited (7)");
        assertThat(status("tini")).contains("Exited (143)");
        ok("run", "-d", "--name", "target", "busybox", "sh", "-c", "trap 'exit 10' USR1; while true; do sleep 0.1; done");
        ok("kill", "-s", "USR1", "target");
        ok("logs", "-f", "target");
        assertThat(status("target")).contains("Exited (10)");
    }

    @ChapterTest(since = 2)
    void anInitReapsTheZombiesThatAPlainPid1Leaves(int chapter) throws Exception {
        this.chapter = chapter;
        // An orphan inside a PID namespace is adopted by its pid 1; `sleep` as pid 1 never waits for it.
        for (String[] run : List.of(new String[] {"--name", "plain"}, new String[] {"--name", "tini", "--init"})) {
            List<String> args = new ArrayList<>(List.of("run", "-d"));
            args.addAll(List.of(run));
            args.addAll(List.of("busybox", "sleep", "600"));
            ok(args.toArray(String[]::new));
            ok("exec", run[1], "sh", "-c", "sleep 0.1 &");
            Thread.sleep(500);
        }
        String zombies = "ps -o stat,comm | grep -c '^Z'; true";
        assertThat(ok("exec", "plain", "sh", "-c", zombies).stdout().strip()).isEqualTo("1");
        assertThat(ok("exec", "tini", "sh", "-c", zombies).stdout().strip()).isEqualTo("0");
        ok("rm", "-f", "plain", "tini");
    }

    @ChapterTest(since = 2)
    void rmRefusesARunningContainerUnlessForcedAndRunRmCleansUp(int chapter) {
        this.chapter = chapter;
        ok("run", "-d", "--name", "busy", "busybox", "sleep", "600");
        oneLineError(jbox("rm", "busy"), "is running");
        ok("rm", "-f", "busy");
        ok("run", "--rm", "--name", "brief", "busybox", "true");
        assertThat(ok("ps", "-a").stdout()).doesNotContain("brief");
        ok("run", "-d", "--rm", "--name", "brief-detached", "busybox", "true");
        awaitStatus("brief-detached", "Exited", "(not listed)");
        assertThat(ok("ps", "-a").stdout()).doesNotContain("brief-detached");
    }

    @ChapterTest(since = 2)
    void badInputGetsOneLineAndLeavesNothing(int chapter) {
        this.chapter = chapter;
        ok("run", "-d", "--name", "taken", "busybox", "sleep", "600");
        oneLineError(jbox("run", "--name", "taken", "busybox", "true"), "already in use");
        oneLineError(jbox("run", "--name", "bad/name", "busybox", "true"), "invalid container name");
        for (String verb : List.of("exec", "stop", "logs", "rm", "kill", "inspect")) {
            List<String> args = new ArrayList<>(List.of(verb, "ghost"));
            if (verb.equals("exec")) {
                args.add("true");
            }
            oneLineError(jbox(args.toArray(String[]::new)), "no such container: 'ghost'");
        }
        ok("run", "--name", "done", "busybox", "true");
        oneLineError(jbox("exec", "done", "true"), "is not running");
        oneLineError(jbox("kill", "done"), "is not running");
        ok("stop", "done"); // stopping a stopped container is not an error, as with Docker
        Cli.Result missing = jbox("run", "--name", "nocmd", "busybox", "no-such-command");
        assertThat(missing.exitCode()).isEqualTo(127);
        assertThat(missing.stderr()).contains("executable file not found");
        assertThat(ok("ps", "-a").stdout()).doesNotContain("nocmd");
        oneLineError(jbox("run", "-d", "-t", "busybox", "true"), "-d with -t");
        oneLineError(jbox("run", "--namespaces", "pid,time", "busybox", "true"), "unknown namespace 'time'");
        oneLineError(jbox("kill", "-s", "NOPE", "taken"), "unknown signal");
        ok("rm", "-f", "taken");
    }

    @ChapterTest(since = 2)
    void idsResolveByUniquePrefix(int chapter) {
        this.chapter = chapter;
        String a = ok("run", "-d", "busybox", "sleep", "600").stdout().strip();
        assertThat(ok("exec", a.substring(0, 6), "true").exitCode()).isZero();
        assertThat(ok("inspect", a).stdout()).contains(a);
        oneLineError(jbox("exec", "", "true"), "no such container");
        ok("rm", "-f", a);
    }

    @ChapterTest(since = 2)
    void killingTheEngineMidRunLeavesNoGhostAndNothingRunning(int chapter) throws Exception {
        this.chapter = chapter;
        for (int i = 0; i < 8; i++) {
            ProcessBuilder pb = new ProcessBuilder(Cli.REPO.resolve("jbox").toString(), "run", "--name", "cut" + i,
                    "busybox", "sleep", "0.5").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
            pb.environment().putAll(Cli.environment(store));
            Process cli = pb.start();
            Thread.sleep(150 + 60L * i); // from before the JVM is up to after the container started
            List<ProcessHandle> tree = new ArrayList<>(cli.descendants().toList());
            tree.add(cli.toHandle());
            for (ProcessHandle h : tree) {
                if (h.info().command().orElse("").endsWith("java")) {
                    h.destroyForcibly();
                }
            }
            cli.waitFor(30, TimeUnit.SECONDS);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (ok("ps", "-q").stdout().strip().length() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(ok("ps").stdout().lines()).as("still running long after every container should have ended").hasSize(1);
        for (String line : ok("ps", "-a").stdout().lines().skip(1).toList()) {
            assertThat(line).containsAnyOf("Exited (0)", "Exited (125)", "Dead");
        }
        // rm takes what is left, and with it any mount a killed engine left on the host (chapter 4's overlay).
        List<String> ids = ok("ps", "-aq").stdout().lines().toList();
        if (!ids.isEmpty()) {
            List<String> rm = new ArrayList<>(List.of("rm", "-f"));
            rm.addAll(ids);
            ok(rm.toArray(String[]::new));
        }
        assertThat(Files.readString(Path.of("/proc/self/mountinfo"))).doesNotContain(store.toString());
        try (var left = Files.list(store.resolve("containers"))) {
            assertThat(left.filter(Files::isDirectory).toList()).isEmpty();
        }
    }

    private void awaitStatus(String name, String... any) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            String s = status(name);
            for (String a : any) {
                if (s.contains(a)) {
                    return;
                }
            }
            assertThat(System.nanoTime()).as(name + " is " + s).isLessThan(deadline);
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }

    static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return "";
        }
    }

    static Map<String, String> env() {
        return Map.of();
    }
}
