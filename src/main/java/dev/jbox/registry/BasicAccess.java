package dev.jbox.registry;

import java.util.List;

/**
 * {@code --htpasswd FILE}: every request carries {@code Authorization: Basic}, and a user of the
 * file may do everything (the file has no roles, as in Distribution's htpasswd mode).
 */
final class BasicAccess implements Access {
    static final String REALM = "jbox-registry";

    private final Htpasswd users;

    BasicAccess(Htpasswd users) {
        this.users = users;
    }

    @Override
    public void check(Exchange ex, List<Scope> needed) {
        if (users.authenticate(ex.header("Authorization")) == null) {
            throw challenge(ex);
        }
    }

    /** The spec's UNAUTHORIZED, and the header that tells the client to send a user and password. */
    static RegistryError challenge(Exchange ex) {
        ex.set("WWW-Authenticate", "Basic realm=\"" + REALM + "\"");
        return new RegistryError(ErrorCode.UNAUTHORIZED, "a user and password of this registry are needed (docker login / --creds)");
    }
}
