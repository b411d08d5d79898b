package dev.jbox.registry;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Sends each request under {@code /v2/} to its endpoint, once its {@link Access} allows it, and
 * turns a refusal into the spec's error body. A repository name may hold slashes, so the endpoint
 * is found from the end of the path (as Distribution's router does), and the name is whatever
 * precedes it.
 *
 * <p>A Jetty handler of the blocking kind: Jetty runs it on a pool thread that may wait on the
 * socket and the disk, so each endpoint reads and writes plain streams.
 */
final class Router extends Handler.Abstract {
    private static final Logger LOG = Logger.getLogger(Router.class.getName());
    private static final Pattern UPLOADS = Pattern.compile("/v2/(.+)/blobs/uploads/?");
    private static final Pattern UPLOAD = Pattern.compile("/v2/(.+)/blobs/uploads/([^/]+)");
    private static final Pattern BLOB = Pattern.compile("/v2/(.+)/blobs/([^/]+)");
    private static final Pattern MANIFEST = Pattern.compile("/v2/(.+)/manifests/([^/]+)");
    private static final Pattern TAGS = Pattern.compile("/v2/(.+)/tags/list");
    private static final Pattern REFERRERS = Pattern.compile("/v2/(.+)/referrers/([^/]+)");

    private final Access access;
    private final BlobHandler blobs;
    private final UploadHandler uploads;
    private final ManifestHandler manifests;
    private final TagsHandler tags;
    private final ReferrersHandler referrers;
    private final CatalogHandler catalog;

    Router(RegistryStore store, Uploads sessions, Access access) {
        super(InvocationType.BLOCKING);
        this.access = access;
        this.blobs = new BlobHandler(store);
        this.uploads = new UploadHandler(store, sessions);
        this.manifests = new ManifestHandler(store);
        this.tags = new TagsHandler(store);
        this.referrers = new ReferrersHandler(store);
        this.catalog = new CatalogHandler(store);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        response.getHeaders().put("Docker-Distribution-API-Version", "registry/2.0");
        Exchange ex = new Exchange(request, response, null);
        try {
            route(ex, ex.path());
        } catch (RegistryError e) {
            sendError(ex, e);
        } catch (ClientGone e) {
            // An upload session keeps what arrived in whole requests; the client may resume.
            // Nobody is left to read an answer: the exchange ends quietly (failing the callback
            // would have Jetty log a warning and try to write a 500 to the closed socket).
            LOG.log(Level.FINE, "request failed: " + ex.method() + " " + ex.path(), e);
            callback.succeeded();
            return true;
        } catch (IOException e) {
            LOG.warning("storage failed on " + ex.method() + " " + ex.path() + ": " + e);
            sendError(ex, storageFailed(e));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "internal error on " + ex.method() + " " + ex.path(), e);
            sendError(ex, new RegistryError(ErrorCode.UNKNOWN, 500, "internal error: " + e.getMessage()));
        }
        try {
            ex.finish();
            callback.succeeded();
        } catch (IOException | RuntimeException e) {
            callback.failed(e);
        }
        return true;
    }

    private void route(Exchange ex, String path) throws IOException {
        if (access.serves(path)) {
            access.serve(ex);
            return;
        }
        if (path.equals("/v2") || path.equals("/v2/")) {
            access.check(ex, List.of()); // the client's probe: is it (still) let in?
            ex.sendJson(200, Map.of());
            return;
        }
        if (path.equals("/v2/_catalog")) {
            access.check(ex, List.of(Scope.CATALOG));
            catalog.handle(ex);
            return;
        }
        Matcher m;
        if ((m = UPLOADS.matcher(path)).matches()) {
            uploads.start(authorized(ex, m));
        } else if ((m = UPLOAD.matcher(path)).matches()) {
            uploads.session(authorized(ex, m), m.group(2));
        } else if ((m = BLOB.matcher(path)).matches()) {
            blobs.handle(authorized(ex, m), m.group(2));
        } else if ((m = MANIFEST.matcher(path)).matches()) {
            manifests.handle(authorized(ex, m), m.group(2));
        } else if ((m = TAGS.matcher(path)).matches()) {
            tags.handle(authorized(ex, m));
        } else if ((m = REFERRERS.matcher(path)).matches()) {
            referrers.handle(authorized(ex, m), m.group(2));
        } else {
            throw new RegistryError(ErrorCode.UNSUPPORTED, 404, "no endpoint " + path + " in the OCI distribution API");
        }
    }

    /**
     * Names the exchange's repository (validated here, once) and checks the client may do what the
     * method asks there: reading is pull, writing is pull and push (as Docker asks), DELETE is
     * delete, and a cross-repository mount also reads the source.
     */
    private Exchange authorized(Exchange ex, Matcher m) {
        RepositoryName name = new RepositoryName(m.group(1));
        ex.named(name);
        access.check(ex, Scope.needed(ex.method(), name, ex.query("mount") != null ? ex.query("from") : null));
        return ex;
    }

    /**
     * The registry's own disk failed (the request was fine): one error the client can show. A
     * full disk is 507 Insufficient Storage; whatever the request wrote was undone by its handler.
     */
    static RegistryError storageFailed(IOException e) {
        boolean full = String.valueOf(e.getMessage()).contains("No space left");
        return new RegistryError(ErrorCode.UNKNOWN, full ? 507 : 500, full
                ? "the registry's disk is full (" + e.getMessage() + "): nothing was stored; free space under its --root and retry"
                : "the registry could not store or read its files: " + e);
    }

    static RegistryError unsupported(Exchange ex) {
        return new RegistryError(ErrorCode.UNSUPPORTED, 405, ex.method() + " is not an operation of this endpoint");
    }

    private static void sendError(Exchange ex, RegistryError e) {
        if (ex.sent()) {
            return; // the response had begun: nothing more can be said
        }
        try {
            ex.sendError(e);
        } catch (IOException | RuntimeException ignored) {
            // the client is gone
        }
    }
}
