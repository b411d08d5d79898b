package dev.jbox.build;

import dev.jbox.FileTrees;
import dev.jbox.JboxException;
import dev.jbox.layers.InitLayer;
import dev.jbox.layers.OverlayMount;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A build step's root file system: the parent image's snapshots as overlay lower layers, a fresh
 * upper directory (what the step changes, which becomes its layer) and the merged view, all in a
 * scratch directory of the step's own. {@link #close} unmounts and removes all of it, on every
 * path, failure included.
 *
 * <p>For RUN, an {@link InitLayer} sits between the image and the upper directory, as in Docker
 * and as under every chapter-4 container: the mount points the runtime needs are there, so they
 * never end up in the step's layer.
 */
final class MountedRoot implements AutoCloseable {
    private final Path dir;
    private boolean mounted;

    private MountedRoot(Path dir) {
        this.dir = dir;
    }

    /** Mounts {@code lowersBaseFirst} (with the init layer on top if {@code forRun}) in a new directory below {@code scratch}. */
    static MountedRoot mount(Path scratch, List<Path> lowersBaseFirst, boolean forRun) {
        MountedRoot root;
        try {
            Files.createDirectories(scratch);
            root = new MountedRoot(Files.createTempDirectory(scratch, "step-"));
        } catch (IOException e) {
            throw new JboxException("cannot create a scratch directory in " + scratch + ": " + e.getMessage());
        }
        try {
            for (String d : List.of("upper", "work", "merged", "init")) {
                Files.createDirectory(root.dir.resolve(d));
            }
            List<Path> lowers = new ArrayList<>(lowersBaseFirst);
            if (forRun) {
                lowers = InitLayer.over(lowersBaseFirst, root.dir.resolve("init"), InitLayer.RUNTIME);
            } else if (lowers.isEmpty()) { // overlayfs needs one lower layer at least (FROM scratch): an empty one
                lowers.add(root.dir.resolve("init"));
            }
            OverlayMount.mount(lowers, root.upper(), root.dir.resolve("work"), root.merged());
            root.mounted = true;
            return root;
        } catch (IOException | RuntimeException e) {
            try {
                root.close();
            } catch (RuntimeException undo) {
                e.addSuppressed(undo);
            }
            throw e instanceof RuntimeException r ? r : new JboxException("cannot prepare " + root.dir + ": " + e.getMessage());
        }
    }

    Path upper() {
        return dir.resolve("upper");
    }

    Path merged() {
        return dir.resolve("merged");
    }

    Path scratch() {
        return dir;
    }

    /** Unmounts the merged view (the upper directory stays, to be written as a layer). */
    void unmount() {
        if (mounted) {
            OverlayMount.unmount(merged());
            mounted = false;
        }
    }

    /** Unmounts, then removes the scratch directory; a mount that cannot go leaves the directory (never deleted through). */
    @Override
    public void close() {
        unmount();
        FileTrees.delete(dir);
    }
}
