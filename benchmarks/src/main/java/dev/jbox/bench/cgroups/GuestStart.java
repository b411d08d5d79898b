package dev.jbox.bench.cgroups;

import dev.jbox.bench.Json;
import dev.jbox.bench.vm.VmResults;
import dev.jbox.vm.GuestTests;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The start pairs on cgroup v2: this machine mounts v1, so they run in the QEMU guest that the
 * v2 tests use (the host's root shared read-only, cgroup2 mounted as systemd does, DESIGN.md
 * section 3), in one JVM there, which prints each start on the console as {@link #PREFIX} lines.
 * Under TCG the guest's instructions are emulated: its times measure the emulator, and only the
 * ratio of chapter 3 to chapter 2 inside the same guest says something about v2.
 */
final class GuestStart {
    static final String PREFIX = "jbox-bench-start ";
    private static final Duration TIMEOUT = Duration.ofMinutes(10);

    private GuestStart() {
    }

    /** Runs the pairs in the guest; a guest that cannot run gives the reason instead of figures. */
    static CgroupResults.Guest measure(int warmup, int pairs, String accel, Path accelFrom) throws IOException {
        // The accelerator the VM baseline chose in this run, if given: no second KVM probe.
        System.setProperty("jbox.vm.accel", accelFrom != null && Files.exists(accelFrom)
                ? Json.read(accelFrom, VmResults.class).accelerator() : accel);
        List<String> main = List.of(CgroupBench.class.getName(), "--start-only", "--pairs", Integer.toString(pairs),
                "--warmup", Integer.toString(warmup), "--out", "/dev/null");
        GuestTests.Result result = GuestTests.runJava(main, TIMEOUT);
        String accelerator = result.accelerator().name();
        CgroupResults.Start start = parse(result.console(), warmup);
        return new CgroupResults.Guest("v2", accelerator, String.format(Locale.ROOT, "QEMU -M q35, %s, 2 vCPUs, 1024 MiB,"
                + " cgroup v2 only, the host's root over virtio-9p; %s", accelerator.toUpperCase(Locale.ROOT),
                result.accelerator().note()), start);
    }

    /** The start lines a guest printed: "jbox-bench-start CHAPTER MS", in pairs. */
    static CgroupResults.Start parse(List<String> console, int warmup) {
        List<Double> two = new ArrayList<>(), three = new ArrayList<>();
        for (String line : console) {
            int at = line.indexOf(PREFIX);
            if (at < 0) {
                continue;
            }
            String[] w = line.substring(at + PREFIX.length()).strip().split(" ");
            if (w.length != 2 || !(w[0].equals("2") || w[0].equals("3"))) {
                throw new IllegalArgumentException("cannot read the guest's start line '" + line + "'");
            }
            (w[0].equals("2") ? two : three).add(Double.parseDouble(w[1]));
        }
        if (two.isEmpty() || two.size() != three.size()) {
            throw new IllegalArgumentException("the guest printed " + two.size() + " chapter-2 and " + three.size()
                    + " chapter-3 starts; pairs were expected (its console is above)");
        }
        return new CgroupResults.Start(warmup, two, three);
    }
}
