package dev.jbox.image;

import dev.jbox.JboxException;
import dev.jbox.DataRoot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The images the engine has, one directory each: {@code images/NAME/rootfs} and
 * {@code images/NAME/config.json}. Chapter 4 replaces the plain directory with layers.
 */
public final class ImageStore {
    public static final String DEFAULT_IMAGE = "busybox";
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,127}");

    private final DataRoot store;

    public ImageStore(DataRoot store) {
        this.store = store;
    }

    /** The image called {@code reference} ("busybox" or "busybox:latest"); the built-in one is made on first use. */
    public Image get(String reference) {
        String name = reference.endsWith(":latest") ? reference.substring(0, reference.length() - 7) : reference;
        if (!NAME.matcher(name).matches()) {
            throw new JboxException("invalid image name '" + reference
                    + "': use lower-case letters, digits, '.', '_' and '-', e.g. " + DEFAULT_IMAGE);
        }
        Path dir = store.images().resolve(name);
        if (!Files.isDirectory(dir) && name.equals(DEFAULT_IMAGE)) {
            BusyboxImage.create(dir);
        }
        if (!Files.isDirectory(dir.resolve("rootfs"))) {
            throw new JboxException("no such image: '" + reference + "'; the built-in image is '"
                    + DEFAULT_IMAGE + "' ('jbox images' lists the images in " + store.images() + ")");
        }
        return new Image(name, dir.resolve("rootfs"), readConfig(dir.resolve("config.json")));
    }

    public List<String> names() {
        if (!Files.isDirectory(store.images())) {
            return List.of();
        }
        try (Stream<Path> dirs = Files.list(store.images())) {
            List<String> names = new ArrayList<>();
            dirs.filter(d -> Files.isDirectory(d.resolve("rootfs")))
                    .forEach(d -> names.add(d.getFileName().toString()));
            names.sort(null);
            return names;
        } catch (IOException e) {
            throw new JboxException("cannot list " + store.images() + ": " + e.getMessage());
        }
    }

    static ImageConfig readConfig(Path file) {
        try {
            return Files.exists(file) ? dev.jbox.Json.mapper().readValue(file.toFile(), ImageConfig.class) : new ImageConfig(null, null, null);
        } catch (IOException e) {
            throw new JboxException("cannot read the image config " + file + ": " + e.getMessage()
                    + "; remove the image directory and let jbox make it again");
        }
    }

    static void writeConfig(Path file, ImageConfig config) {
        dev.jbox.Json.writeAtomically(file, config);
    }
}
