package dev.jbox.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jbox.Json;
import dev.jbox.image.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/**
 * {@code GET|HEAD|PUT|DELETE /v2/<name>/manifests/<tag or digest>}. A manifest is kept as the
 * exact bytes pushed (its digest names those bytes, so re-serialising would change its name) with
 * the Content-Type it was pushed with. A push is refused unless every blob and child manifest it
 * names is already in the repository: a registry never holds an image it cannot serve whole.
 */
final class ManifestHandler {
    /** The spec asks registries to accept manifests of at least 4 MiB; this one takes exactly that. */
    static final int MAX_MANIFEST = 4 * 1024 * 1024;

    private final RegistryStore store;

    ManifestHandler(RegistryStore store) {
        this.store = store;
    }

    void handle(Exchange ex, String reference) throws IOException {
        Repository repo = store.repository(ex.name());
        switch (ex.method()) {
            case "GET", "HEAD" -> get(ex, repo, reference);
            case "PUT" -> put(ex, repo, reference);
            case "DELETE" -> delete(ex, repo, reference);
            default -> throw Router.unsupported(ex);
        }
    }

    private static boolean isDigest(String reference) {
        return reference.contains(":");
    }

    private static String requireTag(String reference) {
        if (!Tag.isTag(reference)) {
            throw new RegistryError(ErrorCode.MANIFEST_INVALID, "invalid tag '" + reference
                    + "': up to 128 letters, digits, '_', '.' or '-', not starting with '.' or '-'");
        }
        return reference;
    }

    /** The digest a reference names in the repository, or MANIFEST_UNKNOWN. */
    private static Digest resolve(Exchange ex, Repository repo, String reference) throws IOException {
        Optional<Digest> digest = isDigest(reference)
                ? Optional.of(Exchange.digest(reference))
                : repo.tag(requireTag(reference));
        if (digest.isEmpty() || repo.manifestType(digest.get()).isEmpty()) {
            if (!repo.exists()) {
                throw new RegistryError(ErrorCode.NAME_UNKNOWN, "no repository " + ex.name() + " in this registry");
            }
            throw new RegistryError(ErrorCode.MANIFEST_UNKNOWN, "no manifest " + reference + " in " + ex.name());
        }
        return digest.get();
    }

    private void get(Exchange ex, Repository repo, String reference) throws IOException {
        Digest digest = resolve(ex, repo, reference);
        String type = repo.manifestType(digest).orElseThrow();
        byte[] bytes = store.blobs().read(digest);
        ex.set("Docker-Content-Digest", digest.toString()).send(200, type, bytes);
    }

    private void put(Exchange ex, Repository repo, String reference) throws IOException {
        byte[] bytes = readBounded(ex);
        JsonNode manifest;
        try {
            manifest = Json.mapper().readTree(bytes);
        } catch (IOException e) {
            throw new RegistryError(ErrorCode.MANIFEST_INVALID, "the manifest is not JSON: " + e.getMessage());
        }
        if (manifest == null || !manifest.isObject()) {
            throw new RegistryError(ErrorCode.MANIFEST_INVALID, "the manifest is not a JSON object");
        }
        String type = contentType(ex, manifest);
        Digest digest;
        if (isDigest(reference)) {
            Digest named = Exchange.digest(reference);
            digest = Digest.of(named.algorithm(), new java.io.ByteArrayInputStream(bytes));
            if (!digest.equals(named)) {
                throw new RegistryError(ErrorCode.DIGEST_INVALID, "the manifest's bytes have digest " + digest + ", not " + named);
            }
        } else {
            requireTag(reference);
            digest = Digest.sha256(bytes);
        }
        requireReferences(repo, manifest);
        store.blobs().put(digest, bytes);
        repo.putManifest(digest, type);
        Digest subject = subject(manifest);
        if (subject != null) {
            repo.addReferrer(subject, digest, Json.mapper().writeValueAsBytes(descriptor(manifest, type, digest, bytes.length)));
            ex.set("OCI-Subject", subject.toString());
        }
        if (!isDigest(reference)) {
            repo.tag(reference, digest);
        }
        ex.set("Location", "/v2/" + ex.name() + "/manifests/" + digest)
                .set("Docker-Content-Digest", digest.toString())
                .send(201);
    }

