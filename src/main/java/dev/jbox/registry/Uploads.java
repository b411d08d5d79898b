package dev.jbox.registry;

import dev.jbox.image.Digest;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The upload sessions of a registry. Each keeps its state on disk beside its data, so a restarted
 * registry takes up the sessions the last one left (as Distribution does): a push that was under
 * way goes on at the offset the client was last told. A session untouched for longer than the
 * expiry is removed with its files, whichever process began it: a client that vanished mid-push
 * costs disk space only until then.
 */
final class Uploads {
    private final RegistryStore store;
    private final Duration expiry;
    private final Map<String, UploadSession> sessions = new ConcurrentHashMap<>();

    Uploads(RegistryStore store, Duration expiry) {
        this.store = store;
        this.expiry = expiry;
    }

    /**
     * The sessions a previous process left under {@code uploads/}; every other ingest file there
     * (a manifest or a one-request upload cut off by the crash) belonged to a request that died with it.
     */
    static Uploads restore(RegistryStore store, Duration expiry) throws IOException {
        Uploads uploads = new Uploads(store, expiry);
        java.util.Set<Path> kept = new java.util.HashSet<>();
        for (Path f : store.blobs().ingestFiles()) {
            UploadSession s = f.getFileName().toString().endsWith(".state") ? UploadSession.restore(f) : null;
            if (s != null) {
                uploads.sessions.put(s.id(), s);
                kept.add(f);
                kept.add(s.file());
            }
        }
        for (Path f : store.blobs().ingestFiles()) {
            if (!kept.contains(f)) {
                Files.deleteIfExists(f);
            }
        }
        return uploads;
    }

    UploadSession start(RepositoryName repository) throws IOException {
        Path file = store.blobs().newIngestFile();
        String name = file.getFileName().toString();
        String id = name.substring(0, name.length() - ".data".length()); // the session's files are ID.data and ID.state
        UploadSession s = new UploadSession(id, repository, file);
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

    /** Closes the sessions' files and keeps them on disk, for the next process to resume or expire. */
    void close() {
        sessions.values().forEach(UploadSession::close);
        sessions.clear();
    }
}
