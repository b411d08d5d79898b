package dev.jbox.layers;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a path means in a stack of layer directories, looked up the way overlayfs does, without
 * mounting: the topmost layer that has the name wins, a whiteout deletes it, a file hides every
 * layer below, and directories merge unless one of them is opaque. Symbolic links are never
 * followed (a layer's symlink means something only inside the container).
 */
final class UnionView {
    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

    /** The visible entry at a path (null if none) and the layers whose directory at that path merge into it. */
    record Lookup(Path entry, List<Path> mergedLayers) {
    }

    private final List<Path> topFirst;
    private final Whiteouts.Disk disk;
    private final Map<String, Lookup> directories = new HashMap<>();

    /** {@code layersBaseFirst}: layer directories in image order, the base layer first. */
    UnionView(List<Path> layersBaseFirst, Whiteouts.Disk disk) {
        List<Path> reversed = new ArrayList<>(layersBaseFirst);
        java.util.Collections.reverse(reversed);
        this.topFirst = List.copyOf(reversed);
        this.disk = disk;
    }

    /** The visible entry of layer-relative path {@code rel} ("a/b", no leading slash), or null. */
    Path find(String rel) {
        return lookup(rel).entry();
    }

    Lookup lookup(String rel) {
        if (rel.isEmpty()) {
            return new Lookup(null, topFirst);
        }
        Lookup known = directories.get(rel);
        if (known != null) {
            return known;
        }
        int slash = rel.lastIndexOf('/');
        Lookup parent = lookup(slash < 0 ? "" : rel.substring(0, slash));
        Path entry = null;
        List<Path> merged = new ArrayList<>();
        for (Path layer : parent.mergedLayers()) {
            Path p = layer.resolve(rel);
            if (!Files.exists(p, NOFOLLOW)) {
                continue;
            }
            if (disk.isWhiteout(p)) {
                break;
            }
            boolean dir = Files.isDirectory(p, NOFOLLOW);
            if (entry == null) {
                entry = p;
            }
            if (!dir) {
                break; // a file hides what is below it; a file below a directory is hidden by it
            }
            merged.add(layer);
            if (disk.isOpaque(p)) {
                break;
            }
        }
        Lookup result = new Lookup(entry, List.copyOf(merged));
        if (!merged.isEmpty()) {
            directories.put(rel, result);
        }
        return result;
    }
}
