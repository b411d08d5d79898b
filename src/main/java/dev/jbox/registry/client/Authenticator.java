package dev.jbox.registry.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jbox.JboxException;
import dev.jbox.Json;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code Authorization} header for requests to one registry. Nothing is sent until the
 * registry asks (a 401 with {@code WWW-Authenticate}); then, as the challenge says:
 * <ul>
 * <li>Basic: the stored user name and password, on every request from then on;</li>
 * <li>Bearer (Docker Hub's "token dance"): GET the challenge's realm with its service and the
 * scopes the request needs ({@code repository:NAME:pull,push}), with the stored login as Basic
 * auth or anonymously, and send the token it returns. Tokens are cached per set of scopes until
 * they expire.</li>
 * </ul>
 */
final class Authenticator {
    private static final Duration DEFAULT_TOKEN_LIFE = Duration.ofSeconds(60);

    private final String registry;
    private final Credentials credentials;
    private final HttpClient http;
    private final InsecureRegistries insecure;
    private volatile Challenge challenge;
    private final Map<String, Token> tokens = new ConcurrentHashMap<>();

    private record Token(String value, Instant expires) {
    }

    Authenticator(String registry, Credentials credentials, HttpClient http, InsecureRegistries insecure) {
        this.registry = registry;
        this.credentials = credentials;
        this.http = http;
        this.insecure = insecure;
    }

    boolean hasCredentials() {
        return credentials != null;
    }

    /** The header for a request that needs {@code scopes}, or null while the registry has asked for none. */
    String authorization(Scopes scopes) {
        Challenge c = challenge;
        if (c == null) {
            return null;
        }
        if (c.isBasic()) {
            return credentials == null ? null : "Basic " + credentials.basic();
        }
        Scopes wanted = c.param("scope").map(scopes::with).orElse(scopes);
        Token t = tokens.get(wanted.toString());
        if (t == null || Instant.now().isAfter(t.expires())) {
            t = fetchToken(c, wanted);
            tokens.put(wanted.toString(), t);
        }
        return "Bearer " + t.value();
    }

    /**
     * A 401 answered a request sent with {@code sent} (null: none). Learns the challenge and says
     * whether sending the request again with a fresh {@link #authorization} can succeed.
     */
    // tag::challenged[]
    boolean challenged(String wwwAuthenticate, Scopes scopes, String sent) {
        Challenge c = Challenge.parse(wwwAuthenticate);
        if (c == null) {
            return false;
        }
        challenge = c;
        if (c.isBasic()) {
            return credentials != null && sent == null;
        }
        if (sent != null) {
            // The token was refused (expired early, or too little scope: the new challenge says which): fetch
            // another once; the caller does not ask a third time.
            tokens.remove(c.param("scope").map(scopes::with).orElse(scopes).toString());
        }
        return true;
    }
    // end::challenged[]

    private Token fetchToken(Challenge c, Scopes scopes) {
        String realm = c.param("realm").orElseThrow(() -> new JboxException(registry
                + " asked for a Bearer token without saying where to get one (no realm in WWW-Authenticate); it is misconfigured"));
        URI realmUri = URI.create(realm);
        String realmHost = realmUri.getPort() < 0 ? realmUri.getHost() : realmUri.getHost() + ":" + realmUri.getPort();
        if (!"https".equals(realmUri.getScheme()) && !insecure.allowsPlainHttp(realmHost)) {
            // A token request carries the password: to a TLS server only, unless plain HTTP is allowed there.
            if (credentials != null) {
                throw new JboxException(registry + " sends logins to " + realm + " over plain HTTP; refusing to send the"
                        + " password there (a token service must use https)");
            }
        }
        StringBuilder query = new StringBuilder();
        c.param("service").ifPresent(s -> query.append("service=").append(enc(s)));
        for (String s : scopes.list()) {
            query.append(query.length() == 0 ? "" : "&").append("scope=").append(enc(s));
        }
        URI uri = URI.create(realm + (query.length() == 0 ? "" : (realm.contains("?") ? "&" : "?") + query));
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET();
        if (credentials != null) {
            b.header("Authorization", "Basic " + credentials.basic());
        }
        try {
            HttpResponse<InputStream> r = http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
            if (r.statusCode() == 401 || r.statusCode() == 403) {
                String why = RegistryErrors.describe(r);
                throw new JboxException(credentials == null
                        ? registry + " wants a login for " + scopes + " (" + why + "); run 'jbox login " + registry + "' first"
                        : registry + " refused the login of '" + credentials.username() + "' for " + scopes + " (" + why
                                + "); check the user name and password with 'jbox login " + registry + "'");
            }
            if (r.statusCode() != 200) {
                throw new JboxException("the token service of " + registry + " (" + realmUri.getHost() + ") answered "
                        + RegistryErrors.describe(r) + "; try again later");
            }
            JsonNode body;
            try (InputStream in = r.body()) {
                body = Json.mapper().readTree(in.readNBytes(1 << 20));
            }
            String token = body.path("token").asText(body.path("access_token").asText(""));
            if (token.isEmpty()) {
                throw new JboxException("the token service of " + registry + " answered without a token");
            }
            long life = body.path("expires_in").asLong(DEFAULT_TOKEN_LIFE.toSeconds());
            // Renewed 10 s early, so a token does not expire between the check and the request.
            return new Token(token, Instant.now().plusSeconds(Math.max(life, 20) - 10));
        } catch (IOException e) {
            throw new JboxException("cannot reach the token service of " + registry + " at " + realmUri.getHost()
                    + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JboxException("interrupted while asking " + registry + " for a token");
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** The access a request needs, e.g. {@code repository:team/app:pull,push}: the token's scope. */
    record Scopes(TreeSet<String> set) {
        static Scopes of(String... scopes) {
            TreeSet<String> s = new TreeSet<>();
            for (String x : scopes) {
                if (x != null && !x.isBlank()) {
                    s.add(x);
                }
            }
            return new Scopes(s);
        }

        static Scopes pull(String repository) {
            return of("repository:" + repository + ":pull");
        }

        static Scopes push(String repository) {
            return of("repository:" + repository + ":pull,push");
        }

        /** These and the scopes of a challenge (space-separated, as a challenge may list several). */
        Scopes with(String more) {
            TreeSet<String> s = new TreeSet<>(set);
            for (String x : more.split(" ")) {
                if (!x.isBlank()) {
                    s.add(x);
                }
            }
            return new Scopes(s);
        }

        Iterable<String> list() {
            return set;
        }

        @Override
        public String toString() {
            return set.isEmpty() ? "(no scope)" : String.join(" ", set);
        }
    }
}
