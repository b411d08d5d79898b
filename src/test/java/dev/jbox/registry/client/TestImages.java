package dev.jbox.registry.client;

import dev.jbox.DataRoot;
import dev.jbox.image.ConfigFile;
import dev.jbox.image.Descriptor;
import dev.jbox.image.ImageStore;
import dev.jbox.image.MediaTypes;
import dev.jbox.image.Reference;
import dev.jbox.image.StoredBlob;
import dev.jbox.image.StoredImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Images for the client's tests: layers of seeded random bytes (the transfer never reads them as tars). */
final class TestImages {
    static final ClientConfig NO_LOGINS_FAST_RETRY = new ClientConfig(new CredentialStore(Path.of("/nonexistent/config.json")),
            new InsecureRegistries(List.of()), new RetryPolicy(5, java.time.Duration.ofMillis(200)), List.of());

    private TestImages() {
    }

    static ImageStore store(Path dir) {
        return new ImageStore(new DataRoot(dir));
    }

    static byte[] bytes(long seed, int size) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** An image of the given layers for {@code os/arch}, tagged {@code tag}. */
    static StoredImage image(ImageStore store, String tag, String arch, byte[]... layers) {
        List<Descriptor> descriptors = new ArrayList<>();
        List<dev.jbox.image.Digest> diffIds = new ArrayList<>();
        for (byte[] layer : layers) {
            StoredBlob b = store.putBlob(new ByteArrayInputStream(layer), null, layer.length);
            descriptors.add(b.describe(MediaTypes.OCI_LAYER));
            diffIds.add(b.digest());
        }
        ConfigFile config = new ConfigFile(null, null, arch, "linux", null, ConfigFile.RootFs.layers(diffIds), null);
        return store.addImage(config, descriptors, Reference.parse(tag));
    }

    /** A plain progress display whose lines the test reads. */
    record Recorded(ByteArrayOutputStream out, PlainProgress progress) {
        Recorded() {
            this(new ByteArrayOutputStream());
        }

        private Recorded(ByteArrayOutputStream out) {
            this(out, new PlainProgress(new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8)));
        }

        String text() {
            return out.toString(java.nio.charset.StandardCharsets.UTF_8);
        }
    }
}
