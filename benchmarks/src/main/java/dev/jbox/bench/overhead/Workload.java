package dev.jbox.bench.overhead;

import java.util.List;
import java.util.Locale;

/**
 * The workloads of the overhead comparison, each a mode of benchmarks/src/main/c/jbox-bench-work.c,
 * with how much work to do natively (and in a container) and in a VM under emulation. Results
 * are rates (work per second), so the amounts may differ; the per-operation sizes do not.
 */
public enum Workload {
    CPU_FP("cpu-fp", "CPU, floating point: 256×256 double matrix products", "MFLOP/s", 120, 3),
    CPU_INT("cpu-int", "CPU, integer: CRC-32 through a table", "MiB/s", 128, 48),
    MEM_COPY("mem-copy", "memory: copy a 64 MiB array (STREAM Copy, read + write)", "MiB/s", 40, 4),
    FORK_EXEC("fork-exec", "system calls: fork, exec busybox `true`, wait", "fork+exec/s", 300, 10),
    SEQ_WRITE("seq-write", "file: sequential write, 1 MiB blocks, O_DIRECT, then fsync", "MiB/s", 512, 64),
    SEQ_READ("seq-read", "file: sequential read, 1 MiB blocks, O_DIRECT", "MiB/s", 512, 64),
    RAND_READ("rand-read", "file: random 4 KiB reads, O_DIRECT", "IOPS", 10000, 1000);

    private final String key;
    private final String label;
    private final String rateUnit;
    private final int amount;
    private final int emulatedAmount;

    Workload(String key, String label, String rateUnit, int amount, int emulatedAmount) {
        this.key = key;
        this.label = label;
        this.rateUnit = rateUnit;
        this.amount = amount;
        this.emulatedAmount = emulatedAmount;
    }

    public String key() {
        return key;
    }

    public String label() {
        return label;
    }

    public String rateUnit() {
        return rateUnit;
    }

    /** The program's argument for this workload, e.g. {@code cpu-int=128}: less work under emulation. */
    public String argument(boolean emulated) {
        return String.format(Locale.ROOT, "%s=%d", key, emulated ? emulatedAmount : amount);
    }

    /** The program's arguments for the whole suite, in order (the file is written before it is read). */
    static List<String> arguments(boolean emulated) {
        return java.util.Arrays.stream(values())
                .map(w -> w.argument(emulated))
                .toList();
    }
}
