package dev.jbox.registry;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sends each request under {@code /v2/} to its endpoint, and turns a refusal into the spec's
 * error body. A repository name may hold slashes, so the endpoint is found from the end of the
 * path (as Distribution's router does), and the name is whatever precedes it.
 */
final class Router implements HttpHandler {
    private static final Logger LOG = Logger.getLogger(Router.class.getName());
    private static final Pattern UPLOADS = Pattern.compile("/v2/(.+)/blobs/uploads/?");
    private static final Pattern UPLOAD = Pattern.compile("/v2/(.+)/blobs/uploads/([^/]+)");
    private static final Pattern BLOB = Pattern.compile("/v2/(.+)/blobs/([^/]+)");
    private static final Pattern MANIFEST = Pattern.compile("/v2/(.+)/manifests/([^/]+)");
    private static final Pattern TAGS = Pattern.compile("/v2/(.+)/tags/list");
    private static final Pattern REFERRERS = Pattern.compile("/v2/(.+)/referrers/([^/]+)");

    private final BlobHandler blobs;
    private final UploadHandler uploads;
    private final ManifestHandler manifests;
    private final TagsHandler tags;
    private final ReferrersHandler referrers;

    Router(RegistryStore store, Uploads sessions) {
        this.blobs = new BlobHandler(store);
        this.uploads = new UploadHandler(store, sessions);
        this.manifests = new ManifestHandler(store);
        this.tags = new TagsHandler(store);
        this.referrers = new ReferrersHandler(store);
    }

    @Override
    public void handle(HttpExchange http) throws IOException {
        http.getResponseHeaders().set("Docker-Distribution-API-Version", "registry/2.0");
        Exchange ex = null;
        try {
            String path = http.getRequestURI().getRawPath();
            if (path.equals("/v2") || path.equals("/v2/")) {
                ex = new Exchange(http, null);
                ex.sendJson(200, java.util.Map.of());
                return;
            }
            route(http, path);
        } catch (RegistryError e) {
            ex = ex != null ? ex : new Exchange(http, null);
            if (!ex.sent()) {
                ex.sendError(e);
            }
        } catch (IOException e) {
            // Mostly a client that went away mid-body; its session keeps what arrived whole.
            LOG.log(Level.FINE, "request failed: " + http.getRequestMethod() + " " + http.getRequestURI(), e);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "internal error on " + http.getRequestMethod() + " " + http.getRequestURI(), e);
            internalError(http, e);
        } finally {
            http.close();
        }
    }

    private void route(HttpExchange http, String path) throws IOException {
        Matcher m;
        if ((m = UPLOADS.matcher(path)).matches()) {
            uploads.start(exchange(http, m));
        } else if ((m = UPLOAD.matcher(path)).matches()) {
            uploads.session(exchange(http, m), m.group(2));
        } else if ((m = BLOB.matcher(path)).matches()) {
            blobs.handle(exchange(http, m), m.group(2));
        } else if ((m = MANIFEST.matcher(path)).matches()) {
            manifests.handle(exchange(http, m), m.group(2));
        } else if ((m = TAGS.matcher(path)).matches()) {
            tags.handle(exchange(http, m));
        } else if ((m = REFERRERS.matcher(path)).matches()) {
            referrers.handle(exchange(http, m), m.group(2));
        } else {
            throw new RegistryError(ErrorCode.UNSUPPORTED, 404, "no endpoint " + path + " in the OCI distribution API");
        }
    }

    /** The exchange of a request whose path names a repository; the name is validated here, once. */
    private static Exchange exchange(HttpExchange http, Matcher m) {
        return new Exchange(http, new RepositoryName(m.group(1)));
    }

    static RegistryError unsupported(Exchange ex) {
        return new RegistryError(ErrorCode.UNSUPPORTED, 405, ex.method() + " is not an operation of this endpoint");
    }

    private static void internalError(HttpExchange http, RuntimeException e) {
        try {
            byte[] body = ("{\"errors\":[{\"code\":\"UNKNOWN\",\"message\":\"internal error\",\"detail\":"
                    + dev.jbox.Json.text(String.valueOf(e.getMessage())) + "}]}").getBytes(StandardCharsets.UTF_8);
            http.getResponseHeaders().set("Content-Type", "application/json");
            http.sendResponseHeaders(500, body.length);
            try (OutputStream out = http.getResponseBody()) {
                out.write(body);
            }
        } catch (IOException | RuntimeException ignored) {
            // the response had begun, or the client is gone: nothing more can be said
        }
    }
}
