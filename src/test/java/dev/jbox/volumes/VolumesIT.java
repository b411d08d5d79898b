package dev.jbox.volumes;

import static dev.jbox.network.NetTestSupport.sh;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jbox.DataRoot;
import dev.jbox.LockFile;
import dev.jbox.image.ConfigFile;
import dev.jbox.image.LayerWriter;
import dev.jbox.testing.ChapterCli;
import dev.jbox.testing.ChapterTest;
import dev.jbox.testing.Cli;
import dev.jbox.testing.TestImages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * Chapter 4's storage beside the layers, through the real launcher on the real kernel: bind
 * mounts, named and anonymous volumes, tmpfs, a read-only root, users; bad input refused with
 * nothing left; an image's symbolic links never lead a mount, a mount point or a volume's
 * first copy out of the container's root.
 */
class VolumesIT {
    @TempDir
    Path store;

    @TempDir
    Path host;

    /** run gets the chapter under test and no network (none is needed here). */
    private ChapterCli cli;

    @BeforeEach
    void cli() {
        cli = new ChapterCli(store, "--network", "none");
    }

    @AfterEach
    void cleanUp() {
        Cli.removeAll(store);
        assertThat(hostMounts()).as("mounts left on the host").isEmpty();
    }

    private Cli.Result ok(String... args) {
        return cli.ok(args);
    }

    private Cli.Result jbox(String... args) {
        return cli.jbox(args);
    }

    private List<String> hostMounts() {
        return ChapterCli.hostMounts(store, host);
    }

    private List<String> entries(String dir) {
        return cli.entries(dir);
    }

    private void image(String name, LayerWriter layer, UnaryOperator<ConfigFile.Config> config) {
        TestImages.busyboxPlus(store, name, config, layer);
    }

    @ChapterTest(since = 4)
    void aBindMountIsTheHostsDirectoryReadOnlyOrWritable(int chapter) throws IOException {
        cli.chapter(chapter);
        Files.writeString(host.resolve("f"), "from the host\n");
        assertThat(ok("run", "--rm", "-v", host + ":/mnt/h", "busybox", "sh", "-c", "cat /mnt/h/f; echo back > /mnt/h/g")
                .stdout()).isEqualTo("from the host\n");
        assertThat(Files.readString(host.resolve("g"))).isEqualTo("back\n");
        Cli.Result ro = jbox("run", "--rm", "-v", host + ":/mnt/h:ro", "busybox", "sh", "-c", "cat /mnt/h/f; echo x > /mnt/h/h");
        assertThat(ro.exitCode()).isNotZero();
        assertThat(ro.stdout()).isEqualTo("from the host\n");
        assertThat(ro.stderr()).contains("Read-only file system");
        assertThat(host.resolve("h")).doesNotExist();
        assertThat(ok("run", "--rm", "--mount", "type=bind,source=" + host.resolve("f") + ",target=/etc/f,readonly",
                "busybox", "cat", "/etc/f").stdout()).as("a file bound over a new file").isEqualTo("from the host\n");
    }

    @ChapterTest(since = 4)
    void aReadOnlyBindKeepsTheSourcesMountFlags(int chapter) throws Exception {
        cli.chapter(chapter);
        Path locked = Files.createDirectory(host.resolve("locked"));
        sh("mount", "-t", "tmpfs", "-o", "nosuid,nodev,noexec,noatime,size=1m", "jbox-test", locked.toString());
        try {
            String mounts = ok("run", "--rm", "-v", locked + ":/v:ro", "--mount", "type=bind,source=" + locked
                    + ",target=/m,readonly", "busybox", "grep", "-e", " /v ", "-e", " /m ", "/proc/self/mountinfo").stdout();
            List<String> lines = mounts.lines().toList();
            assertThat(lines).as(mounts).hasSize(2);
            for (String line : lines) {
                // mountinfo's sixth field: the mount's own options
                assertThat(List.of(line.split(" ")[5].split(","))).as(line)
                        .contains("ro", "nosuid", "nodev", "noexec", "noatime");
            }
        } finally {
            sh("umount", locked.toString());
        }
    }

    @ChapterTest(since = 4)
    void aNamedVolumeStartsWithTheImagesFilesAndOutlivesItsContainers(int chapter) throws IOException {
        cli.chapter(chapter);
        image("seeded", new LayerWriter(Instant.EPOCH).directory("data", 0750).file("data/seed", 0644, TestImages.utf8("from the image\n")),
                c -> c);
        assertThat(ok("run", "--rm", "-v", "db:/data", "seeded", "sh", "-c", "cat /data/seed; echo mine > /data/new").stdout())
                .isEqualTo("from the image\n");
        assertThat(ok("run", "--rm", "-v", "db:/elsewhere", "seeded", "cat", "/elsewhere/seed", "/elsewhere/new").stdout())
                .as("the second container sees the first one's writes").isEqualTo("from the image\nmine\n");
        ok("run", "--rm", "-v", "db:/data", "seeded", "rm", "/data/seed");
        assertThat(ok("run", "--rm", "-v", "db:/data", "seeded", "ls", "/data").stdout())
                .as("a volume that holds anything is never seeded again").isEqualTo("new\n");
        assertThat(ok("volume", "ls", "-q").stdout()).isEqualTo("db\n");
        assertThat(ok("volume", "inspect", "db").stdout()).contains(store.resolve("volumes/db/_data").toString());

        ok("run", "--name", "user", "-v", "db:/data", "seeded", "true");
        Cli.assertOneLineError(jbox("volume", "rm", "db"), "in use by container user");
        ok("rm", "user");
        ok("volume", "rm", "db");
        assertThat(entries("volumes")).isEmpty();
    }

