package dev.jbox.registry.client;

import dev.jbox.JboxException;
import dev.jbox.image.Descriptor;
import dev.jbox.image.Digest;
import dev.jbox.image.ImageIndex;
import dev.jbox.image.ImageStore;
import dev.jbox.image.Manifest;
import dev.jbox.image.MediaTypes;
import dev.jbox.image.Reference;
import dev.jbox.image.StoredImage;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code jbox pull}: the manifest (of this machine's platform, if the name is an index), then the
 * config and the layers the store lacks, a few at a time, each streamed into the image store with
 * its digest and size from the manifest: the store hashes every byte and keeps a blob only if it
 * is the one named, so a corrupt or tampered layer is refused and nothing of it stays. The tag is
 * set last, once every blob is in.
 */
public final class ImagePuller extends ImageTransfer {
    /** Docker's default max-concurrent-downloads. */
    public static final int PARALLEL = 3;

    private final Platform platform;

    public ImagePuller(ImageStore store, ClientConfig config, Progress progress, Platform platform) {
        super(store, config, progress);
        this.platform = platform;
    }

    // tag::pull[]
    public StoredImage pull(Reference name) {
        Reference ref = withDefaultTag(name);
        String wanted = ref.digest() != null ? ref.digest().toString() : ref.tag();
        progress.line(wanted + ": Pulling from " + ref.path());
        Digest before = taggedManifest(ref);
        RegistryClient client = RegistryClient.connect(ref.domain(), ref.path(), config, false);
        PulledManifest top = client.pullManifest(wanted);
        PulledManifest image = top;
        if (MediaTypes.isIndex(top.mediaType())) {
            ImageIndex index = index(top);
            Descriptor picked = platform.pick(index, ref.familiar());
            image = client.pullManifest(picked.digest().toString());
            var p = picked.platform();
            String which = p == null ? platform.toString() : p.os() + "/" + p.architecture() + (p.variant() == null ? "" : "/" + p.variant());
            progress.line("Platform: " + which + " (manifest " + picked.digest() + " of index " + top.digest() + ")");
        }
        Manifest manifest = Manifest.parse(image.bytes(), image.digest());
        try {
            Transfers.runAll(downloads(client, manifest), PARALLEL, "pull");
        } finally {
            progress.close();
        }
        StoredImage stored = store.addManifest(image.bytes(), ref.tag() == null ? null : ref);
        progress.line("Digest: " + top.digest());
        progress.line("Status: " + (image.digest().equals(before) ? "Image is up to date for " : "Downloaded newer image for ")
                + ref.familiar());
        progress.line(ref.toString());
        return stored;
    }

    private List<Runnable> downloads(RegistryClient client, Manifest manifest) {
        Map<Digest, Descriptor> blobs = new LinkedHashMap<>();
        blobs.put(manifest.config().digest(), manifest.config());
        manifest.layers().forEach(l -> blobs.putIfAbsent(l.digest(), l));
        List<Runnable> tasks = new ArrayList<>();
        for (Descriptor blob : blobs.values()) {
            boolean shown = blob != manifest.config(); // Docker shows the layers only
            tasks.add(() -> download(client, blob, shown ? progress : Progress.SILENT));
        }
        return tasks;
    }

    private void download(RegistryClient client, Descriptor blob, Progress progress) {
        if (store.hasBlob(blob.digest())) {
            progress.finished(blob.digest(), "Already exists");
            return;
        }
        TransferListener listener = progress.start(blob.digest(), blob.size(), "Downloading");
        try (InputStream in = client.pullBlob(blob, listener)) {
            store.putBlob(in, blob.digest(), blob.size()); // hashed as written; refused unless it is this blob
        } catch (IOException e) {
            throw new JboxException("cannot download blob " + blob.digest() + ": " + e.getMessage());
        }
        progress.finished(blob.digest(), "Pull complete");
    }
    // end::pull[]

    private static ImageIndex index(PulledManifest m) {
        try {
            return dev.jbox.Json.mapper().readValue(m.bytes(), ImageIndex.class);
        } catch (IOException | RuntimeException e) {
            throw new JboxException("cannot read the image index " + m.digest() + ": " + e.getMessage());
        }
    }

    /** The manifest the tag names in the store now, or null. */
    private Digest taggedManifest(Reference ref) {
        if (ref.tag() == null) {
            return null;
        }
        for (StoredImage i : store.list()) {
            if (ref.equals(i.reference())) {
                return i.manifestDigest();
            }
        }
        return null;
    }
}
