package dev.jbox.layers;

import dev.jbox.DataRoot;
import dev.jbox.engine.EngineContext;
import dev.jbox.engine.Feature;
import dev.jbox.engine.ImageRoot;
import dev.jbox.engine.RunRequest;
import dev.jbox.image.ImageStore;
import dev.jbox.image.StoredImage;
import dev.jbox.lifecycle.ContainerRecord;
import dev.jbox.lifecycle.ContainerStore;
import dev.jbox.spec.ContainerSpec;
import dev.jbox.volumes.RequestedMount;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Chapter 4: a container of an image runs on an overlay of the image's layers, read-only and
 * shared, with a writable layer of its own on top. What it writes lands in its upper directory;
 * the image, and every other container of it, never see it. Between the two lies its init layer,
 * the mount points the image lacks, so that the upper directory holds only what the command did.
 *
 * <p>The overlay is mounted on the host just before the runtime makes the container, whose new
 * mount namespace copies it; as soon as the container exists the host's copy is unmounted, so
 * the container's root is its own and an engine that dies leaves (at most for that moment) one
 * mount, which {@link #release} removes from the record alone.
 */
// tag::feature[]
public final class ImageLayersFeature implements Feature, ImageRoot {
    private final DataRoot root;
    private final ContainerStore containers;
    private final ImageStore images;

    public ImageLayersFeature(EngineContext context) {
        this.root = context.root();
        this.containers = context.containers();
        this.images = new ImageStore(context.root());
    }

    @Override
    public String name() {
        return "union layers (overlayfs)";
    }

    @Override
    public Path rootOf(StoredImage image, Path containerDir) {
        if (containerDir == null) {
            throw new IllegalStateException("a container on layers needs a directory of its own (a runtime that keeps state)");
        }
        return ContainerLayers.in(containerDir).merged();
    }

    @Override
    public ContainerRecord prepare(RunRequest request, ContainerRecord record, ContainerSpec.Builder spec) {
        ContainerLayers layers = ContainerLayers.in(containers.dirOf(record));
        if (record.imageId() == null || !record.spec().rootfs().equals(layers.merged())) {
            return record; // --rootfs DIR: the user's directory, as it is
        }
        StoredImage image = images.resolve(record.imageId());
        List<Path> lowers = ContainerLayers.lowers(root, images, image);
        layers.create();
        lowers = InitLayer.over(lowers, layers.init(), mountPoints(request, image));
        OverlayMount.mount(lowers, layers.upper(), layers.work(), layers.merged());
        return record;
    }

    /** Where the runtime will mount: its own mount points, and the targets of the run's volumes, binds and tmpfs. */
    private static List<InitLayer.MountPoint> mountPoints(RunRequest request, StoredImage image) {
        List<InitLayer.MountPoint> points = new ArrayList<>(InitLayer.RUNTIME);
        for (RequestedMount m : RequestedMount.all(request, image.config().config())) {
            points.add(new InitLayer.MountPoint(m.target(), m.ofAFile()));
        }
        return points;
    }

    /** The container's mount namespace holds its copy of the overlay now: the host's goes. */
    @Override
    public ContainerRecord created(ContainerRecord record, int pid) {
        ContainerLayers.in(containers.dirOf(record)).unmount();
        return record;
    }

    /** Unmounts the host's copy if an engine died before {@link #created}; the layer directories go with the container's. */
    @Override
    public ContainerRecord release(ContainerRecord record) {
        ContainerLayers.in(containers.dirOf(record)).unmount();
        return record;
    }
}
// end::feature[]
