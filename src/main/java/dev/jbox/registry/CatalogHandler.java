package dev.jbox.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jbox.Json;
import java.io.IOException;
import java.util.List;

/**
 * {@code GET /v2/_catalog?n=&last=}: the repositories, sorted, paged like tags. Not in the OCI
 * spec (which leaves listing out), but Distribution and most registries serve it and tools use it.
 */
final class CatalogHandler {
    private final RegistryStore store;

    CatalogHandler(RegistryStore store) {
        this.store = store;
    }

    void handle(Exchange ex) throws IOException {
        if (!ex.method().equals("GET") && !ex.isHead()) {
            throw Router.unsupported(ex);
        }
        List<String> names = store.repositories().stream().map(r -> r.name().value()).sorted().toList();
        ObjectNode body = Json.mapper().createObjectNode();
        Page.of(ex, names, "/v2/_catalog").forEach(body.putArray("repositories")::add);
        ex.sendJson(200, body);
    }
}
