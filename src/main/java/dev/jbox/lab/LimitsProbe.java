package dev.jbox.lab;

import static dev.jbox.lab.LabProbe.expect;

import dev.jbox.JboxException;
import dev.jbox.cgroups.CgroupManager;
import dev.jbox.cgroups.CgroupVersion;
import dev.jbox.cgroups.CgroupsFeature;
import dev.jbox.cgroups.Machine;
import dev.jbox.cgroups.ResourceFlags;
import dev.jbox.cgroups.Resources;
import dev.jbox.cgroups.V1Limits;
import dev.jbox.cgroups.V2Limits;
import dev.jbox.engine.CreatedContainer;
import dev.jbox.engine.RunRequest;
import dev.jbox.kernel.Kernel;
import dev.jbox.runtime.Launch;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.StringJoiner;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Chapter 3's checks: the student's translation of Docker's limits into one cgroup version's
 * files, called on random values and compared with what the kernel wants; then, where the
 * machine mounts that version, containers run through the engine built with it, with limits
 * random per run: the files read back, an update that raises memory and swap, a memory hog
 * killed at its limit and a fork loop stopped at the pids limit.
 */
final class LimitsProbe {
    private static final long MIB = 1 << 20;
    /** What v1's memory.limit_in_bytes reads with no limit (2^63 rounded down to a page). */
    private static final long V1_UNLIMITED = 9223372036854771712L;

    private final LabProbe probe;
    private final Random random = new SecureRandom();

    LimitsProbe(LabProbe probe) {
        this.probe = probe;
    }

    // Chapter 3, exercise 1.
    void v1() throws IOException {
        long mem = mib(16, 256), swap = mem + mib(1, 256), reservation = mib(1, 15);
        v1Case(memory(mem, reservation, swap), V1_UNLIMITED, V1_UNLIMITED, Map.of("memory.limit_in_bytes", mem,
                "memory.memsw.limit_in_bytes", swap, "memory.soft_limit_in_bytes", reservation));
        long bigger = swap + mib(1, 64);
        v1Case(memory(bigger, null, bigger), mem, swap, Map.of("memory.limit_in_bytes", bigger, "memory.memsw.limit_in_bytes", bigger));
        v1Case(memory(mem / 2, null, mem / 2), mem, swap, Map.of("memory.limit_in_bytes", mem / 2, "memory.memsw.limit_in_bytes", mem / 2));
        v1Case(memory(mem, null, -1L), mem / 2, mem / 2, Map.of("memory.limit_in_bytes", mem, "memory.memsw.limit_in_bytes", -1L));
        v1Case(memory(-1L, null, -1L), mem, swap, Map.of("memory.limit_in_bytes", -1L, "memory.memsw.limit_in_bytes", -1L));
        v1Case(memory(null, null, bigger), mem, mem, Map.of("memory.memsw.limit_in_bytes", bigger));
        long shares = 2 + random.nextInt(4000), period = 1000 + random.nextInt(999_000), quota = period + 1 + random.nextInt(999_000);
        v1Case(cpu(shares, quota, period), Map.of("cpu.shares", "" + shares, "cpu.cfs_period_us", "" + period,
                "cpu.cfs_quota_us", "" + quota));
        v1Case(cpu(null, -1L, null), Map.of("cpu.cfs_quota_us", "-1"));
        pidsCases("V1Limits.files", r -> V1Limits.files(r, V1_UNLIMITED));
        onTheKernel(CgroupVersion.V1, "V1Limits");
    }

