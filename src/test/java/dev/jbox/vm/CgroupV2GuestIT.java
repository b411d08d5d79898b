package dev.jbox.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The cgroup-v2 tests, every test class whose name ends in {@code V2IT}, run in a QEMU guest that
 * mounts pure cgroup v2 ({@link GuestTests}), since this machine mounts v1 and the course VM and
 * most readers' machines run v2. On the host they skip; in the guest every one must run and pass.
 * Skipped only where QEMU cannot run the guest.
 */
class CgroupV2GuestIT {
    private static final String SUFFIX = "V2IT";
    /** Under TCG a JVM is slow to warm up; the tests themselves measure for seconds each. */
    private static final Duration TIMEOUT = Duration.ofMinutes(Long.getLong("jbox.vm.timeout.minutes", 20));
    private static final int CONSOLE_TAIL = 40;

    @Test
    void everyV2TestPassesInAPureCgroupV2Guest() throws IOException, URISyntaxException {
        Path testClasses = Path.of(CgroupV2GuestIT.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> classes = v2TestClasses(testClasses);
        assertThat(classes).as("the *" + SUFFIX + " classes in " + testClasses).contains(CgroupV2SmokeV2IT.class.getName());
        assumeTrue(Qemu.isInstalled(), "no QEMU here (" + Qemu.BINARY + " is not installed; vm/provision.sh --test"
                + " installs it), so the cgroup-v2 tests cannot run in a guest");
        assumeTrue("amd64".equals(System.getProperty("os.arch")), "the guest is an x86_64 Debian kernel and this machine is "
                + System.getProperty("os.arch") + ", so the cgroup-v2 tests cannot run in a guest");

        long start = System.nanoTime();
        GuestTests.Result run = GuestTests.run(classes, TIMEOUT);
        BootResult boot = run.boot();
        System.out.printf(Locale.ROOT, "guest: %s, %d MiB, %d vCPUs: up %.1f s, test JVM %.1f s, QEMU exit %.1f s;"
                        + " %.1f s in all (kernel cache and KVM probe included); QEMU peak RSS %.0f MiB%n",
                run.accelerator().name().toUpperCase(Locale.ROOT), GuestTests.MEMORY_MIB, GuestTests.CPUS,
                boot.upMs() / 1000, boot.commandMs() == null ? Double.NaN : boot.commandMs() / 1000, boot.exitMs() / 1000,
                (System.nanoTime() - start) / 1e9, boot.peakRssMiB());

        GuestReport report = run.report();
        assertThat(report).as("the guest's test JVM wrote no report (exit %s); the guest printed at the end:%n%s",
                boot.commandExit(), tail(run.console())).isNotNull();
        List<GuestReport.Outcome> notPassed = report.notPassed();
        if (!notPassed.isEmpty()) {
            fail(notPassed.size() + " of the cgroup-v2 tests did not pass in the guest (" + run.accelerator().name()
                    + "); a skip counts, since the guest is a pure v2 machine:\n"
                    + notPassed.stream().map(o -> o.status() + " " + o.test() + ": " + o.message())
                    .collect(Collectors.joining("\n")));
        }
        for (String testClass : classes) {
            assertThat(report.passedIn(testClass)).as(testClass + " ran no test in the guest").isTrue();
        }
        assertThat(boot.commandExit()).as("the guest's test JVM's exit status").isZero();
    }

    /** Every top-level class below {@code testClasses} whose name ends in V2IT. */
    static List<String> v2TestClasses(Path testClasses) throws IOException {
        try (Stream<Path> files = Files.walk(testClasses)) {
            return files.map(f -> testClasses.relativize(f).toString())
                    .filter(f -> f.endsWith(SUFFIX + ".class") && !f.contains("$"))
                    .map(f -> f.substring(0, f.length() - ".class".length()).replace('/', '.'))
                    .sorted().toList();
        }
    }

    private static String tail(List<String> lines) {
        return String.join("\n", lines.subList(Math.max(0, lines.size() - CONSOLE_TAIL), lines.size()));
    }
}
