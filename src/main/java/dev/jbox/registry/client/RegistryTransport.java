package dev.jbox.registry.client;

import dev.jbox.JboxException;
import dev.jbox.registry.client.Authenticator.Scopes;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;

/**
 * The HTTP conversation with one registry: which scheme it speaks, and its {@link Authenticator}.
 * Every request the endpoints make goes through {@link #send}, which answers a 401 challenge once
 * and retries requests that may be repeated (GET, HEAD) when the connection fails.
 *
 * <p>The scheme is found by asking {@code /v2/} (the "ping" every client makes). HTTPS only,
 * except for registries {@link InsecureRegistries} allows plain HTTP: those are tried over HTTPS
 * first, then HTTP, as Docker does, so a registry that has TLS is always spoken to over it. (A
 * TLS hello sent to a plain-HTTP server is answered at once with a 400 by Jetty and by
 * Distribution; only the JDK's own HTTP server, which jbox's registry no longer uses, let it hang.)
 */
public final class RegistryTransport {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private final String registry;
    private final URI base;
    private final HttpClient http;
    private final Authenticator auth;
    private final RetryPolicy retry;

    private RegistryTransport(String registry, URI base, HttpClient http, Authenticator auth, RetryPolicy retry) {
        this.registry = registry;
        this.base = base;
        this.http = http;
        this.auth = auth;
        this.retry = retry;
    }

    /** Docker Hub's API is not at docker.io itself. */
    static String apiHost(String registry) {
        return registry.equals("docker.io") ? "registry-1.docker.io" : registry;
    }