    // Chapter 3, exercise 2.
    void v2() throws IOException {
        long mem = mib(16, 256), swap = mem + mib(1, 256), reservation = mib(1, 15), now = mib(16, 256);
        v2Case(memory(mem, reservation, swap), -1, Map.of("memory.max", "" + mem, "memory.swap.max", "" + (swap - mem),
                "memory.low", "" + reservation));
        v2Case(memory(mem, null, mem), -1, Map.of("memory.max", "" + mem, "memory.swap.max", "0"));
        v2Case(memory(-1L, -1L, -1L), mem, Map.of("memory.max", "max", "memory.swap.max", "max", "memory.low", "max"));
        v2Case(memory(null, null, now + swap), now, Map.of("memory.swap.max", "" + swap));
        Resources swapAlone = memory(null, null, swap);
        Map<String, String> got;
        try {
            got = V2Limits.files(swapAlone, -1);
        } catch (JboxException right) {
            got = null;
        } catch (RuntimeException e) {
            throw new LabProbe.Failed("V2Limits.files(" + describe(swapAlone) + ", memory.max now max) threw " + e
                    + "\nexpected a JboxException: with no memory limit there is nothing to subtract from memory plus swap");
        }
        expect(got == null, "V2Limits.files(" + describe(swapAlone) + ", memory.max now max) is " + got
                + "\nwith no memory limit there is nothing to subtract from memory plus swap: throw a JboxException");
        long shares = 2 + random.nextInt(262_143);
        for (long s : new long[] {shares, 1024, 2, 1, 262_144, 1_000_000}) {
            long clamped = Math.max(2, Math.min(s, 262_144));
            v2Case(cpu(s, null, null), -1, Map.of("cpu.weight", "" + (1 + (clamped - 2) * 9999 / 262_142)));
        }
        long period = 1000 + random.nextInt(999_000), quota = period + 1 + random.nextInt(999_000);
        v2Case(cpu(null, quota, period), -1, Map.of("cpu.max", quota + " " + period));
        v2Case(cpu(null, -1L, period), -1, Map.of("cpu.max", "max " + period));
        v2Case(cpu(null, null, period), -1, Map.of("cpu.max", "max " + period));
        v2Case(cpu(null, quota, null), -1, Map.of("cpu.max", "" + quota));
        pidsCases("V2Limits.files", r -> V2Limits.files(r, -1));
        onTheKernel(CgroupVersion.V2, "V2Limits");
    }

    private void v1Case(Resources r, Map<String, String> expected) {
        same("V1Limits.files", r, null, call(() -> V1Limits.files(r, V1_UNLIMITED), "V1Limits.files", r), expected);
    }

    private void v2Case(Resources r, long memoryMax, Map<String, String> expected) {
        same("V2Limits.files", r, memoryMax, call(() -> V2Limits.files(r, memoryMax), "V2Limits.files", r), expected);
    }

    /**
     * Checks the values, and that the writes in the order given keep memory.memsw.limit_in_bytes at
     * or above memory.limit_in_bytes at every step, as v1's kernel insists (EINVAL otherwise).
     */
    private void v1Case(Resources r, long limitNow, long memswNow, Map<String, Long> expected) {
        Map<String, String> got = call(() -> V1Limits.files(r, limitNow), "V1Limits.files", r);
        Map<String, String> want = new LinkedHashMap<>();
        expected.forEach((k, v) -> want.put(k, v.toString()));
        same("V1Limits.files", r, limitNow, got, want);
        long limit = limitNow, memsw = memswNow;
        List<String> order = new ArrayList<>();
        for (var e : got.entrySet()) {
            if (e.getKey().equals("memory.limit_in_bytes")) {
                limit = Long.parseLong(e.getValue());
            } else if (e.getKey().equals("memory.memsw.limit_in_bytes")) {
                memsw = Long.parseLong(e.getValue());
            } else {
                continue;
            }
            order.add(e.getKey() + "=" + e.getValue());
            expect(unlimited(memsw) >= unlimited(limit), "V1Limits.files(" + describe(r) + ", now " + limitNow + ") writes "
                    + String.join(", then ", order)
                    + "\nwith memsw at " + memswNow + " now, the kernel refuses that (EINVAL): memsw may never be below the memory"
                    + " limit; write first the one that grows");
        }
    }

    private static long unlimited(long v1Value) {
        return v1Value == -1 ? Long.MAX_VALUE : v1Value;
    }

    interface Translation {
        Map<String, String> files(Resources r);
    }

    private void pidsCases(String method, Translation t) {
        long limit = 1 + random.nextInt(100_000);
        for (long l : new long[] {limit, 0, -1}) {
            Resources r = new Resources(null, null, new Resources.Pids(l), null, null);
            same(method, r, null, call(() -> t.files(r), method, r), Map.of("pids.max", l > 0 ? "" + l : "max"));
        }
        same(method, Resources.NONE, null, call(() -> t.files(Resources.NONE), method, Resources.NONE), Map.of());
    }

    private static Map<String, String> call(java.util.function.Supplier<Map<String, String>> files, String method, Resources r) {
        try {
            Map<String, String> got = files.get();
            expect(got != null, method + "(" + describe(r) + ") returned null");
            return got;
        } catch (RuntimeException e) {
            throw new LabProbe.Failed(method + "(" + describe(r) + ") threw " + e);
        }
    }

