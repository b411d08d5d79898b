package dev.jbox.bench.layers;

import dev.jbox.DataRoot;
import dev.jbox.bench.BenchRoot;
import dev.jbox.bench.Commands;
import dev.jbox.image.ImageStore;
import dev.jbox.image.Reference;
import dev.jbox.image.StoredImage;
import dev.jbox.layers.ContainerLayers;
import dev.jbox.layers.ImageImport;
import dev.jbox.layers.OverlayMount;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * What copy-up costs: an image of one layer holding one big file, on jbox's overlay (the image's
 * snapshot as the lower dir, an upper and a work dir of its own, {@link OverlayMount} as chapter
 * 4 mounts a container's root). The benchmark writes through the overlay's mount point on the
 * host rather than from a container: copy-up is overlayfs's work in the kernel, the same in any
 * mount namespace, and a timer in this JVM needs no process start around it. Each round gets a
 * fresh upper dir; what was written is synced, untimed, so its write-back does not land on the
 * next timed step.
 */
final class CopyUp {
    static final long FILE_BYTES = 100L << 20;

    private CopyUp() {
    }

    static LayersResults.CopyUp measure(DataRoot root, Path work, int rounds) throws IOException {
        Path source = Files.createDirectories(work.resolve("copyup-source"));
        Path big = source.resolve("big");
        randomFile(big, FILE_BYTES);
        Path tar = work.resolve("copyup.tar");
        Commands.output(List.of("tar", "-C", source.toString(), "--numeric-owner", "-cf", tar.toString(), "big"));
        StoredImage image;
        try (InputStream in = Files.newInputStream(tar)) {
            image = new ImageImport(root).importTar(in, tar.toString(), Reference.parse("jbox-bench-copyup"), "copy-up");
        }
        List<Path> lowers = ContainerLayers.lowers(root, new ImageStore(root), image);
        Path plain = Files.createDirectories(work.resolve("plain"));
        Files.copy(big, plain.resolve("big"));
        List<Double> copyUp = new ArrayList<>(), inUpper = new ArrayList<>(), plainWrite = new ArrayList<>(),
                plainCopy = new ArrayList<>();
        // Round 0 is untimed: the lower file is in the page cache for every round, as a hot image's is.
        for (int round = 0; round <= rounds; round++) {
            Path dir = Files.createDirectories(work.resolve("overlay-" + round));
            Path upper = Files.createDirectories(dir.resolve("upper")), workDir = Files.createDirectories(dir.resolve("work")),
                    merged = Files.createDirectories(dir.resolve("merged"));
            OverlayMount.mount(lowers, upper, workDir, merged);
            double up, again, write, copy;
            try {
                boolean plainFirst = round % 2 == 0;
                write = plainFirst ? writeOneByte(plain.resolve("big")) : 0;
                up = writeOneByte(merged.resolve("big"));
                again = writeOneByte(merged.resolve("big"));
                sync(merged.resolve("big"));
                write = plainFirst ? write : writeOneByte(plain.resolve("big"));
                copy = timedCopy(plain.resolve("big"), plain.resolve("copy"));
            } finally {
                OverlayMount.unmount(merged);
            }
            BenchRoot.delete(dir);
            Files.delete(plain.resolve("copy"));
            if (round > 0) {
                copyUp.add(up);
                inUpper.add(again);
                plainWrite.add(write);
                plainCopy.add(copy);
                System.err.printf(Locale.ROOT, "layers: copy-up round %d: first write %.2f ms, again %.3f ms, plain %.3f ms,"
                        + " copy %.1f ms%n", round, up, again, write, copy);
            }
        }
        String fs = Commands.firstLineOr("?", List.of("findmnt", "-n", "-o", "FSTYPE", "-T", work.toString())).strip();
        return new LayersResults.CopyUp(FILE_BYTES, fs, copyUp, inUpper, plainWrite, plainCopy);
    }

    /** Opens {@code file} for writing (no truncation), writes one byte at its start, closes it: ms. */
    static double writeOneByte(Path file) throws IOException {
        long start = System.nanoTime();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[] {'x'}), 0);
        }
        return (System.nanoTime() - start) / 1e6;
    }

    private static double timedCopy(Path from, Path to) throws IOException {
        long start = System.nanoTime();
        Files.copy(from, to);
        double ms = (System.nanoTime() - start) / 1e6;
        sync(to);
        return ms;
    }

    private static void sync(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
    }

    /** Random bytes: no file system or copy-up can skip them as holes or zeros. */
    private static void randomFile(Path file, long bytes) throws IOException {
        Random random = new Random(7);
        byte[] chunk = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long done = 0; done < bytes; done += chunk.length) {
                random.nextBytes(chunk);
                out.write(chunk);
            }
        }
    }
}
