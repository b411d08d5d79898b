package dev.jbox.registry.client;

import dev.jbox.JboxException;
import dev.jbox.image.Digest;
import dev.jbox.registry.client.Authenticator.Scopes;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * {@code PUT /v2/NAME/manifests/TAG}: the manifest's exact bytes and media type, after its
 * blobs. The registry answers with the digest it stores it under, which must be the hash of the
 * bytes sent, or the image would not be the same on both sides.
 */
final class ManifestPusher {
    private ManifestPusher() {
    }

    static Digest push(RegistryTransport t, String repository, String tag, byte[] bytes, String mediaType, Scopes scopes) {
        Digest digest = Digest.sha256(bytes);
        HttpRequest.Builder request = HttpRequest.newBuilder(t.uri("/v2/" + repository + "/manifests/" + tag))
                .timeout(Duration.ofSeconds(60)).header("Content-Type", mediaType).PUT(BodyPublishers.ofByteArray(bytes));
        HttpResponse<InputStream> r = t.send(request, scopes, false);
        if (r.statusCode() != 201) {
            throw new JboxException("cannot push the manifest " + t.registry() + "/" + repository + ":" + tag + ": "
                    + RegistryErrors.describe(r));
        }
        BlobUploader.close(r);
        String said = r.headers().firstValue("Docker-Content-Digest").orElse(null);
        if (said != null && said.startsWith("sha256:") && !said.equals(digest.toString())) {
            throw new JboxException(t.registry() + " stored the manifest of " + repository + ":" + tag + " as " + said
                    + " but its bytes hash to " + digest + "; the registry changed it");
        }
        return digest;
    }
}
