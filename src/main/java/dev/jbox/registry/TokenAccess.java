package dev.jbox.registry;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code --auth token}: the flow Docker Hub uses. A request without a good token gets 401 and
 * {@code WWW-Authenticate: Bearer realm="https://HOST/token",service="...",scope="repository:NAME:pull"};
 * the client asks the realm for a token with its user and password (Basic), and repeats the
 * request with {@code Authorization: Bearer TOKEN}. The registry checks the token's signature,
 * expiry and service, and that it grants the action on that repository.
 *
 * <p>Here the realm is this server itself ({@code /token}) and the users are those of the
 * htpasswd file; each gets the pull, push and delete actions it asks for (the file has no roles).
 */
final class TokenAccess implements Access {
    static final String PATH = "/token";
    private static final Set<String> ACTIONS = Set.of("pull", "push", "delete", "*");

    private final Htpasswd users;
    private final Tokens tokens;

    TokenAccess(Htpasswd users, Tokens tokens) {
        this.users = users;
        this.tokens = tokens;
    }

    @Override
    public void check(Exchange ex, List<Scope> needed) {
        String authorization = ex.header("Authorization");
        String error = null;
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            List<Scope> granted = tokens.verify(authorization.substring(7).strip(), Instant.now());
            if (granted != null && needed.stream().allMatch(n -> granted.stream().anyMatch(g -> g.covers(n)))) {
                return;
            }
            error = granted == null ? "invalid_token" : "insufficient_scope";
        }
        StringBuilder challenge = new StringBuilder("Bearer realm=\"").append(realm(ex)).append("\",service=\"")
                .append(tokens.service()).append('"');
        if (!needed.isEmpty()) {
            challenge.append(",scope=\"").append(needed.stream().map(Scope::toString).collect(Collectors.joining(" "))).append('"');
        }
        if (error != null) {
            challenge.append(",error=\"").append(error).append('"');
        }
        ex.set("WWW-Authenticate", challenge.toString());
        throw new RegistryError(ErrorCode.UNAUTHORIZED, error == null
                ? "a Bearer token is needed: get one from " + realm(ex)
                : "the token is " + (error.equals("invalid_token") ? "not valid here or expired" : "not for this repository or action")
                + ": get another from " + realm(ex));
    }

    /** Where the client gets tokens: this server, as the client reached it. */
    private static String realm(Exchange ex) {
        return (ex.secure() ? "https://" : "http://") + ex.authority() + PATH;
    }

    @Override
    public boolean serves(String path) {
        return path.equals(PATH);
    }

    /**
     * {@code GET /token?service=S&scope=repository:NAME:pull,push[&scope=...]} with Basic
     * credentials: a token granting the asked actions that exist, on valid repository names.
     */
    @Override
    public void serve(Exchange ex) throws IOException {
        if (!ex.method().equals("GET")) {
            throw Router.unsupported(ex); // Docker then falls back to GET, as with Distribution's token server
        }
        String user = users.authenticate(ex.header("Authorization"));
        if (user == null) {
            throw BasicAccess.challenge(ex);
        }
        String service = ex.query("service");
        if (service != null && !service.equals(tokens.service())) {
            throw new RegistryError(ErrorCode.DENIED, "this token server serves '" + tokens.service() + "', not '" + service + "'");
        }
        List<Scope> granted = new ArrayList<>();
        for (String param : ex.queryAll("scope")) {
            for (String one : param.trim().split("\\s+")) {
                if (!one.isEmpty()) {
                    grant(Scope.parse(one)).ifPresent(granted::add);
                }
            }
        }
        Instant now = Instant.now();
        String token = tokens.issue(user, granted, now);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("token", token);
        body.put("access_token", token); // the OAuth2 name; Docker reads either
        body.put("expires_in", tokens.lifetime().toSeconds());
        body.put("issued_at", now.toString());
        ex.sendJson(200, body);
    }

    /** The part of a wanted scope granted: known actions on a valid repository name, or the catalog. */
    private static java.util.Optional<Scope> grant(Scope wanted) {
        if (wanted.type().equals("registry") && wanted.name().equals("catalog")) {
            return java.util.Optional.of(Scope.CATALOG);
        }
        if (!wanted.type().equals("repository")) {
            return java.util.Optional.empty();
        }
        new RepositoryName(wanted.name()); // NAME_INVALID, said to the client, rather than a useless grant
        Set<String> actions = wanted.actions().stream().filter(ACTIONS::contains).collect(Collectors.toSet());
        return actions.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(new Scope("repository", wanted.name(), actions));
    }
}
