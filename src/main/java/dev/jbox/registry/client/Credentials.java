package dev.jbox.registry.client;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** A user name and password (or token) for one registry, as {@code jbox login} stores them. */
public record Credentials(String username, String password) {
    /** The value of an {@code Authorization: Basic} header, and of {@code auth} in config.json. */
    public String basic() {
        return Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** Reads config.json's {@code auth} (base64 of user:password); null if it is not that. */
    static Credentials fromBasic(String auth) {
        try {
            String text = new String(Base64.getDecoder().decode(auth.strip()), StandardCharsets.UTF_8);
            int colon = text.indexOf(':');
            return colon <= 0 ? null : new Credentials(text.substring(0, colon), text.substring(colon + 1));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        return "Credentials[" + username + ", password hidden]"; // never in a log or an error line
    }
}
