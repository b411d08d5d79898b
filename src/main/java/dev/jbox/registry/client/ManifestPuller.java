package dev.jbox.registry.client;

import dev.jbox.JboxException;
import dev.jbox.image.Digest;
import dev.jbox.image.MediaTypes;
import dev.jbox.registry.client.Authenticator.Scopes;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * {@code GET /v2/NAME/manifests/REFERENCE}, accepting OCI and Docker manifests and indexes.
 * The bytes are kept exactly as sent: the image's digest is the hash of them, and a manifest
 * asked for by digest must hash to it.
 */
final class ManifestPuller {
    /** The spec's limit: a registry must accept manifests up to 4 MB, so a client need not read more. */
    static final int MAX_MANIFEST = 4 * 1024 * 1024;
    static final String ACCEPT = String.join(", ", MediaTypes.OCI_MANIFEST, MediaTypes.OCI_INDEX,
            MediaTypes.DOCKER_MANIFEST, MediaTypes.DOCKER_MANIFEST_LIST);

    private ManifestPuller() {
    }

    /** @param reference a tag or a digest */
    static PulledManifest pull(RegistryTransport t, String repository, String reference, Scopes scopes) {
        String what = t.registry() + "/" + repository + (reference.contains(":") ? "@" : ":") + reference;
        HttpRequest.Builder request = HttpRequest.newBuilder(t.uri("/v2/" + repository + "/manifests/" + reference))
                .timeout(Duration.ofSeconds(60)).header("Accept", ACCEPT).GET();
        HttpResponse<InputStream> r = t.send(request, scopes, true);
        if (r.statusCode() == 404) {
            throw new JboxException(what + ": not found in the registry (" + RegistryErrors.describe(r)
                    + "); check the name and the tag");
        }
        if (r.statusCode() != 200) {
            throw new JboxException("cannot get the manifest of " + what + ": " + RegistryErrors.describe(r));
        }
        String contentType = r.headers().firstValue("Content-Type").orElse("").replaceFirst(";.*", "").strip();
        byte[] bytes = RegistryTransport.readSmall(r, MAX_MANIFEST, "the manifest of " + what);
        // tag::manifest-digest[]
        Digest digest;
        if (reference.contains(":")) {
            Digest expected = Digest.parse(reference);
            digest = hash(expected.algorithm(), bytes);
            if (!digest.equals(expected)) {
                throw new JboxException("the manifest " + what + " the registry sent hashes to " + digest
                        + "; refusing it (the registry is corrupt or the answer was tampered with)");
            }
        } else {
            digest = Digest.sha256(bytes);
        }
        // end::manifest-digest[]
        return new PulledManifest(bytes, mediaType(contentType, bytes, what), digest);
    }

    /** The Content-Type if it names a manifest or an index, else the {@code mediaType} in the JSON. */
    private static String mediaType(String contentType, byte[] bytes, String what) {
        if (MediaTypes.isManifest(contentType) || MediaTypes.isIndex(contentType)) {
            return contentType;
        }
        String inBody;
        try {
            var node = dev.jbox.Json.mapper().readTree(bytes);
            inBody = node.path("mediaType").asText("");
            if (inBody.isEmpty() && node.has("manifests")) {
                inBody = MediaTypes.OCI_INDEX; // the OCI spec lets both leave out their mediaType
            } else if (inBody.isEmpty() && node.has("config")) {
                inBody = MediaTypes.OCI_MANIFEST;
            }
        } catch (IOException e) {
            throw new JboxException("the manifest of " + what + " is not JSON: " + e.getMessage());
        }
        if (!MediaTypes.isManifest(inBody) && !MediaTypes.isIndex(inBody)) {
            throw new JboxException(what + " is a " + (inBody.isEmpty() ? contentType : inBody)
                    + ", not an image manifest or index jbox reads (OCI, or Docker schema 2); "
                    + (contentType.contains("v1") ? "schema 1 images are obsolete: push the image again with a current Docker"
                            : "it is not a container image"));
        }
        return inBody;
    }

    private static Digest hash(String algorithm, byte[] bytes) {
        try {
            return Digest.of(algorithm, new ByteArrayInputStream(bytes));
        } catch (IOException e) {
            throw new IllegalStateException("a byte array cannot fail to read", e);
        }
    }
}
