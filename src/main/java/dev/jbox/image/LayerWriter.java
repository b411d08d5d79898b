package dev.jbox.image;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Date;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * A layer tar written reproducibly, as Jib and BuildKit write theirs: entries sorted by path,
 * every time the same fixed instant, owner root (uid and gid 0, no user names), and every parent
 * directory present. The same files give the same bytes, so the same digest, on any machine.
 */
// tag::layer-writer[]
public final class LayerWriter {
    private final Instant mtime;
    private final TreeMap<String, TarArchiveEntry> entries = new TreeMap<>();
    private final TreeMap<String, Object> contents = new TreeMap<>();

    /** @param mtime the one modification time of every entry, e.g. SOURCE_DATE_EPOCH */
    public LayerWriter(Instant mtime) {
        this.mtime = mtime;
    }

    public LayerWriter directory(String path, int mode) {
        TarArchiveEntry e = new TarArchiveEntry(path + "/", TarConstants.LF_DIR);
        put(e, mode, null);
        return this;
    }

    public LayerWriter file(String path, int mode, byte[] content) {
        TarArchiveEntry e = new TarArchiveEntry(path, TarConstants.LF_NORMAL);
        e.setSize(content.length);
        put(e, mode, content);
        return this;
    }

    /** A file copied from the host when the tar is written (the bytes are not held in memory). */
    public LayerWriter file(String path, int mode, Path source) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(path, TarConstants.LF_NORMAL);
        e.setSize(Files.size(source));
        put(e, mode, source);
        return this;
    }

    public LayerWriter symlink(String path, String target) {
        TarArchiveEntry e = new TarArchiveEntry(path, TarConstants.LF_SYMLINK);
        e.setLinkName(target);
        put(e, 0777, null);
        return this;
    }

    private void put(TarArchiveEntry e, int mode, Object content) {
        e.setMode(mode);
        e.setModTime(Date.from(mtime));
        e.setIds(0, 0);
        e.setUserName("");
        e.setGroupName("");
        String key = e.getName().endsWith("/") ? e.getName().substring(0, e.getName().length() - 1) : e.getName();
        entries.put(key, e);
        contents.put(key, content);
        int slash = key.lastIndexOf('/');
        if (slash > 0 && !entries.containsKey(key.substring(0, slash))) {
            directory(key.substring(0, slash), 0755);
        }
    }

    /** Writes the tar: sorted by path, so a directory comes before what it holds. */
    public void writeTo(OutputStream out) throws IOException {
        TarArchiveOutputStream tar = new TarArchiveOutputStream(out);
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        for (var entry : entries.entrySet()) {
            tar.putArchiveEntry(entry.getValue());
            Object content = contents.get(entry.getKey());
            if (content instanceof byte[] bytes) {
                tar.write(bytes);
            } else if (content instanceof Path source) {
                try (InputStream in = Files.newInputStream(source)) {
                    in.transferTo(tar);
                }
            }
            tar.closeArchiveEntry();
        }
        tar.finish(); // the two zero blocks; the caller owns (and closes) the stream
    }

    public byte[] toBytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            writeTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException("a tar in memory cannot fail to write", e);
        }
        return out.toByteArray();
    }
}
// end::layer-writer[]
