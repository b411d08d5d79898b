package dev.jbox.image;

import dev.jbox.JboxException;
import dev.jbox.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * containerd's leases, simply: the blobs this process has written and no image names yet are
 * listed in a lease file of its own, so a garbage collection in another jbox command does not
 * take them between the write and the tag. A lease whose process is gone protects nothing.
 */
final class Leases {
    private final Path dir;
    private final Path mine;
    private final Set<Digest> held = new LinkedHashSet<>();

    Leases(Path dir) {
        this.dir = dir;
        this.mine = dir.resolve("lease-" + ProcessHandle.current().pid() + "-" + UUID.randomUUID());
    }

    synchronized void hold(Digest d) {
        if (held.add(d)) {
            write();
        }
    }

    synchronized void release(Iterable<Digest> digests) {
        boolean changed = false;
        for (Digest d : digests) {
            changed |= held.remove(d);
        }
        if (changed) {
            write();
        }
    }

    private void write() {
        try {
            if (held.isEmpty()) {
                Files.deleteIfExists(mine);
                return;
            }
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new JboxException("cannot write the lease " + mine + ": " + e.getMessage());
        }
        Json.writeAtomically(mine, held.stream().map(Digest::toString).toList());
    }

    /** The blobs live processes hold; the lease files of dead processes are removed. */
    static Set<Digest> heldByLiveProcesses(Path dir) {
        Set<Digest> all = new HashSet<>();
        if (!Files.isDirectory(dir)) {
            return all;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(f -> f.getFileName().toString().matches("lease-\\d+-[-0-9a-f]+")).toList()) {
                long pid = Long.parseLong(f.getFileName().toString().split("-")[1]);
                if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                    try {
                        for (Object d : Json.read(f, List.class)) {
                            all.add(Digest.parse(d.toString()));
                        }
                    } catch (JboxException released) {
                        // emptied and removed as we read it: it holds nothing any more
                    }
                } else {
                    Files.deleteIfExists(f);
                }
            }
        } catch (IOException e) {
            throw new JboxException("cannot read the leases in " + dir + ": " + e.getMessage());
        }
        return all;
    }
}
