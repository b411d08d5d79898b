package dev.jbox.vm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The guest's first (and only) root file system: busybox and an {@code /init} that prints
 * a marker on the serial console, optionally runs a command, and leaves. The engine side
 * reads the markers to time the boot ({@link Boot}).
 */
public final class Guest {
    static final String UP = "jbox-vm: guest up";
    static final String EXITED = "jbox-vm: guest command exited ";
    private static final Path BUSYBOX = Path.of("/bin/busybox");
    // `reboot -f` rather than poweroff: -M microvm with acpi=off has no way to power off, and
    // QEMU's -no-reboot turns a reboot into an exit on every machine (reboot=t: at once, by triple fault).
    private static final String LEAVE = "exec /bin/busybox reboot -f\n";
    /** What the guest needs to mount the host's root read-only over virtio-9p. */
    private static final List<String> NINE_P_MODULES = List.of("virtio_pci", "9pnet_virtio", "9p");

    private Guest() {
    }

    /** Boot mode: up, marker, gone. Nothing else runs, so the time is the boot's. Written into {@code dir}. */
    public static Path bootInitramfs(Path dir) throws IOException {
        Path out = dir.resolve("initramfs-boot.cpio.gz");
        Initramfs.withBusybox(BUSYBOX)
                .script("init", "#!/bin/sh\necho '" + UP + "'\n" + LEAVE)
                .write(out);
        return out;
    }

    /**
     * Exec mode: a usual little system (proc, sys, devtmpfs, every busybox applet), optionally
     * the host's root read-only at {@code /host}, then {@code command} between two markers.
     * Written into {@code dir}.
     */
    public static Path execInitramfs(Path dir, GuestKernel kernel, List<String> command, boolean shareHost,
                              GuestExtras extras) throws IOException {
        Initramfs archive = Initramfs.withBusybox(BUSYBOX);
        StringBuilder init = new StringBuilder("#!/bin/sh\n/bin/busybox --install -s /bin\n")
                .append("mount -t proc proc /proc\nmount -t sysfs sysfs /sys\nmount -t devtmpfs devtmpfs /dev\n");
        List<String> modules = new ArrayList<>(shareHost ? NINE_P_MODULES : List.of());
        modules.addAll(extras.modules());
        for (Path module : new KernelModules(kernel.modules()).loadOrder(modules)) {
            String inGuest = "lib/modules/" + module.getFileName();
            archive.file(inGuest, Files.readAllBytes(module), 0644);
            init.append("insmod /").append(inGuest).append('\n');
        }
        if (shareHost) {
            init.append("mkdir -p /host\n").append(mount9p(Qemu.HOST_TAG, "/host", true)).append('\n');
        }
        for (var file : extras.executables().entrySet()) {
            String inGuest = file.getKey().replaceFirst("^/", "");
            Path parent = Path.of(inGuest).getParent();
            for (int i = 1; parent != null && i <= parent.getNameCount(); i++) {
                archive.directory(parent.subpath(0, i).toString());
            }
            archive.file(inGuest, Files.readAllBytes(file.getValue()), 0755);
        }
        extras.setup().forEach(line -> init.append(line).append('\n'));
        archive.script("command", "exec " + shellWords(command) + "\n");
        init.append("echo '").append(UP).append("'\nsh /command\necho \"").append(EXITED).append("$?\"\n").append(LEAVE);
        Path out = dir.resolve("initramfs-exec.cpio.gz");
        archive.script("init", init.toString()).write(out);
        return out;
    }

    /**
     * The guest's shell line that mounts the 9p share {@code tag} ({@link Qemu#share}) on {@code dir}.
     * A read-only share is of files that do not change while the guest runs, so the guest caches
     * them (cache=loose, and larger messages): uncached, every read is a round trip through the
     * emulated virtio queue, and one {@code java -version} took 32 s instead of 2 s here (TCG).
     * A writable share is not cached, so every write has reached the host when the guest stops
     * (it reboots without a sync).
     */
    public static String mount9p(String tag, String dir, boolean readOnly) {
        return "mount -t 9p -o trans=virtio,version=9p2000.L" + (readOnly ? ",ro,cache=loose,msize=262144 " : " ")
                + tag + " " + dir;
    }

    /** Each word single-quoted, so the guest's shell runs exactly this argv. */
    public static String shellWords(List<String> argv) {
        List<String> quoted = new ArrayList<>();
        for (String arg : argv) {
            quoted.add("'" + arg.replace("'", "'\\''") + "'");
        }
        return String.join(" ", quoted);
    }
}
