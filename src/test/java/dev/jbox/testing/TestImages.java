package dev.jbox.testing;

import dev.jbox.DataRoot;
import dev.jbox.image.ConfigFile;
import dev.jbox.image.Descriptor;
import dev.jbox.image.Digest;
import dev.jbox.image.ImageStore;
import dev.jbox.image.LayerWriter;
import dev.jbox.image.MediaTypes;
import dev.jbox.image.Reference;
import dev.jbox.image.StoredBlob;
import dev.jbox.image.StoredImage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/** The images chapter-4 tests need, made straight in a store: busybox plus layers of the test's own. */
public final class TestImages {
    private TestImages() {
    }

    /** Tags {@code name}: the store's busybox plus {@code extra} layers (in order), its config changed by {@code config}. */
    public static void busyboxPlus(Path store, String name, UnaryOperator<ConfigFile.Config> config, LayerWriter... extra) {
        ImageStore images = new ImageStore(new DataRoot(store));
        StoredImage busybox = images.resolve("busybox");
        List<Descriptor> layers = new ArrayList<>(busybox.layers());
        List<Digest> diffIds = new ArrayList<>(busybox.diffIds());
        for (LayerWriter layer : extra) {
            StoredBlob b = images.putBlob(new ByteArrayInputStream(layer.toBytes()), null);
            layers.add(b.describe(MediaTypes.OCI_LAYER));
            diffIds.add(b.digest());
        }
        ConfigFile base = busybox.config();
        images.addImage(new ConfigFile(base.created(), null, base.architecture(), base.os(), config.apply(base.config()),
                ConfigFile.RootFs.layers(diffIds), List.of()), layers, Reference.parse(name));
    }

    /** {@code c} with another USER and VOLUMEs (null: none). */
    public static ConfigFile.Config with(ConfigFile.Config c, String user, Map<String, Object> volumes) {
        return new ConfigFile.Config(user, c.exposedPorts(), c.env(), c.entrypoint(), c.cmd(), volumes, c.workingDir(),
                c.labels(), c.stopSignal());
    }

    public static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
