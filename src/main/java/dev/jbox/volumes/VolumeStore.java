package dev.jbox.volumes;

import dev.jbox.DataRoot;
import dev.jbox.FileTrees;
import dev.jbox.JboxException;
import dev.jbox.LockFile;
import dev.jbox.lifecycle.ContainerRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Named and anonymous volumes, laid out as Docker lays them out: {@code volumes/NAME/_data} below
 * the data root is what containers mount. An anonymous volume (from {@code -v /path} or an image's
 * VOLUME) has a random 64-hex name and a marker file, so {@code --rm} and {@code prune} know it.
 */
public final class VolumeStore {
    private static final String DATA = "_data", ANONYMOUS = "anonymous";

    /** In a container's directory: the volumes it mounts, one a line ("NAME", or "NAME anonymous" for one it made). */
    public static final String IN_USE = "volumes";

    private final Path dir;
    private final Path containersDir;

    public VolumeStore(DataRoot root) {
        this.dir = root.root().resolve("volumes");
        this.containersDir = root.containers();
    }

    /**
     * The lock of the volume {@code name}, as the store locks a snapshot: a {@code run} holds it from
     * making the volume until the container's list names it, {@code volume rm} and {@code prune} from
     * asking who uses it until it is gone, so neither removes a volume the other is about to mount.
     */
    public LockFile lock(String name) {
        if (name.contains("/") || name.startsWith(".") || name.isEmpty()) {
            throw new JboxException("no such volume: " + name + " (jbox volume ls lists them)");
        }
        return LockFile.acquire(dir.resolve(".locks").resolve(name));
    }

    /** A volume: its name, the directory containers mount, when it was made, whether it is anonymous. */
    public record Volume(String name, Path mountpoint, FileTime created, boolean anonymous) {
    }

    /** Makes the volume if it does not exist yet (as {@code docker volume create} and {@code -v NAME:/path} do). */
    public Volume create(String name) {
        if (!RequestedMount.VOLUME_NAME.matcher(name).matches()) {
            throw new JboxException("'" + name + "' is not a valid volume name (two characters or more: a letter or digit, then letters, digits,"
                    + " '_', '.' or '-')");
        }
        return make(name, false);
    }

    /** A new anonymous volume's name: 64 random hex digits, as Docker's. */
    public static String anonymousName() {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        return HexFormat.of().formatHex(random);
    }

    public Volume createAnonymous(String name) {
        return make(name, true);
    }

    private Volume make(String name, boolean anonymous) {
        Path volume = dir.resolve(name);
        try {
            Files.createDirectories(volume);
            if (anonymous) {
                Files.createFile(volume.resolve(ANONYMOUS));
            }
            // The directory the container sees: made last, so a volume half-made by a killed jbox has no _data yet.
            Files.createDirectories(volume.resolve(DATA));
        } catch (IOException e) {
            throw new JboxException("cannot create volume " + name + " in " + dir + ": " + e);
        }
        return find(name);
    }

    /** The volume called {@code name}, or an error that says how to see which exist. */
    public Volume find(String name) {
        Volume v = name.contains("/") || name.startsWith(".") ? null : read(dir.resolve(name));
        if (v == null) {
            throw new JboxException("no such volume: " + name + " (jbox volume ls lists them)");
        }
        return v;
    }

    public boolean exists(String name) {
        return !name.contains("/") && !name.startsWith(".") && read(dir.resolve(name)) != null;
    }

    public List<Volume> list() {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().filter(p -> !p.getFileName().toString().startsWith(".")) // one being removed
                    .map(VolumeStore::read).filter(v -> v != null).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Volume read(Path volume) {
        Path data = volume.resolve(DATA);
        if (!Files.isDirectory(data)) {
            return null;
        }
        try {
            return new Volume(volume.getFileName().toString(), data, Files.getLastModifiedTime(volume),
                    Files.exists(volume.resolve(ANONYMOUS)));
        } catch (IOException e) {
            return null; // removed meanwhile
        }
    }

    /**
     * The containers (ended ones too) that mount {@code v}: Docker refuses to remove a volume in use.
     * A container being made names it in its list of volumes before its spec does.
     */
    public List<String> users(Volume v, List<ContainerRecord> containers) {
        List<String> users = new ArrayList<>();
        for (ContainerRecord c : containers) {
            if (c.spec().mounts().stream().anyMatch(m -> v.mountpoint().toString().equals(m.source())) || listed(v, c)) {
                users.add(c.name());
            }
        }
        return users;
    }

    private boolean listed(Volume v, ContainerRecord c) {
        try {
            return Files.readAllLines(containersDir.resolve(c.id()).resolve(IN_USE)).stream()
                    .anyMatch(line -> line.equals(v.name()) || line.startsWith(v.name() + " "));
        } catch (IOException e) {
            return false; // no list: a container with no volume, or made by an older jbox (its spec says)
        }
    }

    /** Removes the volume and its content; refuses, in one line naming them, while containers use it. */
    public void remove(String name, Supplier<List<ContainerRecord>> containers) {
        try (LockFile ignored = lock(name)) {
            Volume v = find(name);
            List<String> users = users(v, containers.get());
            if (!users.isEmpty()) {
                throw new JboxException("volume " + name + " is in use by container" + (users.size() > 1 ? "s " : " ")
                        + String.join(", ", users) + "; remove " + (users.size() > 1 ? "them" : "it") + " first (jbox rm "
                        + String.join(" ", users) + ")");
            }
            delete(v);
        }
    }

    /** Removes the volume if it exists and no container but {@code except} (an id, or null) uses it; whether it did. */
    public boolean removeUnused(String name, Supplier<List<ContainerRecord>> containers, String except) {
        try (LockFile ignored = lock(name)) {
            if (!exists(name)) {
                return false;
            }
            Volume v = find(name);
            if (!users(v, containers.get().stream().filter(c -> !c.id().equals(except)).toList()).isEmpty()) {
                return false;
            }
            delete(v);
            return true;
        }
    }

    /** Removes a volume without asking who uses it: for the container that made it (--rm, a failed start). */
    void delete(Volume v) {
        Path volume = v.mountpoint().getParent();
        try {
            // Renamed away first, so a volume half deleted (a killed jbox) is never listed or mounted.
            Path gone = volume.resolveSibling("." + v.name() + ".removing");
            Files.move(volume, gone);
            FileTrees.delete(gone);
        } catch (IOException e) {
            throw new JboxException("cannot remove volume " + v.name() + ": " + e);
        }
    }

    /** Bytes used by the volume's files (what {@code system df} shows). */
    public static long size(Volume v) {
        try (Stream<Path> s = Files.walk(v.mountpoint())) {
            return s.filter(p -> Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    return 0;
                }
            }).sum();
        } catch (IOException | UncheckedIOException e) {
            return 0;
        }
    }
}
