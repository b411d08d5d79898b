package dev.jbox.registry.client;

import dev.jbox.JboxException;
import dev.jbox.image.Descriptor;
import dev.jbox.image.Digest;
import dev.jbox.image.ImageIndex;
import dev.jbox.image.ImageStore;
import dev.jbox.image.Manifest;
import dev.jbox.image.MediaTypes;
import dev.jbox.image.OciJson;
import dev.jbox.image.Reference;
import dev.jbox.image.StoredImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code jbox push}: the layers and the config first, a few at a time, each skipped if the
 * repository has it (HEAD), linked from another repository of the same registry if an image in the
 * store came from one (a cross-repository mount moves no bytes), else uploaded from the image
 * store; then the manifest, its exact bytes, so the registry names the image with the digest it
 * has here.
 */
public final class ImagePusher extends ImageTransfer {
    /** Docker's default max-concurrent-uploads. */
    public static final int PARALLEL = 5;

    private final long chunkSize;

    /** @param chunkSize upload blobs larger than this in PATCHes of this size; 0: every blob in one PUT */
    public ImagePusher(ImageStore store, ClientConfig config, Progress progress, long chunkSize) {
        super(store, config, progress);
        this.chunkSize = chunkSize;
    }

    // tag::push[]
    public Digest push(Reference name) {
        Reference ref = withDefaultTag(name);
        if (ref.tag() == null) {
            throw new JboxException("cannot push '" + name.familiar() + "': a push needs a tag (NAME:TAG), not a digest");
        }
        StoredImage image = store.resolve(ref.toString());
        Descriptor top = store.entry(ref);
        progress.line("The push refers to repository [" + ref.name() + "]");
        RegistryClient client = RegistryClient.connect(ref.domain(), ref.path(), config, true);
        Map<Digest, String> mountable = otherRepositories(ref);
        Digest digest;
        byte[] manifest;
        if (top != null && MediaTypes.isIndex(top.mediaType())) {
            // An index: every image of it first, by digest, so the index refers only to what the registry has.
            manifest = readManifest(top.digest());
            for (Descriptor child : OciJson.read(manifest, ImageIndex.class, "index " + top.digest()).manifests()) {
                byte[] childBytes = readManifest(child.digest());
                pushImage(client, Manifest.parse(childBytes, child.digest()), mountable);
                client.pushManifest(child.digest().toString(), childBytes, child.mediaType());
            }
            digest = client.pushManifest(ref.tag(), manifest, top.mediaType());
        } else {
            manifest = readManifest(image.manifestDigest());
            pushImage(client, image.manifest(), mountable);
            digest = client.pushManifest(ref.tag(), manifest, image.manifest().mediaType());
        }
        progress.line(ref.tag() + ": digest: " + digest + " size: " + manifest.length);
        return digest;
    }

    /** The layers and the config of one image, a few at a time. */
    private void pushImage(RegistryClient client, Manifest manifest, Map<Digest, String> mountable) {
        List<Runnable> uploads = new ArrayList<>();
        for (Descriptor layer : manifest.layers()) {
            uploads.add(() -> upload(client, layer.digest(), mountable.get(layer.digest()), progress));
        }
        // Docker does not show the config; neither does jbox
        Digest config = manifest.config().digest();
        uploads.add(() -> upload(client, config, mountable.get(config), Progress.SILENT));
        try {
            Transfers.runAll(uploads, PARALLEL, "push");
        } finally {
            progress.close();
        }
    }

    private void upload(RegistryClient client, Digest blob, String mountFrom, Progress progress) {
        if (client.hasBlob(blob)) {
            progress.finished(blob, "Layer already exists");
            return;
        }
        Path file = store.blob(blob);
        long size = size(file, blob);
        progress.start(blob, size, "Pushing");
        RegistryClient.Pushed how = client.pushBlob(blob, file, size, chunkSize, mountFrom);
        progress.finished(blob, how == RegistryClient.Pushed.MOUNTED ? "Mounted from " + mountFrom : "Pushed");
    }
    // end::push[]

    /**
     * Blobs that images of other repositories of the same registry have (their tags say where they
     * came from, or went): the registry likely has them there and can link them without an upload.
     */
    private Map<Digest, String> otherRepositories(Reference target) {
        Map<Digest, String> from = new HashMap<>();
        for (StoredImage i : store.list()) {
            Reference r = i.reference();
            if (r != null && r.domain().equals(target.domain()) && !r.path().equals(target.path())) {
                from.putIfAbsent(i.configDigest(), r.path());
                i.layers().forEach(l -> from.putIfAbsent(l.digest(), r.path()));
            }
        }
        return from;
    }

    private byte[] readManifest(Digest digest) {
        try {
            byte[] bytes = Files.readAllBytes(store.blob(digest));
            if (!Digest.sha256(bytes).equals(digest)) {
                throw new JboxException("manifest " + digest + " in the image store is damaged; remove the image (jbox rmi) and pull it again");
            }
            return bytes;
        } catch (IOException e) {
            throw new JboxException("cannot read manifest " + digest + " from the image store: " + e.getMessage());
        }
    }

    private static long size(Path file, Digest blob) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new JboxException("blob " + blob + " is missing from the image store (" + file + "); pull or load the image again");
        }
    }
}
