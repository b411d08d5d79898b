package dev.jbox.bench.vm;

import dev.jbox.bench.BenchCli;
import dev.jbox.bench.BenchException;
import dev.jbox.bench.Json;
import dev.jbox.bench.Stats;
import dev.jbox.vm.Accelerator;
import dev.jbox.vm.Boot;
import dev.jbox.vm.BootResult;
import dev.jbox.vm.Guest;
import dev.jbox.vm.GuestExtras;
import dev.jbox.vm.GuestKernel;
import dev.jbox.vm.Qemu;
import dev.jbox.vm.VmConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The VM baseline (DESIGN.md section 1, chapter 0): boot Debian's kernel with a busybox
 * initramfs in QEMU, the other way to isolate a program, and time it the way containers are
 * timed. Run through benchmarks/vm.
 */
@Command(name = "benchmarks/vm", mixinStandardHelpOptions = true,
        description = "Boot a minimal Debian guest in QEMU and time it.",
        subcommands = {VmBaseline.Boots.class, VmBaseline.Exec.class, VmBaseline.Compare.class})
public final class VmBaseline {
    /** The standard comparison: the smallest machine, then the usual PC with each kernel file. */
    static final List<VmConfig> STANDARD = List.of(
            new VmConfig("microvm", VmConfig.KernelImage.VMLINUX),
            new VmConfig("pc", VmConfig.KernelImage.VMLINUX),
            new VmConfig("pc", VmConfig.KernelImage.BZIMAGE));
    private static final Duration BOOT_DEADLINE = Duration.ofSeconds(90);

    public static void main(String[] args) {
        BenchCli.exit("vm", new VmBaseline(), args);
    }

    /** A guest ready to boot: its kernel, the boot-mode initramfs and the accelerator chosen. */
    public record Prepared(GuestKernel kernel, Path bootInitramfs, Accelerator accelerator) {
        public String acceleratorName() {
            return accelerator.name();
        }

        public String acceleratorNote() {
            return accelerator.note();
        }
    }

    /** Options every mode takes. */
    public static final class Options {
        @Option(names = "--cache", paramLabel = "DIR", defaultValue = "/var/cache/jbox-bench",
                description = "Where the kernel package is unpacked and the initramfs written (default: ${DEFAULT-VALUE}).")
        Path cache;

        @Option(names = "--accel", paramLabel = "auto|kvm|tcg", defaultValue = "auto",
                description = "QEMU accelerator; auto uses KVM if a test boot with it works (default: ${DEFAULT-VALUE}).")
        String accel;

        @Option(names = "--memory", paramLabel = "MiB", defaultValue = "256", description = "Guest memory (default: ${DEFAULT-VALUE}).")
        int memoryMiB;

        /** The options as given on a command line, for callers outside this command. */
        public static Options of(Path cache, String accel, int memoryMiB) {
            Options options = new Options();
            options.cache = cache;
            options.accel = accel;
            options.memoryMiB = memoryMiB;
            return options;
        }

        /** The guest kernel, the boot-mode initramfs and the accelerator, ready; says which accelerator and why. */
        public Prepared prepare() throws IOException {
            GuestKernel kernel = kernel();
            Path initramfs = Guest.bootInitramfs(cache);
            Accelerator accelerator = Accelerator.choose(accel, kernel, initramfs, memoryMiB);
            System.err.println("vm: accelerator " + accelerator.name() + " (" + accelerator.note() + ")");
            return new Prepared(kernel, initramfs, accelerator);
        }

        private GuestKernel kernel() {
            Qemu.requireInstalled();
            try {
                Files.createDirectories(cache);
            } catch (IOException e) {
                throw new BenchException("cannot create the cache " + cache + ": " + e.getMessage() + "; run as root or pick --cache DIR");
            }
            return GuestKernel.prepare(cache);
        }

        /** {@code runs} boots to the marker and out, in boot mode. */
        VmResults.Series boots(Prepared guest, VmConfig config, int runs) {
            List<String> qemu = Qemu.command(config, guest.accelerator().name(), guest.kernel(), guest.bootInitramfs(),
                    memoryMiB, false);
            return series(config, guest.accelerator(), runs, i -> Boot.run(qemu, BOOT_DEADLINE, line -> { }));
        }

        VmResults.Series series(VmConfig config, Accelerator accelerator, int runs, Function<Integer, BootResult> boot) {
            if (runs < 1) {
                throw new BenchException("--runs must be at least 1");
            }
            List<BootResult> results = new ArrayList<>();
            for (int i = 1; i <= runs; i++) {
                BootResult r = boot.apply(i);
                System.err.printf(Locale.ROOT, "vm: %s [%s] run %d/%d: up %.0f ms, exit %.0f ms%s, peak RSS %.0f MiB%n",
                        config.label(), accelerator.name(), i, runs, r.upMs(), r.exitMs(),
                        r.commandMs() == null ? "" : String.format(Locale.ROOT, ", command %.0f ms (exit %d)", r.commandMs(), r.commandExit()),
                        r.peakRssMiB());
                results.add(r);
            }
            VmResults.Series series = new VmResults.Series(config.name(), config.label(), accelerator.name(), results);
            Stats up = Stats.of(results.stream().map(BootResult::upMs).toList());
            Stats exit = Stats.of(results.stream().map(BootResult::exitMs).toList());
            System.err.printf(Locale.ROOT, "vm: %s [%s]: median up %.0f ms (%.0f-%.0f), median exit %.0f ms, n=%d%n",
                    config.label(), accelerator.name(), up.median(), up.min(), up.max(), exit.median(), up.n());
            return series;
        }

