package dev.jbox.bench.vm;

import dev.jbox.bench.BenchException;
import dev.jbox.bench.Commands;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The QEMU command line of the VM baseline. */
final class Qemu {
    static final String BINARY = "qemu-system-x86_64";
    static final String HOST_TAG = "hostroot";

    private Qemu() {
    }

    static void requireInstalled() {
        if (!Commands.onPath(BINARY)) {
            throw new BenchException(BINARY + " is not installed; install it: apt-get install -y qemu-system-x86");
        }
    }

    static String version() {
        return Commands.firstLineOr(BINARY, List.of(BINARY, "--version"));
    }

    static List<String> command(VmConfig config, String accelerator, GuestKernel kernel, Path initramfs,
                                int memoryMiB, boolean shareHost) {
        return command(config, accelerator, kernel, initramfs, memoryMiB, shareHost, List.of());
    }

    static List<String> command(VmConfig config, String accelerator, GuestKernel kernel, Path initramfs,
                                int memoryMiB, boolean shareHost, List<String> extraArgs) {
        Path kernelFile = config.image() == VmConfig.KernelImage.VMLINUX ? kernel.vmlinux() : kernel.bzImage();
        // quiet: the serial console is emulated byte by byte, and the kernel's chatter would be timed too.
        String append = "console=ttyS0 quiet panic=-1 reboot=t" + (config.hasPci() ? "" : " acpi=off");
        List<String> cmd = new ArrayList<>(List.of(BINARY, "-accel", accelerator, "-M", config.machine(),
                "-m", memoryMiB + "M", "-smp", "1", "-nodefaults", "-no-user-config", "-display", "none",
                "-monitor", "none", "-serial", "stdio", "-no-reboot",
                "-kernel", kernelFile.toString(), "-initrd", initramfs.toString(), "-append", append));
        if (shareHost) {
            if (!config.hasPci()) {
                throw new BenchException("--share-host needs a machine with PCI (-M " + config.machine()
                        + " has none that Debian's kernel can find); use --machine q35");
            }
            cmd.addAll(List.of("-fsdev", "local,id=host,path=/,security_model=none,readonly=on,multidevs=remap",
                    "-device", "virtio-9p-pci,fsdev=host,mount_tag=" + HOST_TAG));
        }
        cmd.addAll(extraArgs);
        return cmd;
    }
}
