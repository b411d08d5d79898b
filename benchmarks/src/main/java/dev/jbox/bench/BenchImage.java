package dev.jbox.bench;

import dev.jbox.DataRoot;
import dev.jbox.image.ImageConfig;
import dev.jbox.image.ImageStore;
import dev.jbox.image.StoredImage;
import dev.jbox.layers.FlatRootfs;
import dev.jbox.kernel.Kernel;
import dev.jbox.kernel.WaitStatus;
import dev.jbox.engine.Engine;
import dev.jbox.namespaces.RootFilesystem;
import dev.jbox.runtime.ContainerRuntime;
import dev.jbox.spec.ContainerSpec;
import dev.jbox.spec.Namespace;
import java.util.EnumSet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The busybox image in a temporary store of the benchmarks' own (never /var/lib/jbox), and
 * specs for containers on it. Closing removes the store, and whatever the containers wrote.
 */
public final class BenchImage implements AutoCloseable {
    private final Path storeRoot;
    private final DataRoot store;
    private final Path rootfs;
    private final ImageConfig config;

    private BenchImage(Path storeRoot) {
        this.storeRoot = storeRoot;
        this.store = new DataRoot(storeRoot);
        ImageStore images = new ImageStore(store);
        StoredImage image = images.resolve(ImageStore.DEFAULT_IMAGE);
        this.rootfs = FlatRootfs.ensure(store, images, image); // the plain directory chapters 1-3 run on
        this.config = image.config().runConfig();
    }

    /** Makes the image now, so nothing timed later pays for it. */
    public static BenchImage create() throws IOException {
        return new BenchImage(BenchRoot.temporaryStore());
    }

    /**
     * What every benchmark that starts containers does first: checks for root, starts JNA's
     * Cleaner from this ordinary thread so that container threads never have to (DESIGN.md
     * section 4; the CLI's main thread does the same), and makes the image.
     */
    public static BenchImage forContainers() throws IOException {
        BenchRoot.require();
        Kernel.warmUp();
        return create();
    }

    public Path storeRoot() {
        return storeRoot;
    }

    public Path rootfs() {
        return rootfs;
    }

    /** The runtime of chapter {@code chapter}'s engine (without its features: no network, no cgroup). */
    public ContainerRuntime runtime(int chapter) {
        return new Engine(store).chapter(chapter).runtime().apply(store);
    }

    /**
     * A spec for {@code command} on the image, with the image's environment, and what chapter 2's
     * namespaces feature gives a container: every namespace, a host name, Docker's protected paths.
     */
    public ContainerSpec.Builder spec(List<String> command) {
        return ContainerSpec.builder(rootfs, command).env(config.env())
                .namespaces(EnumSet.allOf(Namespace.class)).hostname("jbox")
                .readonlyPaths(RootFilesystem.READ_ONLY_PATHS).maskedPaths(RootFilesystem.MASKED_PATHS);
    }

    /** A directory in the store for a chapter-2 container's status file ({@code Launch.stateDir()}). */
    public Path stateDir(String name) {
        return directory("state/" + name);
    }

    /** A directory of the store, made if missing: on the same file system as the image. */
    public Path directory(String relative) {
        try {
            return Files.createDirectories(storeRoot.resolve(relative));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + relative + " in " + storeRoot, e);
        }
    }

    @Override
    public void close() {
        BenchRoot.delete(storeRoot);
    }

    /** A start that failed must stop a benchmark, not be timed as a fast one. */
    public static int succeeded(WaitStatus status) {
        if (!status.exited() || status.exitCode() != 0) {
            throw new IllegalStateException("the container " + status + "; the benchmark would time a failure");
        }
        return status.raw();
    }
}
