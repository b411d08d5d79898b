package dev.jbox.registry;

import dev.jbox.image.Digest;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The upload sessions of a running registry. They live in memory (the hash state cannot be on
 * disk cheaply), so they end with the process, and their ingest files are cleared at start. A
 * session untouched for longer than the expiry is removed with its file: a client that vanished
 * mid-push costs disk space only until then.
 */
final class Uploads {
    private final RegistryStore store;
    private final Duration expiry;
    private final Map<String, UploadSession> sessions = new ConcurrentHashMap<>();

    Uploads(RegistryStore store, Duration expiry) {
        this.store = store;
        this.expiry = expiry;
    }

    UploadSession start(RepositoryName repository) throws IOException {
        String id = UUID.randomUUID().toString();
        UploadSession s = new UploadSession(id, repository, store.blobs().newIngestFile());
        sessions.put(id, s);
        return s;
    }

    /** The session {@code id} of {@code repository}; an unknown, expired or foreign id is BLOB_UPLOAD_UNKNOWN. */
    UploadSession get(RepositoryName repository, String id) {
        UploadSession s = sessions.get(id);
        if (s == null || !s.repository().equals(repository)) {
            throw new RegistryError(ErrorCode.BLOB_UPLOAD_UNKNOWN, "no upload " + id + " in " + repository
                    + " (it ended, expired after " + expiry.toSeconds() + " s idle, or never began): start a new one");
        }
        return s;
    }

    /** Verifies the session's content, makes it the blob and links it into the repository. */
    void finish(UploadSession s, Digest digest) throws IOException {
        try {
            s.finish(digest, store.blobs()::commit);
            store.repository(s.repository()).linkBlob(digest);
        } finally {
            sessions.remove(s.id());
            s.discard();
        }
    }

    void cancel(UploadSession s) throws IOException {
        sessions.remove(s.id());
        s.discard();
    }

    /** Removes the sessions idle since before {@code now - expiry}; returns how many. */
    int expire(Instant now) throws IOException {
        int removed = 0;
        for (UploadSession s : sessions.values()) {
            if (s.touched().plus(expiry).isBefore(now) && sessions.remove(s.id(), s)) {
                s.discard();
                removed++;
            }
        }
        return removed;
    }

    void cancelAll() throws IOException {
        for (UploadSession s : sessions.values()) {
            cancel(s);
        }
    }
}
