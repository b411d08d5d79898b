package dev.jbox.layers;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/** Layer tars written by hand, hostile ones included: names are written exactly as given. */
final class TestTar {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes);

    TestTar() {
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    }

    TestTar dir(String name) {
        return put(entry(name, TarConstants.LF_DIR, 0755), null);
    }

    TestTar file(String name, String content) {
        return put(entry(name, TarConstants.LF_NORMAL, 0644), content.getBytes(StandardCharsets.UTF_8));
    }

    TestTar file(String name, String content, int mode, long mtimeSeconds) {
        TarArchiveEntry e = entry(name, TarConstants.LF_NORMAL, mode);
        e.setModTime(mtimeSeconds * 1000);
        return put(e, content.getBytes(StandardCharsets.UTF_8));
    }

    TestTar symlink(String name, String target) {
        TarArchiveEntry e = entry(name, TarConstants.LF_SYMLINK, 0777);
        e.setLinkName(target);
        return put(e, null);
    }

    TestTar hardlink(String name, String target) {
        TarArchiveEntry e = entry(name, TarConstants.LF_LINK, 0644);
        e.setLinkName(target);
        return put(e, null);
    }

    TestTar node(String name, byte type) {
        return put(entry(name, type, 0600), null);
    }

    TestTar entry(TarArchiveEntry e, byte[] content) {
        return put(e, content);
    }

    byte[] bytes() {
        try {
            tar.finish();
            tar.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static TarArchiveEntry entry(String name, byte type, int mode) {
        TarArchiveEntry e = new TarArchiveEntry(name, type, true); // true: keep a leading '/' as written
        e.setMode(mode);
        e.setModTime(1_700_000_000_000L);
        return e;
    }

    private TestTar put(TarArchiveEntry e, byte[] content) {
        try {
            if (content != null) {
                e.setSize(content.length);
            }
            tar.putArchiveEntry(e);
            if (content != null) {
                tar.write(content);
            }
            tar.closeArchiveEntry();
        } catch (IOException x) {
            throw new UncheckedIOException(x);
        }
        return this;
    }
}
