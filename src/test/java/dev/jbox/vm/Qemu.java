package dev.jbox.vm;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The QEMU command line of a guest. */
public final class Qemu {
    static final String BINARY = "qemu-system-x86_64";
    static final String HOST_TAG = "hostroot";

    private Qemu() {
    }

    public static void requireInstalled() {
        if (!isInstalled()) {
            throw new VmException(BINARY + " is not installed; install it: apt-get install -y qemu-system-x86");
        }
    }

    public static boolean isInstalled() {
        return HostCommands.onPath(BINARY);
    }

    /** QEMU's version line, or just its name if it cannot say (for labels only). */
    public static String version() {
        try {
            return HostCommands.output(null, List.of(BINARY, "--version")).lines().findFirst().orElse(BINARY);
        } catch (VmException e) {
            return BINARY;
        }
    }

    public static List<String> command(VmConfig config, String accelerator, GuestKernel kernel, Path initramfs,
                                       int memoryMiB, boolean shareHost) {
        return command(config, accelerator, kernel, initramfs, memoryMiB, shareHost, List.of());
    }

    public static List<String> command(VmConfig config, String accelerator, GuestKernel kernel, Path initramfs,
                                       int memoryMiB, boolean shareHost, List<String> extraArgs) {
        return command(config, accelerator, kernel, initramfs, memoryMiB, 1, shareHost, extraArgs);
    }

    public static List<String> command(VmConfig config, String accelerator, GuestKernel kernel, Path initramfs,
                                       int memoryMiB, int cpus, boolean shareHost, List<String> extraArgs) {
        Path kernelFile = config.image() == VmConfig.KernelImage.VMLINUX ? kernel.vmlinux() : kernel.bzImage();
        // quiet: the serial console is emulated byte by byte, and the kernel's chatter would be timed too.
        String append = "console=ttyS0 quiet panic=-1 reboot=t" + (config.hasPci() ? "" : " acpi=off");
        List<String> cmd = new ArrayList<>(List.of(BINARY, "-accel", accelerator, "-M", config.machine(),
                "-m", memoryMiB + "M", "-smp", Integer.toString(cpus), "-nodefaults", "-no-user-config", "-display", "none",
                "-monitor", "none", "-serial", "stdio", "-no-reboot",
                "-kernel", kernelFile.toString(), "-initrd", initramfs.toString(), "-append", append));
        if (shareHost) {
            if (!config.hasPci()) {
                throw new VmException("--share-host needs a machine with PCI (-M " + config.machine()
                        + " has none that Debian's kernel can find); use --machine q35");
            }
            cmd.addAll(share(Path.of("/"), HOST_TAG, true));
        }
        cmd.addAll(extraArgs);
        return cmd;
    }

    /**
     * A host directory the guest mounts with {@code mount -t 9p -o trans=virtio TAG DIR} (virtio-9p;
     * needs a machine with PCI). security_model=none: the guest's root acts with this process's rights.
     */
    public static List<String> share(Path dir, String tag, boolean readOnly) {
        return List.of("-fsdev", "local,id=" + tag + ",path=" + dir + ",security_model=none"
                        + (readOnly ? ",readonly=on" : "") + ",multidevs=remap",
                "-device", "virtio-9p-pci,fsdev=" + tag + ",mount_tag=" + tag);
    }
}
