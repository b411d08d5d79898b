package dev.jbox.image.archive;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Date;
import java.util.HashSet;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * A tar whose bytes depend on its content alone: every entry owned by 0:0 with no user names,
 * mode 0644 (0755 for directories), modified at the epoch. Saving the same image twice then gives
 * the same archive, byte for byte, so its checksum can be published and compared.
 */
final class ReproducibleTar implements AutoCloseable {
    private final TarArchiveOutputStream tar;
    private final Set<String> written = new HashSet<>();

    ReproducibleTar(OutputStream out) {
        this.tar = new TarArchiveOutputStream(out);
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    }

    /** Whether an entry of this name is in the tar already (blobs shared by two images are written once). */
    boolean has(String name) {
        return written.contains(name) || written.contains(name + "/");
    }

    void directory(String name) throws IOException {
        TarArchiveEntry e = entry(name + "/", 040755);
        tar.putArchiveEntry(e);
        tar.closeArchiveEntry();
    }

    void file(String name, byte[] bytes) throws IOException {
        file(name, new java.io.ByteArrayInputStream(bytes), bytes.length);
    }

    void file(String name, Path source) throws IOException {
        try (InputStream in = Files.newInputStream(source)) {
            file(name, in, Files.size(source));
        }
    }

    /** An entry of {@code size} bytes read from {@code in}; fewer bytes than that is an error, not a short entry. */
    void file(String name, InputStream in, long size) throws IOException {
        TarArchiveEntry e = entry(name, 0100644);
        e.setSize(size);
        tar.putArchiveEntry(e);
        long copied = in.transferTo(tar);
        if (copied != size) {
            throw new IOException(name + " changed while it was saved (" + copied + " bytes where " + size + " were expected)");
        }
        tar.closeArchiveEntry();
    }

    private TarArchiveEntry entry(String name, int mode) {
        written.add(name);
        TarArchiveEntry e = new TarArchiveEntry(name, true);
        e.setMode(mode);
        e.setModTime(new Date(0));
        e.setIds(0, 0);
        e.setNames("", "");
        return e;
    }

    @Override
    public void close() throws IOException {
        tar.close();
    }
}
