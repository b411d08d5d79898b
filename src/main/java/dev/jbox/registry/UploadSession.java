package dev.jbox.registry;

import dev.jbox.image.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Instant;

/**
 * One blob upload in progress: the state Distribution keeps between the requests of a push. Its
 * bytes and their running hash are a {@link BlobIngest}, which trusts nothing the client says
 * about them; the session adds the name the client knows it by, its repository, and when it was
 * last used (for expiry).
 */
final class UploadSession {
    private final String id;
    private final RepositoryName repository;
    private final BlobIngest ingest;
    private volatile Instant touched = Instant.now();

    UploadSession(String id, RepositoryName repository, Path file) throws IOException {
        this.id = id;
        this.repository = repository;
        this.ingest = new BlobIngest(file);
    }

    String id() {
        return id;
    }

    RepositoryName repository() {
        return repository;
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
            return ingest.append(body, start, length);
        } finally {
            touched = Instant.now();
        }
    }

    /**
     * Ends the upload: the digest of what arrived must be {@code expected}, or nothing becomes
     * visible and the session is gone. {@code commit} makes the verified file the blob.
     */
    void finish(Digest expected, BlobIngest.Commit commit) throws IOException {
        ingest.commit(expected, commit);
    }

    void discard() throws IOException {
        ingest.discard();
    }
}
