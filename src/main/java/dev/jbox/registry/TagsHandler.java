package dev.jbox.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jbox.Json;
import java.io.IOException;

/** {@code GET /v2/<name>/tags/list?n=&last=}: the tags in lexical order, a page at a time, with a Link to the next. */
final class TagsHandler {
    private final RegistryStore store;

    TagsHandler(RegistryStore store) {
        this.store = store;
    }

    void handle(Exchange ex) throws IOException {
        if (!ex.method().equals("GET") && !ex.isHead()) {
            throw Router.unsupported(ex);
        }
        Repository repo = store.repository(ex.name());
        if (!repo.exists()) {
            throw new RegistryError(ErrorCode.NAME_UNKNOWN, "no repository " + ex.name() + " in this registry");
        }
        ObjectNode body = Json.mapper().createObjectNode();
        body.put("name", ex.name().value());
        Page.of(ex, repo.tags(), "/v2/" + ex.name() + "/tags/list").forEach(body.putArray("tags")::add);
        ex.sendJson(200, body);
    }
}
