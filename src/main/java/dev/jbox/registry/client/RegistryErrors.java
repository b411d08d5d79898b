package dev.jbox.registry.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jbox.Json;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/** Turns a registry's error answer into a few words: {@code 404 MANIFEST_UNKNOWN: manifest unknown}. */
final class RegistryErrors {
    private static final int MAX_BODY = 16 * 1024;

    private RegistryErrors() {
    }

    /** Reads (a bounded part of) the body and closes it. */
    static String describe(HttpResponse<InputStream> r) {
        String body;
        try (InputStream in = r.body()) {
            body = new String(in.readNBytes(MAX_BODY), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            body = "";
        }
        return r.statusCode() + " " + summary(body);
    }

    /** The spec's error body ({@code {"errors":[{"code":..., "message":...}]}}) as "CODE: message"; other text cut short. */
    static String summary(String body) {
        try {
            JsonNode first = Json.mapper().readTree(body).path("errors").path(0);
            if (first.has("code")) {
                return first.path("code").asText() + ": " + first.path("message").asText("");
            }
        } catch (IOException | RuntimeException e) {
            // not JSON: say what the server said, briefly
        }
        String line = body.replaceAll("\\s+", " ");
        return line.isEmpty() ? "(no message)" : line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }
}
