package dev.jbox.layers;

import dev.jbox.DataRoot;
import dev.jbox.JboxException;
import dev.jbox.image.Descriptor;
import dev.jbox.image.ImageStore;
import dev.jbox.image.StoredImage;
import dev.jbox.kernel.Kernel;
import dev.jbox.lifecycle.ContainerRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a chapter-4 container keeps its file system, in its own directory: {@code upper/} (its
 * writable layer: everything it changed), {@code init/} (its {@link InitLayer}: the mount points
 * the image lacks, read-only below the upper), {@code work/} (overlayfs's scratch space) and
 * {@code rootfs/} (where the overlay is mounted while the container is being made). Below them
 * are the image's layers, unpacked once into {@code snapshots/} and shared by every container.
 */
public record ContainerLayers(Path dir) {
    public static ContainerLayers in(Path containerDir) {
        return new ContainerLayers(containerDir);
    }

    public Path upper() {
        return dir.resolve("upper");
    }

    public Path init() {
        return dir.resolve("init");
    }

    public Path work() {
        return dir.resolve("work");
    }

    public Path merged() {
        return dir.resolve("rootfs");
    }

    /** Whether {@code record} is a container on layers (an image, chapter 4 or later), not on a plain directory. */
    public boolean holds(ContainerRecord record) {
        return record.spec() != null && record.spec().rootfs().equals(merged()) && Files.isDirectory(upper());
    }

    /** Makes the four directories; work is root's alone (the upper's mode is that of the container's /). */
    void create() {
        try {
            Files.createDirectories(merged());
            Files.createDirectory(upper());
            Files.createDirectory(init());
            Files.createDirectory(work());
        } catch (IOException e) {
            throw new JboxException("cannot make the container's layer directories in " + dir + ": " + e
                    + "; check the space and permissions of the data root");
        }
        Kernel.chmod(upper().toString(), 0755);
        Kernel.chmod(work().toString(), 0700);
    }

    /** Whether the overlay is mounted at {@link #merged()} in this (the host's) mount namespace. */
    public boolean mounted() {
        String target = merged().toAbsolutePath().toString();
        return OverlayMount.hostMountPoints().stream().anyMatch(target::equals);
    }

    /** Unmounts the host's copy of the overlay if it is there: safe to call any number of times. */
    public void unmount() {
        if (mounted()) {
            OverlayMount.unmount(merged());
        }
    }

    /** The bytes the container's writable layer takes: its size as {@code docker ps -s} and {@code system df} count it. */
    public long size() {
        return sizeOf(upper());
    }

    private static long sizeOf(Path dir) {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (var files = Files.walk(dir)) {
            return files.filter(f -> Files.isRegularFile(f, java.nio.file.LinkOption.NOFOLLOW_LINKS))
                    .mapToLong(f -> f.toFile().length()).sum();
        } catch (IOException | java.io.UncheckedIOException e) {
            return 0; // removed as we looked
        }
    }

    /** The snapshot directories of {@code image}'s layers, base first, unpacked if they are not yet. */
    public static List<Path> lowers(DataRoot root, ImageStore images, StoredImage image) {
        List<Snapshots.Layer> layers = new ArrayList<>();
        for (int i = 0; i < image.layers().size(); i++) {
            Descriptor blob = image.layers().get(i);
            layers.add(new Snapshots.Layer(image.diffIds().get(i), () -> Files.newInputStream(images.blob(blob.digest()))));
        }
        if (layers.isEmpty()) {
            throw new JboxException("image " + image.id().shortHex() + " has no layers, so nothing to run; build or import one with files");
        }
        return snapshots(root).prepare(layers);
    }

    /** The store of unpacked layers under the data root. */
    public static Snapshots snapshots(DataRoot root) {
        return new Snapshots(root.root().resolve("snapshots"));
    }

    // tag::prune[]
    /**
     * Removes the snapshots no image in the store refers to, after {@code image prune}: garbage
     * collection by reference, as containerd does it. A container's image stays in the store while
     * the container exists (rmi and prune spare it), so its snapshots stay too. Returns the bytes freed.
     */
    public static long pruneSnapshots(DataRoot root, ImageStore images) {
        java.util.Set<dev.jbox.image.Digest> used = new java.util.HashSet<>();
        for (StoredImage image : images.list()) {
            used.addAll(Snapshots.chainIds(image.diffIds()));
        }
        Snapshots snapshots = snapshots(root);
        long freed = 0;
        for (dev.jbox.image.Digest chain : snapshots.list()) {
            if (!used.contains(chain)) {
                freed += sizeOf(snapshots.path(chain));
                snapshots.remove(chain);
            }
        }
        return freed;
    }
    // end::prune[]
}
