package dev.jbox.bench.vm;

import dev.jbox.bench.BenchException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * KVM when it works, TCG (QEMU's emulator) otherwise. /dev/kvm existing is not enough: in a
 * nested VM it can exist and still hang or crash the guest, so {@code auto} boots once to see.
 *
 * @param name "kvm" or "tcg"
 * @param note why, in words, for the results
 */
record Accelerator(String name, String note) {
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
                String failure = kvmProbeFailure.get();
                return failure == null ? new Accelerator("kvm", "/dev/kvm works")
                        : new Accelerator("tcg", "/dev/kvm exists but a KVM guest failed (" + failure + ")");
            default:
                throw new BenchException("unknown accelerator '" + requested + "'; use auto, kvm or tcg");
        }
    }
}
