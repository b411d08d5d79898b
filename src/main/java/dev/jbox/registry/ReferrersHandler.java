package dev.jbox.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jbox.Json;
import dev.jbox.image.Digest;
import java.io.IOException;

/**
 * {@code GET /v2/<name>/referrers/<digest>[?artifactType=T]}: the manifests whose subject is the
 * digest (signatures, SBOMs), as an image index. The list is kept up to date at manifest push and
 * delete, so answering reads one directory instead of every manifest of the repository.
 */
final class ReferrersHandler {
    static final String INDEX = "application/vnd.oci.image.index.v1+json";

    private final RegistryStore store;

    ReferrersHandler(RegistryStore store) {
        this.store = store;
    }

    void handle(Exchange ex, String reference) throws IOException {
        if (!ex.method().equals("GET") && !ex.isHead()) {
            throw Router.unsupported(ex);
        }
        Digest subject = Exchange.digest(reference);
        String artifactType = ex.query("artifactType");
        ObjectNode index = Json.mapper().createObjectNode();
        index.put("schemaVersion", 2);
        index.put("mediaType", INDEX);
        ArrayNode manifests = index.putArray("manifests");
        for (byte[] descriptor : store.repository(ex.name()).referrers(subject)) {
            JsonNode d = Json.mapper().readTree(descriptor);
            if (artifactType == null || artifactType.equals(d.path("artifactType").asText(null))) {
                manifests.add(d);
            }
        }
        if (artifactType != null) {
            ex.set("OCI-Filters-Applied", "artifactType");
        }
        ex.send(200, INDEX, Json.mapper().writeValueAsBytes(index));
    }
}
