package dev.jbox.layers;

import dev.jbox.FileTrees;
import dev.jbox.JboxException;
import dev.jbox.LockFile;
import dev.jbox.image.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Unpacked layers, one directory per layer chain, as containerd's snapshotters keep them:
 * {@code ROOT/sha256/<chain id>/fs} is a layer as overlayfs reads it, and
 * {@code ROOT/sha256/<chain id>/diff-id} says which layer it is.
 *
 * <p>A snapshot is keyed by its chain id, not by its layer's diff id: the same layer on top of a
 * different parent is a different file system (its whiteouts delete different things). A layer
 * is unpacked once, whoever asks first: under a lock per chain id, into {@code ROOT/.ingest},
 * and renamed into place whole, so a snapshot that exists is complete.
 */
public final class Snapshots {
    /** Opens a layer blob (compressed or not); called only when the layer must be unpacked. */
    @FunctionalInterface
    public interface Blob {
        InputStream open() throws IOException;
    }

    /** A layer of an image: its diff id (from the image config's rootfs.diff_ids) and its blob. */
    public record Layer(Digest diffId, Blob blob) {
    }

    private final Path root;
    private final LayerUnpacker unpacker;

    public Snapshots(Path root) {
        this(root, new LayerUnpacker());
    }

    Snapshots(Path root, LayerUnpacker unpacker) {
        this.root = root;
        this.unpacker = unpacker;
    }

    // tag::chain-id[]
    /**
     * The chain ids of a stack of layers, per the OCI image spec: ChainID(L0) = DiffID(L0),
     * ChainID(Ln) = sha256(ChainID(Ln-1) + " " + DiffID(Ln)). One per layer, base first.
     */
    public static List<Digest> chainIds(List<Digest> diffIds) {
        List<Digest> chain = new ArrayList<>();
        for (Digest diffId : diffIds) {
            chain.add(chain.isEmpty() ? diffId
                    : Digest.sha256((chain.get(chain.size() - 1) + " " + diffId).getBytes(StandardCharsets.UTF_8)));
        }
        return chain;
    }
    // end::chain-id[]

    /**
     * Makes sure every layer is unpacked and returns their directories in image order, the base
     * layer first: the lower directories of an overlay mount. Safe to call from several threads
     * and processes at once; each layer is unpacked only if no snapshot of its chain exists.
     */
    public List<Path> prepare(List<Layer> layers) {
        List<Digest> chain = chainIds(layers.stream().map(Layer::diffId).toList());
        List<Path> lowers = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            Path dir = directory(chain.get(i));
            if (!Files.isDirectory(dir)) {
                try (LockFile lock = LockFile.acquire(root.resolve(".locks").resolve(chain.get(i).hex()))) {
                    if (!Files.isDirectory(dir)) {
                        unpack(layers.get(i), i, layers.size(), dir, lowers);
                    }
                }
            }
            lowers.add(dir.resolve("fs"));
        }
        return lowers;
    }

    private void unpack(Layer layer, int index, int count, Path dir, List<Path> below) {
        String name = "layer " + (index + 1) + "/" + count + " (" + layer.diffId() + ")";
        Path staging;
        try {
            Files.createDirectories(root.resolve(".ingest"));
            Files.createDirectories(dir.getParent());
            staging = Files.createTempDirectory(root.resolve(".ingest"), dir.getFileName().toString().substring(0, 12) + "-");
        } catch (IOException e) {
            throw new JboxException("cannot prepare " + name + " in " + root + ": " + e);
        }
        try {
            LayerUnpacker.Unpacked unpacked;
            try (InputStream blob = layer.blob().open()) {
                unpacked = unpacker.unpack(blob, staging.resolve("fs"), name, below);
            }
            if (!unpacked.diffId().equals(layer.diffId())) {
                throw new JboxException("refused " + name + ": its content has diff id " + unpacked.diffId()
                        + "; the blob is corrupt or is not this layer");
            }
            Files.writeString(staging.resolve("diff-id"), layer.diffId() + "\n");
            Files.move(staging, dir, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new JboxException("cannot prepare " + name + ": " + e.getMessage());
        } finally {
            FileTrees.delete(staging); // gone already after the rename
        }
    }

    /** The unpacked directory of the snapshot of {@code chainId} (overlay's lower dir), whether or not it exists. */
    public Path path(Digest chainId) {
        return directory(chainId).resolve("fs");
    }

    public boolean exists(Digest chainId) {
        return Files.isDirectory(directory(chainId));
    }

    /** The chain ids of all snapshots, sorted. */
    public List<Digest> list() {
        Path dir = root.resolve("sha256");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> new Digest("sha256", p.getFileName().toString())).sorted(
                    (a, b) -> a.hex().compareTo(b.hex())).toList();
        } catch (IOException e) {
            throw new JboxException("cannot list snapshots in " + root + ": " + e.getMessage());
        }
    }

    /**
     * Removes a snapshot. The caller makes sure no image or container still needs it. It is first
     * renamed out of the way, so a concurrent {@link #prepare} unpacks it anew rather than using
     * half a deleted tree.
     */
    public void remove(Digest chainId) {
        Path dir = directory(chainId);
        try (LockFile lock = LockFile.acquire(root.resolve(".locks").resolve(chainId.hex()))) {
            if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
                return;
            }
            Files.createDirectories(root.resolve(".ingest"));
            Path doomed = root.resolve(".ingest").resolve("removing-" + chainId.hex());
            Files.move(dir, doomed, StandardCopyOption.ATOMIC_MOVE);
            FileTrees.delete(doomed);
        } catch (IOException e) {
            throw new JboxException("cannot remove snapshot " + chainId + ": " + e.getMessage());
        }
    }

    private Path directory(Digest chainId) {
        return root.resolve(chainId.algorithm()).resolve(chainId.hex());
    }
}
