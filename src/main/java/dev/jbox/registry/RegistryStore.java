package dev.jbox.registry;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

/**
 * The registry's storage, the one thing the API handlers and the garbage collector talk to: a
 * content store of blobs shared by all repositories, and per-repository links into it (a blob
 * pushed twice to two repositories is stored once). A plain directory tree, so a student can
 * read the registry's state with ls and cat.
 */
public final class RegistryStore {
    private final Path root;
    private final BlobStore blobs;

    public RegistryStore(Path root) {
        this.root = root.toAbsolutePath();
        this.blobs = new BlobStore(this.root);
    }

    public Path root() {
        return root;
    }

    BlobStore blobs() {
        return blobs;
    }

    Repository repository(RepositoryName name) {
        return new Repository(root.resolve("repositories"), name);
    }

    /** Every repository with content, found by its {@code _manifests} or {@code _layers} directory. */
    List<Repository> repositories() throws IOException {
        Path top = root.resolve("repositories");
        List<Repository> all = new ArrayList<>();
        if (!Files.isDirectory(top)) {
            return all;
        }
        Files.walkFileTree(top, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
                String last = d.getFileName().toString();
                if (last.startsWith("_")) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                if (!d.equals(top) && (Files.isDirectory(d.resolve("_manifests")) || Files.isDirectory(d.resolve("_layers")))) {
                    all.add(repository(new RepositoryName(top.relativize(d).toString())));
                }
                return FileVisitResult.CONTINUE;
            }
        });
        return all;
    }
}
