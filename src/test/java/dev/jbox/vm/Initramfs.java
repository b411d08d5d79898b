package dev.jbox.vm;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.cpio.CpioArchiveEntry;
import org.apache.commons.compress.archivers.cpio.CpioArchiveOutputStream;
import org.apache.commons.compress.archivers.cpio.CpioConstants;

/**
 * A gzip-compressed "newc" cpio archive, the format the kernel unpacks into its first root
 * file system: the smallest possible guest, one static busybox and an {@code /init} script.
 * Entries go in the order they were added, so add directories before what is in them.
 */
public final class Initramfs {
    private static final long MTIME = 0; // reproducible archives: the same input gives the same bytes

    private final Map<String, Entry> entries = new LinkedHashMap<>();

    private record Entry(int mode, byte[] data, int deviceMajor, int deviceMinor) {
    }

    /** The usual skeleton: a few directories, a console device, busybox and a shell link to it. */
    public static Initramfs withBusybox(Path busybox) throws IOException {
        Initramfs archive = new Initramfs();
        for (String dir : new String[] {"bin", "dev", "proc", "sys", "tmp", "lib", "lib/modules"}) {
            archive.directory(dir);
        }
        // The kernel opens /dev/console for init's stdio before init runs anything.
        archive.entries.put("dev/console", new Entry(CpioConstants.C_ISCHR | 0600, new byte[0], 5, 1));
        archive.file("bin/busybox", Files.readAllBytes(busybox), 0755);
        archive.symlink("bin/sh", "busybox");
        return archive;
    }

    public Initramfs directory(String path) {
        entries.put(path, new Entry(CpioConstants.C_ISDIR | 0755, new byte[0], 0, 0));
        return this;
    }

    public Initramfs file(String path, byte[] data, int permissions) {
        entries.put(path, new Entry(CpioConstants.C_ISREG | permissions, data, 0, 0));
        return this;
    }

    public Initramfs script(String path, String text) {
        return file(path, text.getBytes(StandardCharsets.UTF_8), 0755);
    }

    public Initramfs symlink(String path, String target) {
        entries.put(path, new Entry(CpioConstants.C_ISLNK | 0777, target.getBytes(StandardCharsets.UTF_8), 0, 0));
        return this;
    }

    /** Writes the archive to {@code out}, atomically. */
    public void write(Path out) throws IOException {
        // A name of its own: two processes may write the same archive into a shared cache at once.
        Path tmp = Files.createTempFile(out.toAbsolutePath().getParent(), out.getFileName().toString(), ".tmp");
        try (OutputStream file = Files.newOutputStream(tmp);
             GZIPOutputStream gzip = new GZIPOutputStream(file, 1 << 16);
             CpioArchiveOutputStream cpio = new CpioArchiveOutputStream(gzip, CpioConstants.FORMAT_NEW)) {
            long inode = 1;
            for (Map.Entry<String, Entry> e : entries.entrySet()) {
                Entry entry = e.getValue();
                CpioArchiveEntry header = new CpioArchiveEntry(CpioConstants.FORMAT_NEW, e.getKey(), entry.data().length);
                header.setMode(entry.mode());
                header.setInode(inode++);
                header.setNumberOfLinks((entry.mode() & CpioConstants.S_IFMT) == CpioConstants.C_ISDIR ? 2 : 1);
                header.setTime(MTIME);
                header.setRemoteDeviceMaj(entry.deviceMajor());
                header.setRemoteDeviceMin(entry.deviceMinor());
                cpio.putArchiveEntry(header);
                cpio.write(entry.data());
                cpio.closeArchiveEntry();
            }
        }
        Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