    /** Fails on the first file that is missing, extra or wrong, naming it; {@code now} is the second argument, if it matters. */
    private static void same(String method, Resources r, Long now, Map<String, String> got, Map<String, String> expected) {
        String call = method + "(" + describe(r) + (now == null || now == -1 || now == V1_UNLIMITED ? "" : ", now " + now) + ")";
        for (var e : new java.util.TreeMap<>(expected).entrySet()) {
            expect(got.containsKey(e.getKey()), call + " has no " + e.getKey() + "; expected " + e.getKey() + "=" + e.getValue());
            expect(e.getValue().equals(got.get(e.getKey())), call + " writes " + e.getKey() + "=" + got.get(e.getKey())
                    + ", expected " + e.getValue());
        }
        for (String file : got.keySet()) {
            expect(expected.containsKey(file), call + " writes " + file + "=" + got.get(file) + ", which these limits do not set");
        }
    }

    /** The fields set, e.g. {@code memory.limit=33554432 memory.swap=67108864}. */
    private static String describe(Resources r) {
        StringJoiner out = new StringJoiner(" ");
        out.setEmptyValue("no limits");
        if (r.memory() != null) {
            field(out, "memory.limit", r.memory().limit());
            field(out, "memory.reservation", r.memory().reservation());
            field(out, "memory.swap", r.memory().swap());
        }
        if (r.cpu() != null) {
            field(out, "cpu.shares", r.cpu().shares());
            field(out, "cpu.quota", r.cpu().quota());
            field(out, "cpu.period", r.cpu().period());
        }
        if (r.pids() != null) {
            field(out, "pids.limit", r.pids().limit());
        }
        return out.toString();
    }

    private static void field(StringJoiner out, String name, Long value) {
        if (value != null) {
            out.add(name + "=" + value);
        }
    }

    private static Resources memory(Long limit, Long reservation, Long swap) {
        return new Resources(new Resources.Memory(limit, reservation, swap, null), null, null, null, null);
    }

    private static Resources cpu(Long shares, Long quota, Long period) {
        return new Resources(null, new Resources.Cpu(shares, quota, period, null, null), null, null, null);
    }

    private long mib(int from, int to) {
        return (from + random.nextInt(to - from + 1)) * MIB;
    }

    /**
     * Containers through the engine with random limits, where the machine mounts {@code version}:
     * the files read back as they should, an update raises memory and swap, a memory hog dies at
     * its limit and a fork loop stops at the pids limit.
     */
    private void onTheKernel(CgroupVersion version, String className) throws IOException {
        Machine machine = Machine.current();
        if (machine.version() != version) {
            System.out.println("note: ran no container: this machine mounts cgroup " + machine.version().name().toLowerCase()
                    + ", so " + className + " was checked on its own; a machine on " + version.name().toLowerCase()
                    + " (the course VM is on v2) runs one");
            return;
        }
        int memoryMib = 24 + random.nextInt(33), pids = 8 + random.nextInt(17);
        long shares = 2 + random.nextInt(4000), period = 10_000 + random.nextInt(990_000), quota = 1000 + random.nextInt(1_999_000);
        Resources limits = new ResourceFlags().memory(memoryMib + "m").memorySwap(memoryMib + "m").pidsLimit("" + pids)
                .cpuShares("" + shares).cpuPeriod("" + period).cpuQuota("" + quota).toResources(machine);
        String hog = "head -c 200m /dev/zero | tail > /dev/null; echo hog $?; "
                + "n=0; for i in $(seq 64); do (sleep 30 &) 2>/dev/null && n=$((n+1)); done; echo started $n";
        long[] peak = {0};
        String out = probe.run(request(limits, "sh", "-c", hog), c -> peak[0] = peak(CgroupsFeature.manager(c.record())));
        expect(out.contains("hog 137"), "a memory hog in a container with --memory " + memoryMib + "m was not killed by the OOM"
                + " killer (exit 137); it printed: " + out.strip());
        long limit = memoryMib * MIB;
        expect(peak[0] <= limit && peak[0] >= limit * 9 / 10, "a memory hog in a container with --memory " + memoryMib + "m peaked at "
                + peak[0] / MIB + " MiB before it was killed: the limit is not where --memory put it");
        Matcher started = Pattern.compile("started (\\d+)").matcher(out);
        expect(started.find(), "a fork loop in a container with --pids-limit " + pids + " printed no count: " + out.strip());
        int n = Integer.parseInt(started.group(1));
        // The shell and the subshell that starts each sleeper count too.
        expect(n >= pids - 3 && n <= pids - 1, "a fork loop in a container with --pids-limit " + pids + " started " + n
                + " sleepers, not " + (pids - 2) + ": pids.max is not " + pids);

        CreatedContainer c = probe.engine().create(request(limits, "sleep", "60").stdio(LabProbe.devNull()).build());
        try {
            probe.engine().start(c);
            CgroupManager cgroup = CgroupsFeature.manager(c.record());
            readBack(cgroup, expectedFiles(version, limits), "--memory " + memoryMib + "m --memory-swap " + memoryMib + "m --pids-limit "
                    + pids + " --cpu-shares " + shares + " --cpu-period " + period + " --cpu-quota " + quota);
            int raised = memoryMib + 16 + random.nextInt(17);
            Resources update = new ResourceFlags().memory(raised + "m").memorySwap(raised + "m").toUpdate(machine);
            try {
                probe.engine().update(c.record(), update);
            } catch (JboxException e) {
                throw new LabProbe.Failed("jbox update --memory " + raised + "m --memory-swap " + raised + "m of a container with "
                        + memoryMib + "m failed: " + e.getMessage());
            }
            readBack(cgroup, expectedFiles(version, update), "jbox update --memory " + raised + "m --memory-swap " + raised + "m");
        } finally {
            c.process().signal(9);
            c.process().waitFor();
            probe.engine().ended(c);
        }
    }

