package dev.jbox.vm;

import dev.jbox.FileTrees;
import dev.jbox.Json;
import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Runs JUnit test classes in a QEMU guest that mounts pure cgroup v2, as the course VM and most
 * readers' machines do (this machine mounts v1; DESIGN.md section 3): one boot, one JVM.
 *
 * <p>The guest shares the host's root read-only over virtio-9p, prepares it as a machine (its
 * own /proc, /sys and /dev; cgroup2 at /sys/fs/cgroup; tmpfs where programs write, and a scratch
 * disk at /var/tmp) and chroots into it, so it runs the host's {@code java} on the host's
 * compiled classes and Maven's jars.
 * The test JVM ({@link GuestTestRunner}) writes its {@link GuestReport} to a second, writable
 * 9p share: a directory of the host that is removed afterwards.
 */
public final class GuestTests {
    /** Shared with the benchmarks (benchmarks/vm --cache), so Debian's kernel is downloaded once. */
    public static final Path CACHE = Path.of(System.getProperty("jbox.vm.cache", "/var/cache/jbox-bench"));
    /** Enough for a JVM (its default heap is a quarter) and the tests' cgroups, modest on the host. */
    static final int MEMORY_MIB = 1024;
    /** Two: the JVM compiles and collects beside the test, and cpuset/shares tests have a CPU to pin. */
    static final int CPUS = Integer.getInteger("jbox.vm.cpus", 2);
    private static final String OUT_TAG = "jboxout";
    /** Where the writable share is, inside the chroot. */
    private static final String GUEST_OUT = "/tmp/jbox-guest-out";
    /** Directories programs write to, each a tmpfs in the guest (the host's root is read-only there). */
    private static final List<String> SCRATCH = List.of("/tmp", "/root", "/run");
    /**
     * A directory on a block device, for tests that need one (an io.max throttle, O_DIRECT): ext4
     * on a virtio disk, a sparse file of the host.
     */
    private static final String DISK_DIR = "/var/tmp";
    private static final long DISK_BYTES = 2L << 30;
    /**
     * What the guest needs for the disk (crc32c is ext4's checksum, a soft dependency depends= does
     * not name), and overlayfs for the layer tests that run on the course VM's kernel (OverlayOn61IT).
     */
    private static final List<String> MODULES = List.of("virtio_blk", "crc32c_generic", "ext4", "overlay");
    /** The cgroup the test JVM runs in: like a systemd machine, the root holds no processes of its own. */
    static final String TEST_CGROUP = "jbox-tests.scope";
    /** The controllers systemd enables at the root of a v2 machine. */
    private static final String ROOT_CONTROLLERS = "+cpuset +cpu +io +memory +pids";

    /**
     * @param boot    the boot, timed: up is the guest's setup done, command is the test JVM's whole run
     * @param report  what the test JVM wrote, or null if it wrote nothing (it did not start, or crashed)
     * @param console the lines the guest printed while the tests ran
     */
    public record Result(Accelerator accelerator, BootResult boot, GuestReport report, List<String> console) {
    }

    private GuestTests() {
    }

    /**
     * Boots the guest, runs {@code testClasses} (fully qualified names) in its one JVM, and returns
     * what it reported; QEMU is gone and the files made for it removed when this returns or throws.
     */
    public static Result run(List<String> testClasses, Duration timeout) throws IOException {
        List<String> main = new ArrayList<>(List.of(GuestTestRunner.class.getName(), GUEST_OUT + "/report.json"));
        main.addAll(testClasses);
        return runJava(main, timeout);
    }

