package dev.jbox.image.archive;

import dev.jbox.FileTrees;
import dev.jbox.JboxException;
import dev.jbox.image.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * An image archive read whole into a private directory before anything of it reaches the store:
 * the files of a Docker archive may come in any order (manifest.json last), and a load that fails
 * half-way must leave the store as it was. Entry names are data here, never paths: each file is
 * kept under a counter, hashed as it is written, and found by its normalised name. An archive is
 * content from strangers, so anything an image archive does not need is refused: absolute names,
 * "..", hard links, devices, and symbolic links other than Docker's own (a relative link from one
 * layer file to another, which {@code docker save} writes for a layer two images share).
 */
final class StagedArchive implements AutoCloseable {
    /** manifest.json, index.json, configs and manifests are read into memory: no bigger than this. */
    static final long MAX_JSON = 4 << 20;

    /** A file of the archive: its normalised name, where it is staged, its sha256 and size. */
    record Entry(String name, Path file, Digest sha256, long size) {
    }

    private final Path dir;
    private final Map<String, Entry> files = new LinkedHashMap<>();
    private final Map<String, String> links = new LinkedHashMap<>();

    private StagedArchive(Path dir) {
        this.dir = dir;
    }

    /** Reads the whole tar from {@code in} into {@code dir} (which it creates, and {@link #close} removes). */
    static StagedArchive read(InputStream in, Path dir) {
        StagedArchive a = new StagedArchive(dir);
        try {
            Files.createDirectories(dir);
            a.readAll(new TarArchiveInputStream(in));
            a.resolveLinks();
            return a;
        } catch (IOException e) {
            a.close();
            throw new JboxException("the archive is truncated or damaged (" + e.getMessage() + ")");
        } catch (RuntimeException e) {
            a.close();
            throw e;
        }
    }

    private void readAll(TarArchiveInputStream tar) throws IOException {
        int count = 0;
        String current = "its first entry";
        try {
            for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
                current = "entry '" + e.getName() + "'";
                count = readEntry(tar, e, count);
                current = "the entry after '" + e.getName() + "'";
            }
        } catch (IOException e) {
            throw new IOException("at " + current + ": " + e.getMessage(), e);
        }
    }

    private int readEntry(TarArchiveInputStream tar, TarArchiveEntry e, int count) throws IOException {
        String name = normalise(e.getName());
        if (files.containsKey(name) || links.containsKey(name)) {
            throw refused(e.getName(), "appears twice");
        }
        if (e.isDirectory()) {
            return count;
        }
        if (name.isEmpty()) {
            throw refused(e.getName(), "names no file");
        }
        if (e.isSymbolicLink()) {
            links.put(name, e.getLinkName());
            return count;
        }
        byte type = e.getLinkFlag(); // (isFile() is true for devices and FIFOs too: it means "not a directory")
        if (type != TarConstants.LF_NORMAL && type != TarConstants.LF_OLDNORM && type != TarConstants.LF_CONTIG) {
            throw refused(e.getName(), "is " + (e.isLink() ? "a hard link" : "a device, FIFO or other special file")
                    + "; an image archive holds only files and directories");
        }
        files.put(name, stage(tar, name, count + 1, e.getSize()));
        return count + 1;
    }

    private Entry stage(TarArchiveInputStream tar, String name, int n, long size) throws IOException {
        Path file = dir.resolve(String.format("%08d", n));
        Digest.Hashing hashing = Digest.hashing("sha256", tar);
        try (OutputStream out = Files.newOutputStream(file)) {
            hashing.in().transferTo(out);
        }
        if (hashing.size() != size) {
            throw new IOException(name + " ends after " + hashing.size() + " of its " + size + " bytes");
        }
        return new Entry(name, file, hashing.digest(), size);
    }

    /**
     * A symbolic link stays only if it is relative and leads, inside the archive, to a regular file:
     * then it is another name of that file. Docker's loader follows links inside its directory too.
     */
    private void resolveLinks() {
        for (Map.Entry<String, String> link : links.entrySet()) {
            String target = link.getValue();
            Entry file = target.startsWith("/") ? null : files.get(resolveLexically(link.getKey(), target));
            if (file == null) {
                throw refused(link.getKey(), "is a symbolic link to '" + target + "', which is not a file of the archive");
            }
            files.put(link.getKey(), new Entry(link.getKey(), file.file(), file.sha256(), file.size()));
        }
    }

    /** Where a relative link points, by its names alone; "" if it climbs out of the archive. */
    private static String resolveLexically(String link, String target) {
        List<String> parts = new ArrayList<>(List.of(link.split("/")));
        parts.remove(parts.size() - 1);
        for (String part : target.split("/")) {
            if (part.equals("..")) {
                if (parts.isEmpty()) {
                    return "";
                }
                parts.remove(parts.size() - 1);
            } else if (!part.isEmpty() && !part.equals(".")) {
                parts.add(part);
            }
        }
        return String.join("/", parts);
    }

    /** "./a//b/" is "a/b"; absolute names and ".." are refused (no image archive needs them; escapes do). */
    static String normalise(String name) {
        if (name.startsWith("/")) {
            throw refused(name, "is an absolute path");
        }
        List<String> parts = new ArrayList<>();
        for (String part : name.split("/")) {
            if (part.equals("..")) {
                throw refused(name, "climbs out of the archive with '..'");
            }
            if (!part.isEmpty() && !part.equals(".")) {
                parts.add(part);
            }
        }
        if (parts.isEmpty()) {
            return "";
        }
        return String.join("/", parts);
    }

    private static JboxException refused(String name, String why) {
        return new JboxException("entry '" + name + "' " + why + "; the archive is refused");
    }

    boolean has(String name) {
        return files.containsKey(name);
    }

    /** The file {@code name} names, or an error saying {@code who} refers to a file the archive lacks. */
    Entry get(String name, String who) {
        Entry e = files.get(name);
        if (e == null) {
            throw new JboxException(who + " refers to '" + name + "', which is not in the archive;"
                    + " the archive is incomplete or truncated");
        }
        return e;
    }

    /** A JSON document of the archive, refused if it is bigger than any real one ({@link #MAX_JSON}). */
    byte[] json(Entry e) {
        if (e.size() > MAX_JSON) {
            throw new JboxException(e.name() + " is " + e.size() + " bytes, more than the " + MAX_JSON
                    + " jbox reads for a JSON document; the archive is refused");
        }
        try {
            return Files.readAllBytes(e.file());
        } catch (IOException x) {
            throw new JboxException("cannot read the staged " + e.name() + ": " + x.getMessage());
        }
    }

    Collection<Entry> entries() {
        return files.values();
    }

    @Override
    public void close() {
        FileTrees.delete(dir);
    }
}
