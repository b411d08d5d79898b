package dev.jbox.registry;

import dev.jbox.image.Digest;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/** {@code GET|HEAD|DELETE /v2/<name>/blobs/<digest>}: a blob, whole or a range, and its removal from a repository. */
final class BlobHandler {
    private final RegistryStore store;

    BlobHandler(RegistryStore store) {
        this.store = store;
    }

    void handle(Exchange ex, String reference) throws IOException {
        if (!java.util.List.of("GET", "HEAD", "DELETE").contains(ex.method())) {
            throw Router.unsupported(ex);
        }
        Digest digest = Exchange.digest(reference);
        Repository repo = store.repository(ex.name());
        long size = repo.hasBlob(digest) ? store.blobs().size(digest) : -1;
        if (size < 0) {
            throw new RegistryError(ErrorCode.BLOB_UNKNOWN, "blob " + digest + " is not in " + ex.name());
        }
        switch (ex.method()) {
            case "GET", "HEAD" -> send(ex, digest, size);
            case "DELETE" -> {
                // The repository forgets the blob; its bytes stay for other repositories until gc.
                repo.unlinkBlob(digest);
                ex.send(202);
            }
            default -> throw new IllegalStateException("checked above");
        }
    }

    private void send(Exchange ex, Digest digest, long size) throws IOException {
        ex.set("Docker-Content-Digest", digest.toString())
                .set("Content-Type", "application/octet-stream")
                .set("Accept-Ranges", "bytes")
                .set("ETag", "\"" + digest + "\"")
                .set("Cache-Control", "max-age=31536000");
        Optional<ByteRange> range;
        try {
            range = ByteRange.of(ex.header("Range"), size);
        } catch (RegistryError unsatisfiable) {
            ex.set("Content-Range", "bytes */" + size);
            throw unsatisfiable;
        }
        long first = range.map(ByteRange::first).orElse(0L);
        long length = range.map(ByteRange::length).orElse(size);
        range.ifPresent(r -> ex.set("Content-Range", "bytes " + r.first() + "-" + r.last() + "/" + size));
        try (FileChannel file = FileChannel.open(store.blobs().path(digest), StandardOpenOption.READ)) {
            ex.sendFile(range.isPresent() ? 206 : 200, file, first, length);
        }
    }
}
