package dev.jbox.bench;

import dev.jbox.kernel.Kernel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** What every benchmark needs first: root, and a jbox store of its own that it removes afterwards. */
public final class BenchRoot {
    private BenchRoot() {
    }

    public static void require() {
        if (Kernel.geteuid() != 0) {
            throw new IllegalStateException("the benchmarks start containers and need root; run: sudo benchmarks/run");
        }
    }

    /**
     * A fresh store root, so the benchmarks never touch /var/lib/jbox. Removed at JVM exit too:
     * JMH skips a trial's tear-down when the benchmark failed.
     */
    public static Path temporaryStore() throws IOException {
        Path root = Files.createTempDirectory("jbox-bench-store-");
        java.lang.Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(root), "jbox-bench-cleanup"));
        return root;
    }

    /** Removes a tree without following symbolic links (an image is full of links to /bin/busybox). */
    public static synchronized void delete(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + root + "; remove it by hand", e);
        }
    }
}