    private RunRequest.Builder request(Resources limits, String... command) {
        return RunRequest.image("busybox", command).chapter(3).network("none").autoRemove(true).resources(limits);
    }

    /** What the files should read, computed here (not by the student's class, which this JVM runs in the engine's place). */
    private static Map<String, String> expectedFiles(CgroupVersion version, Resources r) {
        Map<String, String> files = new LinkedHashMap<>();
        Resources.Memory m = r.memory();
        Resources.Cpu c = r.cpu();
        if (version == CgroupVersion.V1) {
            files.put("memory.limit_in_bytes", "" + m.limit());
            if (m.swap() != null) {
                files.put("memory.memsw.limit_in_bytes", "" + m.swap());
            }
            if (c != null) {
                files.put("cpu.shares", "" + c.shares());
                files.put("cpu.cfs_period_us", "" + c.period());
                files.put("cpu.cfs_quota_us", "" + c.quota());
            }
        } else {
            files.put("memory.max", "" + m.limit());
            if (m.swap() != null) {
                files.put("memory.swap.max", "" + (m.swap() - m.limit()));
            }
            if (c != null) {
                files.put("cpu.weight", "" + (1 + (c.shares() - 2) * 9999 / 262_142));
                files.put("cpu.max", c.quota() + " " + c.period());
            }
        }
        if (r.pids() != null) {
            files.put("pids.max", "" + r.pids().limit());
        }
        return files;
    }

    private static void readBack(CgroupManager cgroup, Map<String, String> expected, String flags) throws IOException {
        for (var e : expected.entrySet()) {
            Path file = file(cgroup, e.getKey());
            String value = Files.readString(file).strip();
            expect(value.equals(e.getValue()), "after " + flags + " the container's " + file + " reads " + value
                    + ", expected " + e.getValue());
        }
    }

    /** The cgroup's file {@code name}: on v1 in the hierarchy of the controller its name starts with. */
    private static Path file(CgroupManager cgroup, String name) {
        String controller = name.substring(0, name.indexOf('.'));
        for (var d : cgroup.directories().entrySet()) {
            if (d.getKey().isEmpty() || List.of(d.getKey().split(",")).contains(controller)) {
                return d.getValue().resolve(name);
            }
        }
        throw new IllegalStateException("no " + controller + " hierarchy in " + cgroup.directories());
    }

    /** The most memory the cgroup has held: v1's max_usage_in_bytes, v2's memory.peak (Linux 5.19). */
    private static long peak(CgroupManager cgroup) {
        Path file = file(cgroup, cgroup.version() == CgroupVersion.V1 ? "memory.max_usage_in_bytes" : "memory.peak");
        try {
            return Long.parseLong(Files.readString(file).strip());
        } catch (IOException | NumberFormatException e) {
            throw new IllegalStateException("cannot read " + file + ": " + e.getMessage());
        }
    }
}
