package dev.jbox.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jbox.Json;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

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
        String last = ex.query("last");
        List<String> after = repo.tags().stream().filter(t -> last == null || t.compareTo(last) > 0).toList();
        int n = pageSize(ex.query("n"), after.size());
        List<String> page = after.subList(0, n);
        if (n < after.size() && n > 0) {
            ex.set("Link", "</v2/" + ex.name() + "/tags/list?n=" + n + "&last="
                    + URLEncoder.encode(page.get(n - 1), StandardCharsets.UTF_8) + ">; rel=\"next\"");
        }
        ObjectNode body = Json.mapper().createObjectNode();
        body.put("name", ex.name().value());
        page.forEach(body.putArray("tags")::add);
        ex.sendJson(200, body);
    }

    private static int pageSize(String n, int available) {
        if (n == null) {
            return available;
        }
        try {
            int size = Integer.parseInt(n);
            if (size < 0) {
                throw new NumberFormatException();
            }
            return Math.min(size, available);
        } catch (NumberFormatException e) {
            throw new RegistryError(ErrorCode.UNSUPPORTED, 400, "n=" + n + " is not a page size: give a number of tags, 0 or more");
        }
    }
}