        VmResults results(Prepared guest, List<VmResults.Series> series) {
            return new VmResults(guest.accelerator().name(), guest.accelerator().note(), Qemu.version(),
                    kernelName(guest), memoryMiB, series);
        }

        public static String kernelName(Prepared guest) {
            return "Debian " + guest.kernel().release();
        }

        /**
         * Boots the exec-mode guest ({@code -M machine}, vmlinux) with {@code extras}, runs {@code command}
         * once, and hands the lines it prints to {@code output}.
         */
        public BootResult exec(Prepared guest, String machine, List<String> command, GuestExtras extras,
                               Duration timeout, Consumer<String> output) throws IOException {
            Path initramfs = Guest.execInitramfs(cache, guest.kernel(), command, false, extras);
            VmConfig config = new VmConfig(machine, VmConfig.KernelImage.VMLINUX);
            List<String> qemu = Qemu.command(config, guest.accelerator().name(), guest.kernel(), initramfs, memoryMiB,
                    false, extras.qemuArgs());
            return series(config, guest.accelerator(), 1, i -> Boot.run(qemu, timeout, output)).runs().get(0);
        }
    }

    @Command(name = "boot", mixinStandardHelpOptions = true,
            description = "Boot to a marker on the serial console and leave; time it (n runs).")
    static final class Boots implements Callable<Integer> {
        @Mixin
        Options options;

        @Option(names = "--machine", defaultValue = "microvm", description = "QEMU machine: microvm, pc or q35 (default: ${DEFAULT-VALUE}).")
        String machine;

        @Option(names = "--image", defaultValue = "vmlinux", description = "Kernel file: vmlinux or bzimage (default: ${DEFAULT-VALUE}).")
        VmConfig.KernelImage image;

        @Option(names = "--runs", paramLabel = "N", defaultValue = "5", description = "Boots per configuration (default: ${DEFAULT-VALUE}).")
        int runs;

        @Option(names = "--out", paramLabel = "FILE", description = "Also write the results as JSON.")
        Path out;

        @Override
        public Integer call() throws IOException {
            Prepared guest = options.prepare();
            VmResults.Series series = options.boots(guest, new VmConfig(machine, image), runs);
            if (out != null) {
                Json.write(out, options.results(guest, List.of(series)));
            }
            return 0;
        }
    }

    @Command(name = "exec", mixinStandardHelpOptions = true,
            description = "Boot, run COMMAND in the guest (busybox applets; the host's root at /host with --share-host), print its output, leave.")
    static final class Exec implements Callable<Integer> {
        @Mixin
        Options options;

        @Option(names = "--machine", defaultValue = "q35", description = "QEMU machine (default: ${DEFAULT-VALUE}; --share-host needs pc or q35).")
        String machine;

        @Option(names = "--share-host", description = "Mount the host's / read-only at /host in the guest (virtio-9p), e.g. to run host programs with chroot /host.")
        boolean shareHost;

        @Option(names = "--runs", paramLabel = "N", defaultValue = "1", description = "How many times (default: ${DEFAULT-VALUE}).")
        int runs;

        @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "600", description = "Kill the guest after this long (default: ${DEFAULT-VALUE}).")
        long timeoutSeconds;

        @Parameters(paramLabel = "COMMAND", arity = "1..*", description = "The command and its arguments (put -- before it).")
        List<String> command;

        @Override
        public Integer call() throws IOException {
            Prepared guest = options.prepare();
            Path initramfs = Guest.execInitramfs(options.cache, guest.kernel(), command, shareHost, GuestExtras.NONE);
            VmConfig config = new VmConfig(machine, VmConfig.KernelImage.VMLINUX);
            List<String> qemu = Qemu.command(config, guest.accelerator().name(), guest.kernel(), initramfs,
                    options.memoryMiB, shareHost);
            int[] lastExit = {0};
            options.series(config, guest.accelerator(), runs, i -> {
                BootResult r = Boot.run(qemu, Duration.ofSeconds(timeoutSeconds), System.out::println);
                lastExit[0] = r.commandExit() == null ? 1 : r.commandExit();
                return r;
            });
            return lastExit[0];
        }
    }

    @Command(name = "compare", mixinStandardHelpOptions = true,
            description = "The standard comparison: n boots of each standard configuration, written as JSON.")
    static final class Compare implements Callable<Integer> {
        @Mixin
        Options options;

        @Option(names = "--runs", paramLabel = "N", defaultValue = "5", description = "Boots per configuration (default: ${DEFAULT-VALUE}).")
        int runs;

        @Option(names = "--out", paramLabel = "FILE", required = true, description = "Where to write the results (JSON).")
        Path out;

        @Override
        public Integer call() throws IOException {
            Prepared guest = options.prepare();
            List<VmResults.Series> all = new ArrayList<>();
            for (VmConfig config : STANDARD) {
                all.add(options.boots(guest, config, runs));
            }
            Json.write(out, options.results(guest, all));
            return 0;
        }
    }
}
