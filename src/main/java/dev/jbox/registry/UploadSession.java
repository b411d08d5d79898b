package dev.jbox.registry;

import dev.jbox.image.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Properties;

/**
 * One blob upload in progress: the state Distribution keeps between the requests of a push. Its
 * bytes and their running hash are a {@link BlobIngest}, which trusts nothing the client says
 * about them; the session adds the name the client knows it by, its repository, and when it was
 * last used (for expiry).
 *
 * <p>Beside the data a small state file ({@code ID.state}: the repository and the offset of the
 * last whole chunk) is rewritten after every chunk, so a registry restarted mid-push takes the
 * session up again where the client's last acknowledged chunk ended ({@link #restore}); bytes of a
 * chunk the old process was writing when it died are cut off. The hash state is not saved: a
 * restored session feeds the bytes it kept through a new ingest, once, when the registry starts.
 */
final class UploadSession {
    private final String id;
    private final RepositoryName repository;
    private final Path file;
    private final Path state;
    private final BlobIngest ingest;
    private volatile Instant touched = Instant.now();

    /** A new session, its data in {@code file} (empty), its state beside it. */
    UploadSession(String id, RepositoryName repository, Path file) throws IOException {
        this(id, repository, file, new BlobIngest(file));
        saveState();
    }

    private UploadSession(String id, RepositoryName repository, Path file, BlobIngest ingest) {
        this.id = id;
        this.repository = repository;
        this.file = file;
        this.state = stateOf(file);
        this.ingest = ingest;
    }

    /** Where the state of the session whose data is {@code file} is kept. */
    static Path stateOf(Path file) {
        String name = file.getFileName().toString();
        return file.resolveSibling(name.substring(0, name.length() - ".data".length()) + ".state");
    }

    /**
     * The session a previous registry process left in {@code stateFile}, or null (and its files
     * removed) when its state or data is missing or unreadable: the client then starts again.
     */
    static UploadSession restore(Path stateFile) throws IOException {
        String name = stateFile.getFileName().toString();
        Path data = stateFile.resolveSibling(name.substring(0, name.length() - ".state".length()) + ".data");
        Path kept = data.resolveSibling(data.getFileName() + ".kept");
        try {
            Properties p = new Properties();
            try (InputStream in = Files.newInputStream(stateFile)) {
                p.load(in);
            }
            long offset = Long.parseLong(p.getProperty("offset"));
            if (Files.size(data) < offset) {
                throw new IOException("the data is shorter than the state says");
            }
            // The acknowledged bytes go through a new ingest, which hashes them again; whatever lies
            // past the offset was a chunk being written when the process died, never acknowledged.
            Files.move(data, kept, StandardCopyOption.REPLACE_EXISTING);
            try (FileChannel cut = FileChannel.open(kept, StandardOpenOption.WRITE)) {
                cut.truncate(offset);
            }
            BlobIngest ingest = new BlobIngest(Files.createFile(data));
            try (InputStream in = Files.newInputStream(kept)) {
                ingest.append(in, 0, offset);
            }
            Files.delete(kept);
            UploadSession s = new UploadSession(p.getProperty("id"), new RepositoryName(p.getProperty("repository")), data, ingest);
            s.touched = Files.getLastModifiedTime(stateFile).toInstant();
            return s;
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(kept);
            Files.deleteIfExists(data);
            Files.deleteIfExists(stateFile);
            return null;
        }
    }

    String id() {
        return id;
    }

    RepositoryName repository() {
        return repository;
    }

    Path file() {
        return file;
    }

    Instant touched() {
        return touched;
    }

    long offset() {
        return ingest.size();
    }

    /**
     * Appends a request body. {@code start} is where a chunked PATCH says it begins (-1 for a
     * streamed one) and {@code length} what it announced (-1 if unknown).
     */
    long append(InputStream body, long start, long length) throws IOException {
        touched = Instant.now();
        try {
            long size = ingest.append(body, start, length);
            saveState();
            return size;
        } finally {
            touched = Instant.now();
        }
    }

    /** The state file, replaced whole (written beside, then renamed) so a crash leaves the old one or the new. */
    private synchronized void saveState() throws IOException {
        Path tmp = state.resolveSibling(state.getFileName() + ".tmp");
        Files.writeString(tmp, "id=" + id + "\nrepository=" + repository + "\noffset=" + ingest.size() + "\n");
        Files.move(tmp, state, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * Ends the upload: the digest of what arrived must be {@code expected}, or nothing becomes
     * visible and the session is gone. {@code commit} makes the verified file the blob.
     */
    void finish(Digest expected, BlobIngest.Commit commit) throws IOException {
        Files.deleteIfExists(state);
        ingest.commit(expected, commit);
    }

    /** Stops using the session's files and keeps them, state included (the registry stops). */
    void close() {
        ingest.close();
    }

    void discard() throws IOException {
        ingest.discard();
        Files.deleteIfExists(state);
    }
}
