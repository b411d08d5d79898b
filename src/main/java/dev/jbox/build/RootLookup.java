package dev.jbox.build;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Looks a path up in an image's unpacked layers without mounting them: the topmost layer that
 * has it wins, and an overlay whiteout (a 0/0 character device) there means it is gone. Enough to
 * ask whether WORKDIR exists, what mode a directory COPY writes into has, and who a user named in
 * {@code --chown} is; a RUN sees the real union through overlayfs.
 */
final class RootLookup {
    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;
    private final List<Path> topFirst;

    RootLookup(List<Path> lowersBaseFirst) {
        List<Path> reversed = new ArrayList<>(lowersBaseFirst);
        Collections.reverse(reversed);
        this.topFirst = reversed;
    }

    /** The entry at {@code rel} ("etc/passwd"), or null. */
    Path find(String rel) {
        if (rel.isEmpty()) {
            return null;
        }
        for (Path layer : topFirst) {
            Path p = layer.resolve(rel);
            if (Files.exists(p, NOFOLLOW)) {
                return isWhiteout(p) ? null : p;
            }
        }
        return null;
    }

    boolean isDirectory(String rel) {
        Path p = find(rel);
        return p != null && Files.isDirectory(p, NOFOLLOW);
    }

    private static boolean isWhiteout(Path p) {
        try {
            Map<String, Object> a = Files.readAttributes(p, "unix:mode,rdev", NOFOLLOW);
            return ((Integer) a.get("mode") & 0170000) == 0020000 && ((Long) a.get("rdev")) == 0;
        } catch (IOException e) {
            return false;
        }
    }

    /** A user or group name (or number) as uid/gid, from the image's /etc/passwd or /etc/group. */
    Integer id(String nameOrNumber, String file) {
        if (nameOrNumber.matches("\\d+")) {
            return Integer.parseInt(nameOrNumber);
        }
        Path p = find(file);
        if (p == null || !Files.isRegularFile(p, NOFOLLOW)) {
            return null;
        }
        try {
            for (String line : Files.readAllLines(p)) {
                String[] f = line.split(":");
                if (f.length > 2 && f[0].equals(nameOrNumber) && f[2].matches("\\d+")) {
                    return Integer.parseInt(f[2]);
                }
            }
        } catch (IOException e) {
            return null;
        }
        return null;
    }

    /** The primary group of a user in /etc/passwd, or null. */
    Integer primaryGroup(String user) {
        Path p = find("etc/passwd");
        if (p == null || !Files.isRegularFile(p, NOFOLLOW)) {
            return null;
        }
        try {
            for (String line : Files.readAllLines(p)) {
                String[] f = line.split(":");
                if (f.length > 3 && (f[0].equals(user) || f[2].equals(user)) && f[3].matches("\\d+")) {
                    return Integer.parseInt(f[3]);
                }
            }
        } catch (IOException e) {
            return null;
        }
        return null;
    }
}
