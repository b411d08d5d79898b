package dev.jbox.layers;

import dev.jbox.DataRoot;
import dev.jbox.FileTrees;
import dev.jbox.JboxException;
import dev.jbox.image.ConfigFile;
import dev.jbox.image.Descriptor;
import dev.jbox.image.ImageStore;
import dev.jbox.image.MediaTypes;
import dev.jbox.image.Reference;
import dev.jbox.image.StoredBlob;
import dev.jbox.image.StoredImage;
import dev.jbox.kernel.ContainerThread;
import dev.jbox.kernel.Kernel;
import dev.jbox.lifecycle.ContainerRecord;
import dev.jbox.lifecycle.ContainerStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A container's files, as {@code docker diff}, {@code commit} and {@code export} see them: its
 * writable layer against its image's layers. Reading them needs no running container.
 */
public final class ContainerFiles {
    private final DataRoot root;
    private final ContainerStore containers;
    private final ImageStore images;

    public ContainerFiles(DataRoot root) {
        this.root = root;
        this.containers = new ContainerStore(root);
        this.images = new ImageStore(root);
    }

    /** The container's layer directories; an error naming the fix if it runs on a plain directory. */
    private ContainerLayers layersOf(ContainerRecord c, String verb) {
        ContainerLayers layers = ContainerLayers.in(containers.dirOf(c));
        if (!layers.holds(c)) {
            throw new JboxException("container " + c.name() + " has no layers of its own to " + verb + ": it runs on "
                    + (c.imageId() == null ? "the directory " + c.spec().rootfs() + " (--rootfs)"
                    : "its image's plain directory (--chapter " + c.chapter() + "); layers come with chapter 4")
                    + "; run the image with --chapter 4 or later");
        }
        return layers;
    }

    private StoredImage imageOf(ContainerRecord c) {
        return images.resolve(c.imageId());
    }

    /** {@code jbox diff}: what the container added (A), changed (C) and deleted (D), sorted by path. */
    public List<LayerDiff.Change> changes(ContainerRecord c) {
        ContainerLayers layers = layersOf(c, "diff");
        return new LayerDiff().changes(layers.upper(), ContainerLayers.lowers(root, images, imageOf(c)));
    }

    // tag::commit[]
    /**
     * {@code jbox commit}: the container's upper directory becomes one more layer on top of its
     * image's, in a new image with the same config, changed by {@code changes} (Dockerfile lines
     * such as {@code CMD ["sh"]}), and tagged {@code tag} (or untagged if null).
     */
    public StoredImage commit(ContainerRecord c, Reference tag, String message, List<String> changes) {
        ContainerLayers layers = layersOf(c, "commit");
        StoredImage base = imageOf(c);
        ConfigFile.Config config = base.config().config();
        for (String change : changes) {
            config = ConfigChanges.apply(config, change);
        }
        Path tmp = tempFile("commit-");
        try {
            LayerDiff.Layer layer;
            try (OutputStream out = Files.newOutputStream(tmp)) {
                layer = new LayerDiff().write(layers.upper(), out, LayerDiff.Compression.GZIP, LayerDiff.sourceDateEpoch());
            }
            StoredBlob blob;
            try (InputStream in = Files.newInputStream(tmp)) {
                blob = images.putBlob(in, layer.digest(), layer.size());
            }
            List<Descriptor> allLayers = new ArrayList<>(base.layers());
            allLayers.add(blob.describe(MediaTypes.OCI_LAYER_GZIP));
            List<ConfigFile.History> history = new ArrayList<>(base.config().history());
            String now = Instant.now().toString();
            history.add(new ConfigFile.History(now, String.join(" ", c.command()), null, message, false));
            List<dev.jbox.image.Digest> diffIds = new ArrayList<>(base.diffIds());
            diffIds.add(layer.diffId());
            ConfigFile made = new ConfigFile(now, base.config().author(), base.config().architecture(),
                    base.config().os(), config, ConfigFile.RootFs.layers(diffIds), history);
            return images.addImage(made, allLayers, tag);
        } catch (IOException e) {
            throw new JboxException("cannot commit container " + c.name() + ": " + e.getMessage());
        } finally {
            FileTrees.delete(tmp);
        }
    }
    // end::commit[]

    // tag::export[]
    /**
     * {@code jbox export}: the container's whole file system as one tar, written to {@code out}.
     * It is read through a read-only overlay of the container's upper directory over its image's
     * layers, mounted in a mount namespace of a thread of its own: the mount exists nowhere else
     * and goes with the thread, even if the engine is killed. (Over a running container's upper
     * directory the kernel logs that using it from two mounts at once is undefined: what the
     * container writes while the export runs may or may not be in the tar, as with Docker.)
     */
    public void export(ContainerRecord c, OutputStream out) {
        if (c.imageId() == null) {
            new LayerDiff().write(c.spec().rootfs(), out, LayerDiff.Compression.NONE, null);
            return;
        }
        ContainerLayers layers = layersOf(c, "export");
        List<Path> view = new ArrayList<>(ContainerLayers.lowers(root, images, imageOf(c)));
        view.add(layers.upper());
        Path target = tempDirectory(containers.dirOf(c), ".export-");
        try {
            ContainerThread.call("jbox-export", () -> {
                Kernel.unshare(Kernel.CLONE_FS | Kernel.CLONE_NEWNS);
                Kernel.mount(null, "/", null, Kernel.MS_REC | Kernel.MS_PRIVATE, null);
                OverlayMount.mount(view, null, null, target);
                new LayerDiff().write(target, out, LayerDiff.Compression.NONE, null);
                return null; // the namespace, and the mount in it, end with this thread
            });
        } finally {
            FileTrees.delete(target);
        }
    }
    // end::export[]

    private Path tempFile(String prefix) {
        try {
            Path dir = root.root().resolve("image-ingest");
            Files.createDirectories(dir);
            return Files.createTempFile(dir, prefix, ".tar");
        } catch (IOException e) {
            throw new JboxException("cannot make a temporary file under " + root.root() + ": " + e.getMessage());
        }
    }

    private static Path tempDirectory(Path dir, String prefix) {
        try {
            return Files.createTempDirectory(dir, prefix);
        } catch (IOException e) {
            throw new JboxException("cannot make a temporary directory in " + dir + ": " + e.getMessage());
        }
    }
}