    private static byte[] readBounded(Exchange ex) throws IOException {
        if (ex.contentLength() > MAX_MANIFEST) {
            throw tooBig();
        }
        try (InputStream in = ex.body()) {
            byte[] bytes = in.readNBytes(MAX_MANIFEST + 1);
            if (bytes.length > MAX_MANIFEST) {
                throw tooBig();
            }
            return bytes;
        }
    }

    private static RegistryError tooBig() {
        return new RegistryError(ErrorCode.SIZE_INVALID, 413, "manifests are limited to " + MAX_MANIFEST + " bytes (4 MiB)");
    }

    /** The Content-Type of the push, which must agree with the manifest's own mediaType when it has one. */
    private static String contentType(Exchange ex, JsonNode manifest) {
        String header = ex.header("Content-Type");
        String field = manifest.path("mediaType").asText(null);
        if (header == null || header.isBlank()) {
            if (field == null) {
                throw new RegistryError(ErrorCode.MANIFEST_INVALID, "the manifest has no mediaType and the request no Content-Type");
            }
            return field;
        }
        if (field != null && !field.equals(header.split(";")[0].strip())) {
            throw new RegistryError(ErrorCode.MANIFEST_INVALID, "Content-Type " + header + " differs from the manifest's mediaType " + field);
        }
        return header;
    }

    /** Config and layers must be blobs of this repository, and an index's children manifests of it. */
    private static void requireReferences(Repository repo, JsonNode manifest) throws IOException {
        for (String field : new String[] {"config", "layers"}) {
            for (JsonNode d : field.equals("config") ? java.util.List.of(manifest.path("config")) : manifest.path("layers")) {
                if (d.isMissingNode() || d.path("urls").size() > 0) {
                    continue; // no config (an index), or a foreign layer served from its own URLs
                }
                Digest blob = descriptorDigest(d);
                if (!repo.hasBlob(blob)) {
                    throw new RegistryError(ErrorCode.MANIFEST_BLOB_UNKNOWN, field + " blob " + blob + " is not in " + repo.name()
                            + ": push the blobs before the manifest");
                }
            }
        }
        for (JsonNode d : manifest.path("manifests")) {
            Digest child = descriptorDigest(d);
            if (repo.manifestType(child).isEmpty()) {
                throw new RegistryError(ErrorCode.MANIFEST_BLOB_UNKNOWN, "manifest " + child + " of the index is not in " + repo.name()
                        + ": push the platform manifests before the index");
            }
        }
    }

    private static Digest descriptorDigest(JsonNode descriptor) {
        String text = descriptor.path("digest").asText(null);
        try {
            return Digest.parse(text);
        } catch (RuntimeException e) {
            throw new RegistryError(ErrorCode.MANIFEST_INVALID, "a descriptor of the manifest has no valid digest: " + e.getMessage());
        }
    }

    private static Digest subject(JsonNode manifest) {
        JsonNode s = manifest.path("subject");
        return s.isObject() ? descriptorDigest(s) : null;
    }

    /** The descriptor the referrers API lists for a manifest with a subject. */
    private static ObjectNode descriptor(JsonNode manifest, String type, Digest digest, long size) {
        ObjectNode d = Json.mapper().createObjectNode();
        d.put("mediaType", type.split(";")[0].strip());
        d.put("digest", digest.toString());
        d.put("size", size);
        String artifactType = manifest.path("artifactType").asText(null);
        if (artifactType == null && manifest.path("config").isObject()) {
            artifactType = manifest.path("config").path("mediaType").asText(null); // the spec's fallback
        }
        if (artifactType != null) {
            d.put("artifactType", artifactType);
        }
        if (manifest.path("annotations").isObject()) {
            d.set("annotations", manifest.get("annotations"));
        }
        return d;
    }

    private void delete(Exchange ex, Repository repo, String reference) throws IOException {
        if (!isDigest(reference)) {
            if (!repo.untag(requireTag(reference))) {
                throw new RegistryError(ErrorCode.MANIFEST_UNKNOWN, "no tag " + reference + " in " + ex.name());
            }
            ex.send(202);
            return;
        }
        Digest digest = resolve(ex, repo, reference);
        Digest subject = subject(Json.mapper().readTree(store.blobs().read(digest)));
        if (subject != null) {
            repo.removeReferrer(subject, digest);
        }
        for (String tag : repo.tags()) {
            if (repo.tag(tag).filter(digest::equals).isPresent()) {
                repo.untag(tag);
            }
        }
        repo.deleteManifest(digest);
        ex.send(202);
    }
}