    /**
     * Finds how to speak to {@code registry} (HOST[:PORT]) and learns its challenge, if any.
     *
     * @param credentials null to use the stored login (if any)
     */
    public static RegistryTransport connect(String registry, ClientConfig config, Credentials credentials) {
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT)
                .version(HttpClient.Version.HTTP_1_1) // one connection per parallel transfer; no h2c upgrade dance
                .followRedirects(HttpClient.Redirect.NEVER); // a blob redirect must not carry our token elsewhere
        SSLContext ssl = TrustedCertificates.forRegistry(registry, config.certDirs());
        if (ssl != null) {
            builder.sslContext(ssl);
        }
        HttpClient http = builder.build();
        Credentials login = credentials != null ? credentials : config.credentials().get(registry);
        Authenticator auth = new Authenticator(registry, login, http, config.insecure());
        List<String> schemes = config.insecure().allowsPlainHttp(registry) ? List.of("https", "http") : List.of("https");
        List<String> failures = new ArrayList<>();
        for (String scheme : schemes) {
            URI base = URI.create(scheme + "://" + apiHost(registry));
            RegistryTransport t = new RegistryTransport(registry, base, http, auth, config.retry());
            // A plain-HTTP server that never answers a TLS hello (the JDK's own) would hold the
            // HTTPS probe for the whole ping timeout; when HTTP may follow, give it less.
            String failure = t.ping(scheme.equals("https") && schemes.size() > 1 ? Duration.ofSeconds(3) : Duration.ofSeconds(30));
            if (failure == null) {
                return t;
            }
            failures.add(base.resolve("/v2/") + ": " + failure);
        }
        throw new JboxException("cannot reach the registry " + registry + " (" + String.join("; ", failures) + ")"
                + (schemes.size() == 1 && !failures.isEmpty()
                        ? "; is it running? A registry without TLS must be on this machine or named with --insecure-registry " + registry
                        : "; is it running?"));
    }

    /** GET /v2/: null if this is a registry (200, or 401 with a challenge, learned here), else why not. */
    private String ping(Duration timeout) {
        HttpRequest request = HttpRequest.newBuilder(uri("/v2/")).timeout(timeout).GET().build();
        try {
            HttpResponse<InputStream> r = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            int status = r.statusCode();
            if (status == 401) {
                String www = r.headers().firstValue("WWW-Authenticate").orElse(null);
                r.body().close();
                auth.challenged(www, Scopes.of(), null);
                return null;
            }
            String text = RegistryErrors.describe(r);
            if (status == 200) {
                return null;
            }
            return status == 400 && text.toLowerCase().contains("https")
                    ? "it speaks HTTPS only" : "not a Distribution API (" + text + ")";
        } catch (IOException e) {
            return why(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JboxException("interrupted while connecting to " + registry);
        }
    }

    public String registry() {
        return registry;
    }

    /** {@code http://HOST:PORT} or {@code https://...}: what the ping found. */
    public URI base() {
        return base;
    }

    URI uri(String pathAndQuery) {
        return base.resolve(pathAndQuery);
    }

    RetryPolicy retry() {
        return retry;
    }

    boolean hasCredentials() {
        return auth.hasCredentials();
    }

    /**
     * Sends a request to the registry with the authorization {@code scopes} need; answers one 401.
     * {@code repeatable} requests (GET, HEAD) are sent again when the connection fails, as
     * {@link RetryPolicy} says. The caller closes the body.
     */
    HttpResponse<InputStream> send(HttpRequest.Builder request, Scopes scopes, boolean repeatable) {
        for (int failures = 1; ; failures++) {
            try {
                return sendOnce(request, scopes);
            } catch (IOException e) {
                if (!repeatable || failures >= retry.attempts() || !retry.sleep(failures)) {
                    HttpRequest r = request.build();
                    throw new JboxException("lost the connection to " + registry + " (" + r.method() + " " + r.uri()
                            + "): " + why(e) + "; is the registry still running?");
                }
            }
        }
    }

    /** As {@link #send}, once: a broken connection is the caller's to handle (a resumable download's). */
    HttpResponse<InputStream> sendOnce(HttpRequest.Builder request, Scopes scopes) throws IOException {
        String header = auth.authorization(scopes);
        HttpResponse<InputStream> r = sendWith(request, header);
        if (r.statusCode() == 401) {
            String www = r.headers().firstValue("WWW-Authenticate").orElse(null);
            r.body().close();
            if (auth.challenged(www, scopes, header)) {
                r = sendWith(request, auth.authorization(scopes));
            }
            if (r.statusCode() == 401) {
                String why = RegistryErrors.describe(r);
                throw new JboxException(auth.hasCredentials()
                        ? registry + " refused the login for " + scopes + " (" + why + "); check the user name and password"
                                + " ('jbox login " + registry + "' stores new ones)"
                        : registry + " wants a login for " + scopes + " (" + why + "); run 'jbox login " + registry + "' first");
            }
        }
        return r;
    }

    private HttpResponse<InputStream> sendWith(HttpRequest.Builder request, String authorization) throws IOException {
        HttpRequest.Builder b = request.copy();
        if (authorization != null) {
            b.setHeader("Authorization", authorization);
        }
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted");
        }
    }

    /** A request to another host (a blob's redirect to a CDN): no credentials of ours go there. */
    HttpResponse<InputStream> sendElsewhere(HttpRequest request) throws IOException {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted");
        }
    }

    /** The first message in a chain of causes: the JDK's ConnectException often has none of its own. */
    static String why(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c.getMessage() != null && !c.getMessage().isBlank()) {
                return c.getMessage();
            }
            if (c.getCause() == null) {
                return c.getClass().getSimpleName(); // e.g. UnresolvedAddressException: the name does not resolve
            }
        }
        return "unknown error";
    }

    /** Reads a small body whole (a manifest, an error): at most {@code limit} bytes, else an error naming what. */
    static byte[] readSmall(HttpResponse<InputStream> r, int limit, String what) {
        try (InputStream in = r.body()) {
            byte[] bytes = in.readNBytes(limit + 1);
            if (bytes.length > limit) {
                throw new JboxException(what + " is larger than " + limit + " bytes; refusing to read it");
            }
            return bytes;
        } catch (IOException e) {
            throw new JboxException("lost the connection while reading " + what + ": " + e.getMessage());
        }
    }

    static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