    /**
     * Boots the guest and runs {@code main} (a main class and its arguments) in its one JVM, as
     * {@link #run} runs the tests: for the benchmarks, which print their figures on the console.
     * The result's report is null unless the program wrote one to {@code /tmp/jbox-guest-out/report.json}.
     */
    public static Result runJava(List<String> main, Duration timeout) throws IOException {
        Qemu.requireInstalled();
        try {
            Files.createDirectories(CACHE);
        } catch (IOException e) {
            throw new VmException("cannot create the guest kernel's cache " + CACHE + ": " + e.getMessage()
                    + "; run as root, or pick another with -Djbox.vm.cache=DIR");
        }
        GuestKernel kernel = GuestKernel.prepare(CACHE);
        Path work = Files.createTempDirectory("jbox-guest-");
        // A JVM stopped from outside (a test run's timeout, Ctrl-C) unwinds no finally block.
        Thread remover = new Thread(() -> FileTrees.delete(work), "jbox-guest-cleanup");
        Runtime.getRuntime().addShutdownHook(remover);
        try {
            Path out = Files.createDirectory(work.resolve("out"));
            Accelerator accelerator = Accelerator.choose(System.getProperty("jbox.vm.accel", "auto"), kernel,
                    Guest.bootInitramfs(work), MEMORY_MIB);
            System.out.println("guest: accelerator " + accelerator.name().toUpperCase() + " (" + accelerator.note() + ")");
            List<String> classPath = classPath();
            System.out.println("guest: test class path of " + classPath.size() + " entries, from "
                    + (System.getProperty("surefire.test.class.path") != null ? "surefire.test.class.path" : "java.class.path")
                    + ", starting " + classPath.subList(0, Math.min(3, classPath.size())));
            Path repo = Path.of("").toAbsolutePath();
            Set<String> needed = new LinkedHashSet<>(classPath);
            needed.add(repo.toString());
            needed.add(System.getProperty("java.home"));
            List<String> qemuArgs = new ArrayList<>(Qemu.share(out, OUT_TAG, false));
            // cache=unsafe: a scratch disk, thrown away after; the host's page cache may keep it.
            qemuArgs.addAll(List.of("-drive", "file=" + scratchDisk(work) + ",format=raw,if=virtio,cache=unsafe"));
            GuestExtras extras = new GuestExtras(Map.of(), MODULES, setup(needed), qemuArgs);
            Path initramfs = Guest.execInitramfs(work, kernel, command(repo, classPath, main, timeout), true, extras);
            List<String> qemu = Qemu.command(new VmConfig("q35", VmConfig.KernelImage.VMLINUX), accelerator.name(), kernel,
                    initramfs, MEMORY_MIB, CPUS, true, extras.qemuArgs());
            List<String> console = new ArrayList<>();
            BootResult boot = Boot.run(qemu, timeout, line -> {
                console.add(line);
                System.out.println("guest: " + line);
            });
            Path reportFile = out.resolve("report.json");
            GuestReport report = Files.exists(reportFile) ? Json.read(reportFile, GuestReport.class) : null;
            return new Result(accelerator, boot, report, console);
        } finally {
            FileTrees.delete(work);
            Runtime.getRuntime().removeShutdownHook(remover);
        }
    }

    /** An empty ext4 file system in a sparse file, made in full now so the guest does not finish it while tests time IO. */
    private static Path scratchDisk(Path work) throws IOException {
        Path disk = work.resolve("scratch.img");
        try (RandomAccessFile file = new RandomAccessFile(disk.toFile(), "rw")) {
            file.setLength(DISK_BYTES);
        }
        try {
            HostCommands.output(null, List.of("mkfs.ext4", "-q", "-F", "-E", "lazy_itable_init=0,lazy_journal_init=0",
                    disk.toString()));
        } catch (VmException e) {
            throw new VmException("cannot make the guest's scratch disk (" + e.getMessage() + "); mkfs.ext4 is in e2fsprogs:"
                    + " apt-get install e2fsprogs");
        }
        return disk;
    }

    /**
     * The test class path as the build gave it: failsafe and surefire start the test JVM with a
     * manifest-only jar and put the real class path in {@code surefire.test.class.path}.
     */
    static List<String> classPath() {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        return Stream.of(cp.split(File.pathSeparator)).filter(e -> !e.isBlank())
                .map(e -> Path.of(e).toAbsolutePath().normalize()).filter(Files::exists).map(Path::toString).toList();
    }

