package dev.jbox.image;

import dev.jbox.JboxException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Blobs by digest, as containerd's content store keeps them: a writer ingests into a temporary
 * file outside {@code blobs/}, hashing as it writes; only bytes whose size and digest check out
 * are renamed to {@code blobs/ALG/HEX}. A rename is atomic, so a reader sees a whole, verified
 * blob or none: never a partial or a wrong one. Two writers of one blob both rename identical
 * bytes onto the same name, so the store ends with one good copy and needs no lock.
 */
public final class ContentStore {
    private final Path blobs;
    private final Path ingest;

    /** @param layout the OCI layout directory ({@code blobs/} inside it); {@code ingest} on the same file system */
    ContentStore(Path layout, Path ingest) {
        this.blobs = layout.resolve("blobs");
        this.ingest = ingest;
    }

    /** Where the blob is (it may not exist). */
    public Path path(Digest digest) {
        return blobs.resolve(digest.algorithm()).resolve(digest.hex());
    }

    public boolean has(Digest digest) {
        return Files.isRegularFile(path(digest));
    }

    // tag::ingest[]
    /**
     * Writes the stream as a blob. With {@code expected} (and {@code expectedSize} >= 0), bytes
     * that do not match are refused and nothing of them stays in the store.
     */
    public StoredBlob put(InputStream in, Digest expected, long expectedSize) {
        String algorithm = expected == null ? "sha256" : expected.algorithm();
        Path tmp = ingest.resolve("ingest-" + UUID.randomUUID());
        try {
            Files.createDirectories(ingest);
            Digest.Hashing hashing = Digest.hashing(algorithm, in);
            try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                hashing.in().transferTo(java.nio.channels.Channels.newOutputStream(out));
                out.force(true); // the bytes are on disk before the name says they are there
            }
            Digest actual = hashing.digest();
            if (expectedSize >= 0 && hashing.size() != expectedSize) {
                throw new JboxException("blob " + (expected == null ? actual : expected) + " has " + hashing.size()
                        + " bytes where " + expectedSize + " were expected; the source is truncated or corrupt:"
                        + " fetch or load it again");
            }
            if (expected != null && !expected.equals(actual)) {
                throw new JboxException("blob " + expected + " has the wrong content (its bytes hash to " + actual
                        + "); the source is corrupt or was tampered with: fetch or load it again");
            }
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("r--r--r--"));
            Path target = path(actual);
            Files.createDirectories(target.getParent());
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return new StoredBlob(actual, hashing.size());
        } catch (IOException e) {
            throw new JboxException("cannot write a blob to " + blobs + ": " + e + "; check the space and"
                    + " permissions of " + blobs.getParent());
        } finally {
            deleteQuietly(tmp);
        }
    }
    // end::ingest[]

    public StoredBlob put(byte[] bytes) {
        return put(new ByteArrayInputStream(bytes), null, bytes.length);
    }

    /** A small blob (manifest, config), checked against its name as it is read. */
    public byte[] read(Digest digest) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path(digest));
        } catch (NoSuchFileException e) {
            throw new JboxException("blob " + digest + " is missing from " + blobs
                    + "; the image is incomplete: remove it (jbox rmi) and load it again");
        } catch (IOException e) {
            throw new JboxException("cannot read blob " + digest + ": " + e.getMessage());
        }
        Digest actual = hash(digest.algorithm(), bytes);
        if (!actual.equals(digest)) {
            throw new JboxException("blob " + digest + " in " + blobs + " is damaged (its bytes hash to " + actual
                    + "); remove the image (jbox rmi -f) and load it again");
        }
        return bytes;
    }

    private static Digest hash(String algorithm, byte[] bytes) {
        try {
            return Digest.of(algorithm, new ByteArrayInputStream(bytes));
        } catch (IOException e) {
            throw new IllegalStateException("a byte array cannot fail to read", e);
        }
    }

    public long size(Digest digest) {
        try {
            return Files.size(path(digest));
        } catch (IOException e) {
            return 0;
        }
    }

    /** Every blob in the store. */
    public List<Digest> list() {
        List<Digest> all = new ArrayList<>();
        if (!Files.isDirectory(blobs)) {
            return all;
        }
        try (Stream<Path> algorithms = Files.list(blobs)) {
            for (Path alg : algorithms.toList()) {
                try (Stream<Path> files = Files.list(alg)) {
                    files.forEach(f -> all.add(new Digest(alg.getFileName().toString(), f.getFileName().toString())));
                }
            }
        } catch (IOException | JboxException e) {
            throw new JboxException("cannot list the blobs in " + blobs + ": " + e.getMessage());
        }
        return all;
    }

    public void delete(Digest digest) {
        deleteQuietly(path(digest));
    }

    /** Removes what writers that died (killed, crashed) left in the ingest directory; returns the bytes freed. */
    long removeStaleIngests(Duration olderThan) {
        if (!Files.isDirectory(ingest)) {
            return 0;
        }
        long freed = 0;
        FileTime cutoff = FileTime.from(Instant.now().minus(olderThan));
        try (Stream<Path> files = Files.list(ingest)) {
            for (Path f : files.filter(f -> f.getFileName().toString().startsWith("ingest-")).toList()) {
                if (Files.getLastModifiedTime(f).compareTo(cutoff) < 0) {
                    freed += Files.size(f);
                    deleteQuietly(f);
                }
            }
        } catch (IOException e) {
            throw new JboxException("cannot clean " + ingest + ": " + e.getMessage());
        }
        return freed;
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // nothing to undo: a leftover temporary file is removed by the next prune
        }
    }
}
