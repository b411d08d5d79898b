package dev.jbox.registry;

import dev.jbox.image.Digest;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The registry's content store: every blob (layers, configs and the manifests themselves) once,
 * under {@code blobs/<algorithm>/<hex>}, whichever repositories link it. Bytes arrive in an ingest
 * file under {@code uploads/} and are renamed into place only once their digest has been checked
 * (containerd's ingest-then-commit): a blob under {@code blobs/} is always complete and verified,
 * even after a crash or a client killed mid-push.
 */
final class BlobStore {
    private final Path blobs;
    private final Path uploads;

    BlobStore(Path root) {
        this.blobs = root.resolve("blobs");
        this.uploads = root.resolve("uploads");
    }

    Path path(Digest digest) {
        return blobs.resolve(digest.algorithm()).resolve(digest.hex());
    }

    /** The blob's size, or -1 when the store does not hold it. */
    long size(Digest digest) {
        try {
            return Files.size(path(digest));
        } catch (IOException e) {
            return -1;
        }
    }

    boolean contains(Digest digest) {
        return Files.isRegularFile(path(digest));
    }

    /** A fresh file for the bytes of one upload; nothing reads it until {@link #commit}. */
    Path newIngestFile() throws IOException {
        Files.createDirectories(uploads);
        return Files.createFile(uploads.resolve(UUID.randomUUID() + ".data"));
    }

    /** The files under {@code uploads/}: the data and state of upload sessions, and ingest files of requests in flight. */
    List<Path> ingestFiles() throws IOException {
        if (!Files.isDirectory(uploads)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(uploads)) {
            return files.toList();
        }
    }

    /**
     * Makes a verified ingest file the blob {@code digest}. The caller has checked the digest.
     * When two uploads of one blob finish at once, both renames put identical bytes in place, and a
     * reader holding the file open keeps reading the inode it opened: one good copy either way.
     */
    void commit(Path ingest, Digest digest) throws IOException {
        Path target = path(digest);
        if (Files.isRegularFile(target)) {
            Files.deleteIfExists(ingest);
            return;
        }
        try (FileChannel ch = FileChannel.open(ingest, StandardOpenOption.WRITE)) {
            ch.force(true); // the name must never point at bytes that are not on disk yet
        }
        Files.createDirectories(target.getParent());
        Files.move(ingest, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Stores small content (a manifest) held in memory, through the same ingest-and-rename path. */
    void put(Digest digest, byte[] content) throws IOException {
        if (contains(digest)) {
            return;
        }
        Path ingest = newIngestFile();
        try {
            Files.write(ingest, content);
            commit(ingest, digest);
        } finally {
            Files.deleteIfExists(ingest);
        }
    }

    byte[] read(Digest digest) throws IOException {
        return Files.readAllBytes(path(digest));
    }

    boolean delete(Digest digest) throws IOException {
        try {
            Files.delete(path(digest));
            return true;
        } catch (NoSuchFileException e) {
            return false;
        }
    }

    List<Digest> list() throws IOException {
        List<Digest> all = new ArrayList<>();
        for (String algorithm : List.of("sha256", "sha512")) {
            Path dir = blobs.resolve(algorithm);
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> files = Files.list(dir)) {
                files.forEach(f -> all.add(new Digest(algorithm, f.getFileName().toString())));
            }
        }
        return all;
    }
}
