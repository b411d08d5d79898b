package dev.jbox.vm;

import java.util.Locale;

/**
 * One way to boot the guest: a QEMU machine type and a kernel file.
 *
 * @param machine "microvm" (no PCI, no firmware tables: the smallest machine QEMU has), or
 *                "pc"/"q35", the usual PC with SeaBIOS
 * @param image   which file of the kernel package QEMU loads
 */
public record VmConfig(String machine, KernelImage image) {
    public enum KernelImage {
        /** The uncompressed ELF, entered in 32-bit mode through its PVH note: no setup code, no decompression. */
        VMLINUX,
        /** The file Debian ships: real-mode setup code, then the kernel decompresses itself. */
        BZIMAGE
    }

    public String name() {
        return machine + "-" + image.name().toLowerCase(Locale.ROOT);
    }

    public String label() {
        return "-M " + machine + ", " + (image == KernelImage.VMLINUX ? "vmlinux (PVH entry)" : "bzImage");
    }

    /** Without PCI the guest finds no virtio devices here (Debian's kernel cannot take them from the command line). */
    public boolean hasPci() {
        return !machine.equals("microvm");
    }
}
