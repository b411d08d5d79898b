package dev.jbox.registry.client;

import dev.jbox.JboxException;
import dev.jbox.image.Descriptor;
import dev.jbox.image.Digest;
import dev.jbox.registry.client.Authenticator.Scopes;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

/**
 * One repository of one registry, as the pull and the push see it: each method is one endpoint
 * of the OCI Distribution API (the classes beside this one, as Jib splits its client), over one
 * {@link RegistryTransport}.
 */
public final class RegistryClient {
    private final RegistryTransport t;
    private final String repository;
    private final Scopes scopes;

    private RegistryClient(RegistryTransport t, String repository, Scopes scopes) {
        this.t = t;
        this.repository = repository;
        this.scopes = scopes;
    }

    /** A client for pulling ({@code push} false) or pushing {@code repository} on {@code registry}. */
    public static RegistryClient connect(String registry, String repository, ClientConfig config, boolean push) {
        RegistryTransport t = RegistryTransport.connect(registry, config, null);
        return new RegistryClient(t, repository, push ? Scopes.push(repository) : Scopes.pull(repository));
    }

    public String registry() {
        return t.registry();
    }

    public String repository() {
        return repository;
    }

    /** @param reference a tag or a digest ({@code sha256:...}), which the bytes are checked against */
    public PulledManifest pullManifest(String reference) {
        return ManifestPuller.pull(t, repository, reference, scopes);
    }

    /** The blob's bytes, resumed after a broken connection; the reader must check them against the digest. */
    public InputStream pullBlob(Descriptor blob, TransferListener listener) {
        return new BlobStream(t, repository, blob, scopes, listener);
    }

    /** {@code HEAD /v2/NAME/blobs/DIGEST}: whether the repository has the blob. */
    public boolean hasBlob(Digest digest) {
        HttpRequest.Builder request = HttpRequest.newBuilder(t.uri("/v2/" + repository + "/blobs/" + digest))
                .timeout(Duration.ofSeconds(60)).method("HEAD", BodyPublishers.noBody());
        HttpResponse<InputStream> r = t.send(request, scopes, true);
        BlobUploader.close(r);
        if (r.statusCode() == 200) {
            return true;
        }
        if (r.statusCode() == 404) {
            return false;
        }
        throw new JboxException("cannot check blob " + digest + " in " + t.registry() + "/" + repository + ": HTTP " + r.statusCode());
    }

    /** How {@link #pushBlob} got a blob into the repository. */
    public enum Pushed { MOUNTED, UPLOADED }

    /**
     * Puts a blob into the repository: linked from {@code mountFrom} (another repository of this
     * registry, or null) if the registry will, else uploaded from {@code file} (the image store's),
     * whole, or in chunks when {@code chunkSize} > 0 and the blob is larger.
     */
    public Pushed pushBlob(Digest digest, Path file, long size, long chunkSize, String mountFrom) {
        Scopes s = mountFrom == null ? scopes : scopes.with("repository:" + mountFrom + ":pull");
        URI session = BlobUploader.start(t, repository, mountFrom == null ? null : digest, mountFrom, s);
        if (session == null) {
            return Pushed.MOUNTED;
        }
        // (A registry that will not mount opens an ordinary upload session instead: the spec's 202.)
        if (chunkSize > 0 && size > chunkSize) {
            BlobUploader.putChunked(t, session, file, size, digest, chunkSize, scopes);
        } else {
            BlobUploader.putWhole(t, session, file, digest, scopes);
        }
        return Pushed.UPLOADED;
    }

    /** {@code PUT /v2/NAME/manifests/TAG} with the exact bytes; returns the digest the registry gives it. */
    public Digest pushManifest(String tag, byte[] bytes, String mediaType) {
        return ManifestPusher.push(t, repository, tag, bytes, mediaType, scopes);
    }
}
