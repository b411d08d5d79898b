package dev.jbox.registry;

import java.io.IOException;
import java.util.List;

/**
 * Who may do what: consulted by the {@link Router} before every endpoint. Three kinds, chosen by
 * {@code jbox registry serve}: open (no flag), Basic ({@code --htpasswd}) and Bearer tokens
 * ({@code --auth token}, which also serves the token endpoint).
 */
interface Access {
    Access OPEN = (ex, needed) -> { };

    /**
     * Refuses the request unless its credentials allow every scope in {@code needed} (empty: only
     * that the client is let in at all). A refusal is UNAUTHORIZED with a {@code WWW-Authenticate}
     * challenge set on the response, which tells the client how to come back.
     */
    void check(Exchange ex, List<Scope> needed);

    /** Whether this access serves an endpoint of its own at {@code path} (the token endpoint). */
    default boolean serves(String path) {
        return false;
    }

    default void serve(Exchange ex) throws IOException {
        throw new IllegalStateException("serves nothing");
    }
}