    @ChapterTest(since = 4)
    void anonymousVolumesFromMinusVAndTheImageGoWithRunRm(int chapter) throws IOException {
        cli.chapter(chapter);
        image("declares", new LayerWriter(Instant.EPOCH).file("cache/warm", 0644, TestImages.utf8("warm\n")),
                c -> TestImages.with(c, null, Map.of("/cache", Map.of())));
        assertThat(ok("run", "--rm", "-v", "/scratch", "declares", "sh", "-c",
                "cat /cache/warm; mount | grep -c -e ' /cache ' -e ' /scratch '").stdout()).isEqualTo("warm\n2\n");
        assertThat(entries("volumes")).as("--rm removes the container's anonymous volumes").isEmpty();

        ok("run", "--name", "kept", "-v", "/scratch", "declares", "true");
        assertThat(entries("volumes")).hasSize(2);
        ok("rm", "kept");
        assertThat(entries("volumes")).as("plain rm keeps them, as docker rm without -v").hasSize(2);

        ok("run", "--name", "minus-v", "-v", "/scratch", "-v", "kept-named:/named", "declares", "true");
        ok("run", "--name", "also", "-v", "kept-named:/named", "busybox", "true");
        Cli.assertOneLineError(jbox("volume", "rm", "kept-named"), "volume kept-named is in use by containers minus-v, also");
        assertThat(entries("volumes")).as("two anonymous (/cache of the image, /scratch) and one named more").hasSize(5);
        ok("rm", "-v", "minus-v", "also");
        assertThat(entries("volumes")).as("rm -v takes the anonymous ones it made, as docker rm -v; named ones stay")
                .hasSize(3).contains("kept-named");
        ok("volume", "create", "named");
        ok("volume", "prune");
        assertThat(ok("volume", "ls", "-q").stdout()).as("prune takes unused anonymous volumes only").isEqualTo("kept-named\nnamed\n");
    }

    @ChapterTest(since = 4)
    void volumeRmAndARunThatMountsTheVolumeTakeItsLockInTurn(int chapter) throws Exception {
        cli.chapter(chapter);
        ok("volume", "create", "shared");
        Process rm;
        Process run;
        try (LockFile held = new VolumeStore(new DataRoot(store)).lock("shared")) {
            rm = start("volume", "rm", "shared");
            run = start("run", "--chapter", Integer.toString(chapter), "--network", "none", "--name", "user", "-v",
                    "shared:/data", "busybox", "true");
            assertThat(rm.waitFor(2, TimeUnit.SECONDS)).as("volume rm waits for the volume's lock").isFalse();
            assertThat(run.isAlive()).as("run waits for the volume's lock").isTrue();
        }
        assertThat(rm.waitFor(60, TimeUnit.SECONDS) && run.waitFor(60, TimeUnit.SECONDS)).isTrue();
        // Whichever went first, never both: a removed volume that the container still mounts
        boolean removedFirst = rm.exitValue() == 0;
        assertThat(run.exitValue()).isZero();
        assertThat(entries("volumes")).as("rm first: run makes it again; run first: rm is refused").containsExactly("shared");
        if (!removedFirst) {
            assertThat(new String(rm.getErrorStream().readAllBytes())).contains("in use by container user");
        }
    }

    private Process start(String... args) throws IOException {
        List<String> argv = new java.util.ArrayList<>(List.of(Cli.REPO.resolve("jbox").toString()));
        argv.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(argv).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().putAll(Cli.environment(store));
        return pb.start();
    }

