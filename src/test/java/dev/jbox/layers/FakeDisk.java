package dev.jbox.layers;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Overlay's side of the whiteout translation, kept in memory: records what was made, answers what was set. */
final class FakeDisk implements Whiteouts.Disk {
    final List<String> calls = new ArrayList<>();
    final Set<Path> whiteouts = new HashSet<>();
    final Set<Path> opaque = new HashSet<>();

    @Override
    public void makeWhiteout(Path path) {
        calls.add("whiteout " + path.getFileName());
    }

    @Override
    public void makeOpaque(Path dir) {
        calls.add("opaque " + dir.getFileName());
    }

    @Override
    public boolean isWhiteout(Path path) {
        return whiteouts.contains(path);
    }

    @Override
    public boolean isOpaque(Path dir) {
        return opaque.contains(dir);
    }
}
