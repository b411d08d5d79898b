package dev.jbox.layers;

import dev.jbox.DataRoot;
import dev.jbox.FileTrees;
import dev.jbox.JboxException;
import dev.jbox.image.ConfigFile;
import dev.jbox.image.Digest;
import dev.jbox.image.ImageStore;
import dev.jbox.image.MediaTypes;
import dev.jbox.image.Reference;
import dev.jbox.image.StoredBlob;
import dev.jbox.image.StoredImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * {@code jbox import}: a tar of a root file system (plain, gzip or zstd) becomes an image of one
 * layer, as {@code docker import} makes it. The tar is unpacked once, with every check a layer
 * from a stranger gets, into the snapshot a container of the image will use; a refused tar
 * leaves no image.
 */
public final class ImageImport {
    private final DataRoot root;
    private final ImageStore images;

    public ImageImport(DataRoot root) {
        this.root = root;
        this.images = new ImageStore(root);
    }

    // tag::import[]
    public StoredImage importTar(InputStream tar, String source, Reference tag, String message) {
        Path tmp = null;
        try {
            Path dir = root.root().resolve("image-ingest");
            Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, "import-", ".tar");
            try (OutputStream out = Files.newOutputStream(tmp)) {
                tar.transferTo(out);
            }
            Path file = tmp;
            Digest diffId;
            try (InputStream in = LayerUnpacker.decompress(Files.newInputStream(file))) {
                Digest.Hashing hashing = Digest.hashing("sha256", in);
                hashing.in().transferTo(OutputStream.nullOutputStream());
                diffId = hashing.digest();
            }
            // Unpacked (and so checked) now, under its chain id: the image's one snapshot.
            ContainerLayers.snapshots(root).prepare(List.of(new Snapshots.Layer(diffId, () -> Files.newInputStream(file))));
            StoredBlob blob;
            try (InputStream in = Files.newInputStream(file)) {
                blob = images.putBlob(in, null);
            }
            String now = Instant.now().toString();
            ConfigFile config = new ConfigFile(now, null, ImageStore.architecture(), "linux", null,
                    ConfigFile.RootFs.layers(List.of(diffId)),
                    List.of(new ConfigFile.History(now, "jbox import " + source, null, message, false)));
            return images.addImage(config, List.of(blob.describe(mediaType(file))), tag);
        } catch (IOException e) {
            throw new JboxException("cannot import " + source + ": " + e.getMessage());
        } finally {
            if (tmp != null) {
                FileTrees.delete(tmp);
            }
        }
    }
    // end::import[]

    /** The layer's media type, from its first bytes. */
    private static String mediaType(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return switch (LayerUnpacker.compression(in.readNBytes(4))) {
                case GZIP -> MediaTypes.OCI_LAYER_GZIP;
                case ZSTD -> MediaTypes.OCI_LAYER_ZSTD;
                case NONE -> MediaTypes.OCI_LAYER;
            };
        }
    }
}
