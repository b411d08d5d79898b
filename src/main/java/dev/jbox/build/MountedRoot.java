package dev.jbox.build;

import dev.jbox.FileTrees;
import dev.jbox.JboxException;
import dev.jbox.layers.OverlayMount;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A build step's root file system: the parent image's snapshots as overlay lower layers, a fresh
 * upper directory (what the step changes, which becomes its layer) and the merged view, all in a
 * scratch directory of the step's own. {@link #close} unmounts and removes all of it, on every
 * path, failure included.
 *
 * <p>For RUN, an "init layer" sits between the image and the upper directory, as in Docker: the
 * mount points the runtime needs ({@code /proc}, {@code /sys}, {@code /dev}) and the files it
 * mounts its own over ({@code /etc/hosts}, {@code /etc/hostname}, {@code /etc/resolv.conf}). The
 * runtime finds them there and creates nothing in the upper directory, so they never end up in
 * the step's layer.
 */
final class MountedRoot implements AutoCloseable {
    private static final List<String> INIT_DIRS = List.of("proc", "sys", "dev", "etc");
    private static final List<String> INIT_FILES = List.of("etc/hosts", "etc/hostname", "etc/resolv.conf");

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
            if (forRun || lowers.isEmpty()) { // overlayfs needs one lower layer at least (FROM scratch)
                makeInitLayer(root.dir.resolve("init"), lowersBaseFirst);
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

    private static void makeInitLayer(Path init, List<Path> lowersBaseFirst) throws IOException {
        RootLookup image = new RootLookup(lowersBaseFirst);
        for (String d : INIT_DIRS) {
            Path p = Files.createDirectory(init.resolve(d));
            Path below = image.find(d);
            if (below != null && Files.isDirectory(below, LinkOption.NOFOLLOW_LINKS)) {
                // the image's mode and owner, so a copy-up of it into the upper dir changes nothing
                Map<String, Object> a = Files.readAttributes(below, "unix:mode,uid,gid", LinkOption.NOFOLLOW_LINKS);
                Files.setAttribute(p, "unix:mode", (Integer) a.get("mode") & 07777);
                Files.setAttribute(p, "unix:uid", a.get("uid"));
                Files.setAttribute(p, "unix:gid", a.get("gid"));
                Files.setLastModifiedTime(p, Files.getLastModifiedTime(below));
            }
        }
        for (String f : INIT_FILES) {
            Files.createFile(init.resolve(f));
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
