package dev.jbox.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jbox.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The registry's Bearer tokens: JSON Web Tokens signed with HMAC-SHA256 ({@code HS256}) under a
 * key drawn at random when the server starts, so only this process can make or check them, and
 * a restart voids them all. A token names its user, its service, when it expires, and what it
 * grants, in the claim Distribution uses: {@code "access":[{"type","name","actions"}]}.
 */
final class Tokens {
    static final Duration DEFAULT_LIFETIME = Duration.ofMinutes(5); // Docker Hub's 300 s
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final String HEADER = B64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));

    private final byte[] key = new byte[32];
    private final String service;
    private final Duration lifetime;

    Tokens(String service, Duration lifetime) {
        new SecureRandom().nextBytes(key);
        this.service = service;
        this.lifetime = lifetime;
    }

    String service() {
        return service;
    }

    Duration lifetime() {
        return lifetime;
    }

    /** A signed token for {@code user} granting {@code access}, valid from {@code now} for the lifetime. */
    String issue(String user, List<Scope> access, Instant now) {
        ObjectNode claims = Json.mapper().createObjectNode();
        claims.put("iss", BasicAccess.REALM);
        claims.put("sub", user);
        claims.put("aud", service);
        claims.put("iat", now.getEpochSecond());
        claims.put("nbf", now.getEpochSecond());
        claims.put("exp", now.plus(lifetime).getEpochSecond());
        ArrayNode grants = claims.putArray("access");
        for (Scope s : access) {
            ObjectNode g = grants.addObject();
            g.put("type", s.type());
            g.put("name", s.name());
            s.actions().stream().sorted().forEach(g.putArray("actions")::add);
        }
        String payload;
        try {
            payload = B64.encodeToString(Json.mapper().writeValueAsBytes(claims));
        } catch (IOException e) {
            throw new IllegalStateException("a JSON tree always serializes", e);
        }
        String signed = HEADER + "." + payload;
        return signed + "." + B64.encodeToString(mac(signed));
    }

    /**
     * What a token grants, if it is one of ours (signature), for this service, and current
     * ({@code nbf <= now < exp}); null otherwise: the caller answers a new challenge either way.
     */
    List<Scope> verify(String token, Instant now) {
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3 || !parts[0].equals(HEADER)) {
            return null;
        }
        byte[] signature;
        JsonNode claims;
        try {
            signature = Base64.getUrlDecoder().decode(parts[2]);
            if (!MessageDigest.isEqual(signature, mac(parts[0] + "." + parts[1]))) {
                return null; // checked before the payload is parsed: nothing unsigned is read
            }
            claims = Json.mapper().readTree(Base64.getUrlDecoder().decode(parts[1]));
        } catch (IllegalArgumentException | IOException e) {
            return null;
        }
        long t = now.getEpochSecond();
        if (!service.equals(claims.path("aud").asText()) || t < claims.path("nbf").asLong() || t >= claims.path("exp").asLong()) {
            return null;
        }
        List<Scope> granted = new ArrayList<>();
        for (JsonNode g : claims.path("access")) {
            List<String> actions = new ArrayList<>();
            g.path("actions").forEach(a -> actions.add(a.asText()));
            granted.add(new Scope(g.path("type").asText(), g.path("name").asText(), java.util.Set.copyOf(actions)));
        }
        return granted;
    }

    private byte[] mac(String text) {
        return hmac(key, text.getBytes(StandardCharsets.US_ASCII));
    }

    /** HMAC-SHA256 of {@code data} under {@code key}. */
    static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
