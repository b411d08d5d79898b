package dev.jbox.bench.overhead;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options of the pieces that run workloads in a VM beside the host (overhead, cgroups): picocli's mixin. */
public final class VmOptions {
    @Option(names = "--no-vm", description = "Leave the VM out.")
    public boolean noVm;

    @Option(names = "--accel", paramLabel = "auto|kvm|tcg", defaultValue = "auto",
            description = "QEMU accelerator; auto uses KVM if a test boot with it works (default: ${DEFAULT-VALUE}).")
    public String accel;

    @Option(names = "--accel-from", paramLabel = "VM.JSON",
            description = "Use the accelerator that `benchmarks/vm compare` chose in this run (no second KVM probe).")
    public Path accelFrom;

    @Option(names = "--cache", paramLabel = "DIR", defaultValue = "/var/cache/jbox-bench",
            description = "The VM baseline's cache: kernel package and initramfs (default: ${DEFAULT-VALUE}).")
    public Path cache;

    @Option(names = "--vm-memory", paramLabel = "MiB", defaultValue = "640",
            description = "Guest memory: the copy needs 128 MiB of arrays; a limited container gets as much (default: ${DEFAULT-VALUE}).")
    public int vmMemoryMiB;
}