    @ChapterTest(since = 4)
    void aReadOnlyRootKeepsItsTmpfsAndVolumesWritable(int chapter) {
        cli.chapter(chapter);
        Cli.Result r = jbox("run", "--rm", "--read-only", "--tmpfs", "/run:size=1m", "-v", "/vol", "busybox", "sh", "-c",
                "echo t > /run/t && echo v > /vol/v && cat /run/t /vol/v; touch /etc/x; grep ' /run ' /proc/mounts");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stdout()).startsWith("t\nv\ntmpfs /run tmpfs rw,nosuid,nodev,noexec,").contains("size=1024k");
        assertThat(r.stderr()).contains("Read-only file system");
        assertThat(ok("run", "--rm", "--mount", "type=tmpfs,target=/t,tmpfs-mode=700", "busybox", "stat", "-c", "%a", "/t")
                .stdout()).isEqualTo("700\n");
    }

    @ChapterTest(since = 4)
    void theUserComesFromTheImagesPasswdAndKeepsNoCapability(int chapter) {
        cli.chapter(chapter);
        image("users", new LayerWriter(Instant.EPOCH)
                        .file("etc/passwd", 0644, TestImages.utf8("root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000:App:/home/app:/bin/sh\n"))
                        .file("etc/group", 0644, TestImages.utf8("root:x:0:\napp:x:1000:\naudio:x:29:app\nvideo:x:44:app\n")),
                c -> TestImages.with(c, "app", null));
        assertThat(ok("run", "--rm", "users", "sh", "-c", "id; echo $HOME; grep CapEff /proc/self/status").stdout())
                .isEqualTo("uid=1000(app) gid=1000(app) groups=29(audio),44(video),1000(app)\n/home/app\nCapEff:\t0000000000000000\n");
        assertThat(ok("run", "--rm", "-u", "4242:44", "users", "id").stdout()).isEqualTo("uid=4242 gid=44(video) groups=44(video)\n");
        assertThat(ok("run", "--rm", "--user", "app:audio", "users", "id", "-g").stdout()).isEqualTo("29\n");
        assertThat(ok("run", "--rm", "-u", "0", "users", "sh", "-c", "id -u; grep CapEff /proc/self/status").stdout())
                .as("root keeps Docker's default capabilities").isEqualTo("0\nCapEff:\t00000000a80425fb\n");
        Cli.assertOneLineError(jbox("run", "--rm", "-u", "ghost", "users", "id"), "no user 'ghost' in the image's /etc/passwd");
        ok("run", "-d", "--name", "running", "users", "sleep", "600");
        assertThat(ok("exec", "running", "id", "-u").stdout()).as("exec runs as the container's user").isEqualTo("1000\n");
        assertThat(ok("exec", "-u", "root", "running", "id", "-u").stdout()).isEqualTo("0\n");
        ok("rm", "-f", "running");
    }

    @ChapterTest(since = 4)
    void aBadMountIsOneClearErrorAndLeavesNothing(int chapter) throws IOException {
        cli.chapter(chapter);
        Cli.assertOneLineError(jbox("run", "-v", host.resolve("missing") + ":/x", "busybox", "true"),
                "bind source path does not exist: " + host.resolve("missing"));
        Cli.assertOneLineError(jbox("run", "-v", "relative/dir:/x", "busybox", "true"), "relative host path");
        Cli.assertOneLineError(jbox("run", "-v", "/tmp:/x:rwx", "busybox", "true"), "unknown mode 'rwx'");
        Cli.assertOneLineError(jbox("run", "-v", "/anon", "-v", "named:/x", "--tmpfs", "/x", "busybox", "true"),
                "two mounts at /x");
        Cli.assertOneLineError(Cli.jbox(store, "run", "--chapter", "3", "-v", "/tmp:/x", "busybox", "true"),
                "--volume needs volumes and mounts, which chapter 4 brings");
        assertThat(entries("containers")).as("no container left").isEmpty();
        assertThat(entries("volumes")).as("no volume left").isEmpty();
        assertThat(hostMounts()).isEmpty();
    }

    @ChapterTest(since = 4)
    void theImagesSymbolicLinksNeverLeadAMountOutOfTheRoot(int chapter) throws IOException {
        cli.chapter(chapter);
        Path hostSide = Files.createDirectory(host.resolve("host-side"));
        Files.writeString(hostSide.resolve("secret"), "the host's\n");
        Path source = Files.createDirectory(host.resolve("source"));
        Files.writeString(source.resolve("marker"), "mounted\n");
        image("links", new LayerWriter(Instant.EPOCH).symlink("etc-link", "/etc")
                .directory("sub", 0755).symlink("sub/rel", "../etc").symlink("abs", hostSide.toString()), c -> c);

        assertThat(ok("run", "--rm", "-v", source + ":/etc-link/new", "-v", source + ":/sub/rel/other", "links", "sh", "-c",
                "cat /etc/new/marker /etc/other/marker").stdout())
                .as("links are followed inside the root: both mounts land in the root's /etc").isEqualTo("mounted\nmounted\n");
        Cli.Result escape = jbox("run", "--rm", "-v", source + ":/abs/made", "links", "true");
        assertThat(escape.exitCode()).as(escape.toString()).isEqualTo(125);
        assertThat(escape.stderr()).contains("dangling symbolic link");
        Cli.Result seed = jbox("run", "--rm", "-v", "copy:/abs", "links", "true");
        assertThat(seed.exitCode()).as(seed.toString()).isEqualTo(125);
        try (Stream<Path> s = Files.list(hostSide)) {
            assertThat(s.map(p -> p.getFileName().toString()).toList()).as("nothing made on the host").containsExactly("secret");
        }
        assertThat(entries("volumes/copy/_data")).as("the volume is seeded from the root, never from the host's directory")
                .isEmpty();
        assertThat(entries("containers")).isEmpty();
    }
}
