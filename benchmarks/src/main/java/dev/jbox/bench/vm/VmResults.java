package dev.jbox.bench.vm;

import dev.jbox.vm.BootResult;
import java.util.List;

/**
 * What benchmarks/results/vm.json holds: the boots of one run.
 *
 * @param accelerator     "kvm" or "tcg" (pure emulation): every number depends on it
 * @param acceleratorNote why this accelerator (e.g. why KVM was not used)
 */
public record VmResults(String accelerator, String acceleratorNote, String qemu, String kernel, int memoryMiB,
                        List<Series> configs) {
    /** The boots of one configuration. */
    public record Series(String name, String label, String accelerator, List<BootResult> runs) {
    }
}