    /**
     * The guest's command: the test JVM, in the host's root, in the repository, with a clean
     * environment. The guest keeps the deadline too, so it stops even if this JVM is killed
     * (SIGKILL runs no shutdown hook) and nobody is left to kill QEMU.
     */
    static List<String> command(Path repo, List<String> classPath, List<String> main, Duration timeout) {
        List<String> jvm = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // Serial GC and C1: fewer threads and less compiling, which an emulated CPU pays dearly for.
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Djava.io.tmpdir=/tmp"));
        String logging = System.getProperty("java.util.logging.config.file");
        if (logging != null) {
            jvm.add("-Djava.util.logging.config.file=" + logging);
        }
        jvm.addAll(List.of("-cp", String.join(File.pathSeparator, classPath)));
        jvm.addAll(main);
        return List.of("timeout", "-s", "KILL", Long.toString(timeout.toSeconds()), "chroot", "/host", "/usr/bin/env", "-i",
                "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "HOME=/root", "TMPDIR=/tmp",
                "LANG=C.UTF-8", "JBOX_ROOT=/tmp/jbox-store",
                "/bin/sh", "-c", "cd " + Guest.shellWords(List.of(repo.toString())) + " && exec " + Guest.shellWords(jvm));
    }

    /**
     * What the guest's init does before the tests (DESIGN.md section 3): the host's root at /host
     * made a machine to chroot into, with cgroup v2 as a systemd machine has it. Any step that
     * fails stops the guest with a line saying which.
     */
    static List<String> setup(Set<String> needed) {
        List<String> lines = new ArrayList<>(List.of(
                "fail() { echo \"jbox-vm: guest setup failed: $*\"; exec /bin/busybox reboot -f; }",
                "dmesg -n 1", // the kernel's OOM reports would otherwise interleave with the tests' lines
                "mkdir -p /dev/pts /dev/shm && mount -t devpts devpts /dev/pts && mount -t tmpfs tmpfs /dev/shm || fail /dev",
                "ip link set lo up || fail loopback",
                "mount --bind /proc /host/proc || fail /proc",
                "mount --bind /sys /host/sys || fail /sys",
                "mount --rbind /dev /host/dev || fail /dev",
                // The options systemd mounts cgroup2 with.
                "mount -t cgroup2 -o nsdelegate,memory_recursiveprot cgroup2 /host/sys/fs/cgroup || fail cgroup2",
                "echo '" + ROOT_CONTROLLERS + "' > /host/sys/fs/cgroup/cgroup.subtree_control || fail controllers",
                "mkdir /host/sys/fs/cgroup/" + TEST_CGROUP + " && echo $$ > /host/sys/fs/cgroup/" + TEST_CGROUP
                        + "/cgroup.procs || fail " + TEST_CGROUP));
        // A tmpfs over /root would hide ~/.m2 (the class path), so what the tests need from under a
        // covered directory is bind-mounted aside first and moved back on top of what covers it.
        List<String> kept = kept(needed);
        for (int i = 0; i < kept.size(); i++) {
            lines.add("mkdir -p /keep/" + i + " && mount --bind /host" + kept.get(i) + " /keep/" + i + " || fail " + kept.get(i));
        }
        for (String dir : SCRATCH) {
            if (Files.isDirectory(Path.of(dir)) && !needed.contains(dir)) {
                lines.add("mount -t tmpfs -o mode=" + (dir.equals("/root") ? "0700" : dir.equals("/run") ? "0755" : "1777")
                        + " tmpfs /host" + dir + " || fail " + dir);
            }
        }
        lines.add("i=0; while [ ! -b /dev/vda ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done"); // the disk's driver probes it in the background
        lines.add("mount -t ext4 /dev/vda /host" + DISK_DIR + " && chmod 1777 /host" + DISK_DIR + " || fail " + DISK_DIR);
        for (int i = 0; i < kept.size(); i++) {
            lines.add("mkdir -p /host" + kept.get(i) + " && mount --move /keep/" + i + " /host" + kept.get(i) + " || fail " + kept.get(i));
        }
        lines.add("mkdir -p /host" + GUEST_OUT + " && " + Guest.mount9p(OUT_TAG, "/host" + GUEST_OUT, false) + " || fail " + GUEST_OUT);
        return lines;
    }

    /** For each path the tests need below a covered directory, that directory's child holding it (e.g. /root/.m2). */
    static List<String> kept(Set<String> needed) {
        List<String> covered = new ArrayList<>(SCRATCH);
        covered.add(DISK_DIR);
        Set<String> kept = new LinkedHashSet<>();
        for (String path : needed) {
            for (String dir : covered) {
                Path p = Path.of(path);
                if (p.startsWith(dir) && !p.equals(Path.of(dir))) {
                    kept.add(Path.of(dir).resolve(Path.of(dir).relativize(p).getName(0)).toString());
                }
            }
        }
        return List.copyOf(kept);
    }
}
