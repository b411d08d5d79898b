package dev.jbox.vm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * KVM when it works, TCG (QEMU's emulator) otherwise. /dev/kvm existing is not enough: in a
 * nested VM it can exist and still hang or crash the guest, so {@code auto} boots once to see.
 *
 * @param name "kvm" or "tcg"
 * @param note why, in words, for the results
 */
public record Accelerator(String name, String note) {
    /** A KVM boot to the marker takes well under a second; a KVM that emulates (PVM) takes minutes. */
    private static final Duration KVM_PROBE_DEADLINE = Duration.ofSeconds(10);
    private static final Pattern HARDWARE_VIRTUALISATION = Pattern.compile("^flags\\s*:.*\\b(vmx|svm)\\b", Pattern.MULTILINE);

    /**
     * The accelerator {@code requested} ("auto", "kvm" or "tcg"); for "auto", a test boot of
     * {@code kernel} with {@code bootInitramfs} ({@link Guest#bootInitramfs}) under KVM decides.
     */
    public static Accelerator choose(String requested, GuestKernel kernel, Path bootInitramfs, int memoryMiB) {
        return choose(requested, () -> {
            System.err.println("vm: /dev/kvm exists; a test boot with KVM decides whether to use it");
            try {
                VmConfig probe = new VmConfig("microvm", VmConfig.KernelImage.VMLINUX);
                Boot.run(Qemu.command(probe, "kvm", kernel, bootInitramfs, memoryMiB, false), KVM_PROBE_DEADLINE, line -> { });
                return null;
            } catch (VmException e) {
                return e.getMessage();
            }
        });
    }

    static Accelerator choose(String requested, Supplier<String> kvmProbeFailure) {
        switch (requested) {
            case "kvm":
                return new Accelerator("kvm", "requested");
            case "tcg":
                return new Accelerator("tcg", "requested");
            case "auto":
                if (!Files.exists(Path.of("/dev/kvm"))) {
                    return new Accelerator("tcg", "no /dev/kvm on this machine");
                }
                if (!cpuVirtualises()) {
                    // kvm_intel and kvm_amd need these flags; a /dev/kvm without them (PVM) runs only kernels built for it.
                    return new Accelerator("tcg", "/dev/kvm exists but the CPU has no vmx or svm flag"
                            + " (no VT-x/AMD-V: a stock kernel would be emulated, slower than TCG)");
                }
                String failure = kvmProbeFailure.get();
                return failure == null ? new Accelerator("kvm", "/dev/kvm works")
                        : new Accelerator("tcg", "/dev/kvm exists but a KVM guest failed (" + failure + ")");
            default:
                throw new VmException("unknown accelerator '" + requested + "'; use auto, kvm or tcg");
        }
    }

    private static boolean cpuVirtualises() {
        try {
            return HARDWARE_VIRTUALISATION.matcher(Files.readString(Path.of("/proc/cpuinfo"))).find();
        } catch (IOException e) {
            return true; // cannot tell: let the test boot decide
        }
    }
}
