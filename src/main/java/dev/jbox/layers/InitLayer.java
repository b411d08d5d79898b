package dev.jbox.layers;

import dev.jbox.JboxException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Docker's "init layer": a read-only layer of the container's own, between its image's layers
 * and its writable layer, holding the mount points the runtime needs and the image lacks
 * ({@code /proc}, {@code /sys}, {@code /dev}, the files it mounts its own {@code /etc/hosts},
 * {@code /etc/hostname} and {@code /etc/resolv.conf} over, the targets of volumes and tmpfs).
 * The runtime finds them there and creates nothing in the writable layer, so {@code diff},
 * {@code commit}, {@code export} and a build step's layer show only what the command changed.
 *
 * <p>Only what is missing is made. A directory of the image on the way ({@code /etc}) is made
 * again with the image's mode, owner and time, so the union looks as the image does. A mount
 * point below a file or a symbolic link of the image is left to the runtime, which resolves it
 * inside the root: the init layer never hides an image's symbolic link behind a directory.
 */
public final class InitLayer {
    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

    /** A path the runtime mounts something on: a directory, or a file (a bind mount of a file needs a file). */
    public record MountPoint(String path, boolean file) {
        public static MountPoint directory(String path) {
            return new MountPoint(path, false);
        }

        public static MountPoint file(String path) {
            return new MountPoint(path, true);
        }
    }

    /** What the runtime of chapter 2 on mounts in every container, as Docker's init layer has it. */
    public static final List<MountPoint> RUNTIME = List.of(MountPoint.directory("/proc"), MountPoint.directory("/sys"),
            MountPoint.directory("/dev"), MountPoint.file("/etc/hosts"), MountPoint.file("/etc/hostname"),
            MountPoint.file("/etc/resolv.conf"));

    private final Path dir;
    private final UnionView image;
    /** The image's directories made again here, and their times: set last, as making an entry in one changes it. */
    private final Map<Path, FileTime> times = new LinkedHashMap<>();

    private InitLayer(Path dir, List<Path> imageLowersBaseFirst) {
        this.dir = dir;
        this.image = new UnionView(imageLowersBaseFirst, Whiteouts.LINUX);
    }

    /** Fills the empty directory {@code dir} with the {@code points} the image (its layers, base first) lacks. */
    public static void make(Path dir, List<Path> imageLowersBaseFirst, Collection<MountPoint> points) {
        InitLayer layer = new InitLayer(dir, imageLowersBaseFirst);
        try {
            for (MountPoint p : points) {
                layer.add(p);
            }
            for (Map.Entry<Path, FileTime> t : layer.times.entrySet()) {
                Files.setLastModifiedTime(t.getKey(), t.getValue());
            }
        } catch (IOException e) {
            throw new JboxException("cannot make the init layer in " + dir + ": " + e
                    + "; check the space and permissions of the data root");
        }
    }

    // tag::init-layer[]
    private void add(MountPoint point) throws IOException {
        List<String> parts = List.of(point.path().replaceAll("^/+|/+$", "").split("/+"));
        if (parts.contains("..") || parts.contains(".") || parts.get(0).isEmpty()) {
            return; // not a plain path: the runtime resolves (or refuses) it
        }
        int missing = 0;
        for (; missing < parts.size(); missing++) {
            Path entry = image.find(String.join("/", parts.subList(0, missing + 1)));
            if (entry == null) {
                break;
            }
            if (!Files.isDirectory(entry, NOFOLLOW)) {
                return; // the image has it, or a file or symbolic link on the way to it
            }
        }
        if (missing == parts.size()) {
            return; // the image has the directory
        }
        for (int i = 0; i < parts.size(); i++) {
            String rel = String.join("/", parts.subList(0, i + 1));
            Path here = dir.resolve(rel);
            if (Files.exists(here, NOFOLLOW)) {
                continue; // made for an earlier mount point
            }
            if (i < missing) {
                copyOfImageDirectory(rel, here);
            } else if (i == parts.size() - 1 && point.file()) {
                Files.createFile(here);
                Files.setPosixFilePermissions(here, PosixFilePermissions.fromString("rw-r--r--"));
            } else {
                Files.createDirectory(here);
                Files.setPosixFilePermissions(here, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        }
    }
    // end::init-layer[]

    /** The image's directory at {@code rel}, with its mode, owner and time, so a copy-up of it changes nothing. */
    private void copyOfImageDirectory(String rel, Path here) throws IOException {
        Path below = image.find(rel);
        Files.createDirectory(here);
        Map<String, Object> a = Files.readAttributes(below, "unix:mode,uid,gid", NOFOLLOW);
        Files.setAttribute(here, "unix:mode", (Integer) a.get("mode") & 07777);
        Files.setAttribute(here, "unix:uid", a.get("uid"));
        Files.setAttribute(here, "unix:gid", a.get("gid"));
        times.put(here, Files.getLastModifiedTime(below, NOFOLLOW));
    }

    /** {@code lowers} with an init layer made in {@code dir} on top of them: the lower layers of a container's overlay. */
    public static List<Path> over(List<Path> lowers, Path dir, Collection<MountPoint> points) {
        make(dir, lowers, points);
        List<Path> all = new ArrayList<>(lowers);
        all.add(dir);
        return all;
    }
}
