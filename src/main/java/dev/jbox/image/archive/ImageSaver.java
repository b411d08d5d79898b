package dev.jbox.image.archive;

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
import dev.jbox.layers.LayerUnpacker;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code jbox save}: images out of the store into one tar, in either of two formats.
 *
 * <ul>
 * <li>{@link Format#DOCKER}, what Docker 25+ writes: an OCI image layout (uncompressed layers,
 * named by their diff ids) plus Docker's {@code manifest.json}, which every {@code docker load}
 * reads, old versions (which know only that file) and new ones alike.</li>
 * <li>{@link Format#OCI}: an OCI image layout holding the stored blobs as they are, so the manifest
 * digest is the one the store has.</li>
 * </ul>
 * The archive is reproducible: its bytes depend only on the images and the order they are named in.
 */
public final class ImageSaver {
    public enum Format { DOCKER, OCI }

    private final ImageStore store;

    public ImageSaver(ImageStore store) {
        this.store = store;
    }

    /** One image to save and the tags it is saved under (several names of one image make one entry). */
    private record Saved(StoredImage image, List<Reference> tags) {
    }

    /** Writes the images {@code names} name to {@code out} (which it closes). */
    public void save(List<String> names, Format format, OutputStream out) {
        Map<Digest, Saved> images = new LinkedHashMap<>();
        for (String name : names) {
            StoredImage image = store.resolve(name);
            Saved s = images.computeIfAbsent(image.manifestDigest(), d -> new Saved(image, new ArrayList<>()));
            Reference tag = image.reference();
            if (tag != null && tag.digest() == null && !s.tags().contains(tag)) {
                s.tags().add(tag);
            }
        }
        try (ReproducibleTar tar = new ReproducibleTar(out)) {
            tar.file("oci-layout", OciJson.bytes(Map.of("imageLayoutVersion", MediaTypes.OCI_LAYOUT_VERSION)));
            tar.directory("blobs");
            tar.directory("blobs/sha256");
            List<Descriptor> index = new ArrayList<>();
            List<DockerManifestEntry> dockerManifest = new ArrayList<>();
            for (Saved s : images.values()) {
                Descriptor manifest = format == Format.OCI ? writeAsStored(tar, s.image()) : writeUncompressed(tar, s, dockerManifest);
                if (s.tags().isEmpty()) {
                    index.add(manifest);
                }
                for (Reference tag : s.tags()) {
                    index.add(manifest.withAnnotations(ArchiveNames.annotations(tag)));
                }
            }
            tar.file("index.json", OciJson.bytes(ImageIndex.of(index)));
            if (format == Format.DOCKER) {
                tar.file(DockerManifestEntry.FILE, OciJson.bytes(dockerManifest));
            }
        } catch (IOException e) {
            throw new JboxException("cannot write the archive: " + e.getMessage()
                    + "; check the space where it goes (or that the reading end of the pipe is still there)");
        }
    }

    /** The image's blobs as the store has them: its manifest keeps its digest. */
    private Descriptor writeAsStored(ReproducibleTar tar, StoredImage image) throws IOException {
        byte[] manifest = smallBlob(image.manifestDigest());
        writeBlob(tar, image.manifestDigest(), manifest);
        writeBlob(tar, image.configDigest(), smallBlob(image.configDigest()));
        for (Descriptor layer : image.layers()) {
            if (!tar.has(blobName(layer.digest()))) {
                try (InputStream in = checked(store.blob(layer.digest()), layer.digest())) {
                    tar.file(blobName(layer.digest()), in, layer.size());
                }
            }
        }
        return new Descriptor(image.manifest().mediaType(), image.manifestDigest(), manifest.length);
    }

    /**
     * As Docker saves: each layer uncompressed, named by its diff id; a new OCI manifest for them
     * (the stored one names compressed blobs), and the image's entry in manifest.json.
     */
    private Descriptor writeUncompressed(ReproducibleTar tar, Saved s, List<DockerManifestEntry> dockerManifest)
            throws IOException {
        StoredImage image = s.image();
        byte[] config = smallBlob(image.configDigest());
        writeBlob(tar, image.configDigest(), config);
        List<Descriptor> layers = new ArrayList<>();
        List<String> layerPaths = new ArrayList<>();
        for (int i = 0; i < image.layers().size(); i++) {
            Descriptor stored = image.layers().get(i);
            Digest diffId = image.diffIds().get(i);
            long size = writeUncompressedLayer(tar, stored, diffId);
            layers.add(new Descriptor(MediaTypes.OCI_LAYER, diffId, size));
            layerPaths.add(blobName(diffId));
        }
        byte[] manifest = OciJson.bytes(Manifest.oci(new Descriptor(MediaTypes.OCI_CONFIG, image.configDigest(), config.length), layers));
        Digest manifestDigest = Digest.sha256(manifest);
        writeBlob(tar, manifestDigest, manifest);
        dockerManifest.add(new DockerManifestEntry(blobName(image.configDigest()),
                s.tags().stream().map(Reference::familiar).toList(), layerPaths));
        return new Descriptor(MediaTypes.OCI_MANIFEST, manifestDigest, manifest.length);
    }

    /** The layer's tar, uncompressed (through a temporary file: a tar entry states its size first); its size. */
    private long writeUncompressedLayer(ReproducibleTar tar, Descriptor stored, Digest diffId) throws IOException {
        String name = blobName(diffId);
        Path blob = store.blob(stored.digest());
        if (MediaTypes.compression(stored.mediaType()) == MediaTypes.Compression.NONE) {
            if (!tar.has(name)) {
                try (InputStream in = checked(blob, diffId)) {
                    tar.file(name, in, stored.size());
                }
            }
            return stored.size();
        }
        Path tmp = Files.createTempFile("jbox-save-", ".tar");
        try {
            Digest.Hashing hashing;
            try (InputStream in = Files.newInputStream(blob); OutputStream out = Files.newOutputStream(tmp)) {
                hashing = Digest.hashing(diffId.algorithm(), LayerUnpacker.decompress(in));
                hashing.in().transferTo(out);
            }
            Digest actual = hashing.digest();
            if (!actual.equals(diffId)) {
                throw damaged(stored.digest(), "its uncompressed tar hashes to " + actual + ", not to its diff id " + diffId);
            }
            if (!tar.has(name)) {
                tar.file(name, tmp);
            }
            return hashing.size();
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static void writeBlob(ReproducibleTar tar, Digest digest, byte[] bytes) throws IOException {
        if (!tar.has(blobName(digest))) {
            tar.file(blobName(digest), bytes);
        }
    }

    static String blobName(Digest d) {
        return "blobs/" + d.algorithm() + "/" + d.hex();
    }

    /** A manifest or config from the store, checked against its name. */
    private byte[] smallBlob(Digest d) throws IOException {
        byte[] bytes = Files.readAllBytes(store.blob(d));
        Digest actual = Digest.of(d.algorithm(), new java.io.ByteArrayInputStream(bytes));
        if (!actual.equals(d)) {
            throw damaged(d, "its bytes hash to " + actual);
        }
        return bytes;
    }

    /** The blob's bytes, hashed as they are read: a damaged blob fails the save at its end instead of being passed on. */
    private static InputStream checked(Path file, Digest expected) throws IOException {
        Digest.Hashing hashing = Digest.hashing(expected.algorithm(), Files.newInputStream(file));
        return new java.io.FilterInputStream(hashing.in()) {
            private boolean checked;

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                if (n < 0 && !checked) {
                    checked = true;
                    if (!hashing.digest().equals(expected)) {
                        throw new IOException("blob " + expected + " in the store is damaged; remove the image"
                                + " (jbox rmi -f) and load or pull it again");
                    }
                }
                return n;
            }
        };
    }

    private JboxException damaged(Digest blob, String why) {
        return new JboxException("blob " + blob + " in " + store.layout() + " is damaged (" + why
                + "); remove the image (jbox rmi -f) and load or pull it again");
    }
}
