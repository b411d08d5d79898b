package dev.jbox.bench.layers;

import dev.jbox.bench.Commands;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

/**
 * The layer the extraction and disk benchmarks use: a tar of a real root file system (the
 * debootstrap root the tests cache, about 170 MB in 6,700 entries) or, without it, a synthetic
 * tree of the same order. /dev is left out: a layer may hold no device nodes (jbox refuses them,
 * and Docker's images carry none).
 *
 * @param tar   the layer, uncompressed
 * @param label what it holds, for the report
 */
record LayerTar(Path tar, String label) {
    static final Path DEBIAN_ROOT = Path.of("/var/cache/jbox-test/debian-12-minbase");

    static LayerTar make(Path dir, Path rootfs) throws IOException {
        Path tar = dir.resolve("layer.tar");
        String label;
        Path source = rootfs;
        if (Files.isDirectory(rootfs)) {
            label = "a Debian 12 root file system made by debootstrap --variant=minbase (" + rootfs + "), without /dev";
        } else {
            source = synthetic(dir.resolve("synthetic"));
            label = "a synthetic tree (" + rootfs + " is missing): 60 directories of 64 files of 1-64 KiB, random bytes";
        }
        Commands.output(List.of("tar", "-C", source.toString(), "--numeric-owner", "--exclude=./dev/*", "-cf", tar.toString(),
                "."));
        return new LayerTar(tar, label);
    }

    /** About 125 MB in 3,900 entries, the same every time (seeded). */
    private static Path synthetic(Path root) throws IOException {
        Random random = new Random(42);
        for (int d = 0; d < 60; d++) {
            Path dir = Files.createDirectories(root.resolve("d" + d / 10).resolve("e" + d));
            for (int f = 0; f < 64; f++) {
                byte[] data = new byte[1024 * (1 + random.nextInt(64))];
                random.nextBytes(data);
                try (OutputStream out = Files.newOutputStream(dir.resolve("f" + f))) {
                    out.write(data);
                }
            }
        }
        return root;
    }

    long size() throws IOException {
        return Files.size(tar);
    }
}
