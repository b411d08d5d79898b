package dev.jbox.registry;

import dev.jbox.image.Digest;
import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The upload endpoints, {@code /v2/<name>/blobs/uploads/[<id>]}: the state machine of a push.
 * <pre>
 *   POST ?digest=D (body)       monolithic: one request, 201
 *   POST ?mount=D&amp;from=REPO     cross-repository mount: 201, or 202 and a session if REPO lacks D
 *   POST                        opens a session: 202, Location of the session
 *   PATCH [Content-Range a-b]   appends a chunk (416 unless it starts where the upload ends)
 *   GET                         where the upload stands: 204, Range 0-(size-1)
 *   PUT ?digest=D [body]        the last chunk; verified, committed, linked: 201
 *   DELETE                      cancels: 204
 * </pre>
 */
final class UploadHandler {
    private static final Pattern CONTENT_RANGE = Pattern.compile("(?:bytes[ =])?(\\d+)-(\\d+)(?:/\\S+)?");

    private final RegistryStore store;
    private final Uploads uploads;

    UploadHandler(RegistryStore store, Uploads uploads) {
        this.store = store;
        this.uploads = uploads;
    }

    void start(Exchange ex) throws IOException {
        if (!ex.method().equals("POST")) {
            throw Router.unsupported(ex);
        }
        String mount = ex.query("mount");
        if (mount != null && mounted(ex, Exchange.digest(mount), ex.query("from"))) {
            return;
        }
        String digest = ex.query("digest");
        Digest expected = digest == null ? null : Exchange.digest(digest);
        UploadSession session = uploads.start(ex.name());
        if (expected == null) {
            status(ex, session).send(202);
            return;
        }
        try {
            session.append(ex.body(), -1, ex.contentLength());
        } catch (IOException | RuntimeException e) {
            uploads.cancel(session);
            throw e;
        }
        finish(ex, session, expected);
    }

    private boolean mounted(Exchange ex, Digest digest, String from) throws IOException {
        if (from == null) {
            return false; // no source named: a session is opened, as the spec allows
        }
        Repository source = store.repository(new RepositoryName(from));
        if (!source.hasBlob(digest) || !store.blobs().contains(digest)) {
            return false;
        }
        store.repository(ex.name()).linkBlob(digest);
        created(ex, digest);
        return true;
    }

    void session(Exchange ex, String id) throws IOException {
        UploadSession session = uploads.get(ex.name(), id);
        switch (ex.method()) {
            case "GET" -> status(ex, session).send(204);
            case "PATCH" -> {
                append(ex, session);
                status(ex, session).send(202);
            }
            case "PUT" -> {
                String digest = ex.query("digest");
                if (digest == null) {
                    throw new RegistryError(ErrorCode.DIGEST_INVALID, "closing an upload needs ?digest=sha256:...");
                }
                Digest expected = Exchange.digest(digest);
                append(ex, session);
                finish(ex, session, expected);
            }
            case "DELETE" -> {
                uploads.cancel(session);
                ex.send(204);
            }
            default -> throw Router.unsupported(ex);
        }
    }

    private void append(Exchange ex, UploadSession session) throws IOException {
        String range = ex.header("Content-Range");
        long start = -1;
        long length = ex.contentLength();
        if (range != null) {
            Matcher m = CONTENT_RANGE.matcher(range.strip());
            if (!m.matches() || Long.parseLong(m.group(2)) < Long.parseLong(m.group(1))) {
                throw new RegistryError(ErrorCode.BLOB_UPLOAD_INVALID, 416, "Content-Range '" + range + "' is not <start>-<end>");
            }
            start = Long.parseLong(m.group(1));
            long announced = Long.parseLong(m.group(2)) - start + 1;
            if (length >= 0 && length != announced) {
                throw new RegistryError(ErrorCode.SIZE_INVALID, "Content-Range '" + range + "' covers " + announced
                        + " bytes but Content-Length says " + length);
            }
            length = announced;
        }
        status(ex, session); // a refused chunk still tells the client where the upload stands
        session.append(ex.body(), start, length);
    }

    private void finish(Exchange ex, UploadSession session, Digest expected) throws IOException {
        uploads.finish(session, expected);
        created(ex, expected);
    }

    private static void created(Exchange ex, Digest digest) throws IOException {
        ex.set("Location", "/v2/" + ex.name() + "/blobs/" + digest)
                .set("Docker-Content-Digest", digest.toString())
                .send(201);
    }

    private static Exchange status(Exchange ex, UploadSession session) {
        long size = session.offset();
        return ex.set("Location", "/v2/" + ex.name() + "/blobs/uploads/" + session.id())
                .set("Docker-Upload-UUID", session.id())
                .set("Range", "0-" + Math.max(0, size - 1));
    }
}
