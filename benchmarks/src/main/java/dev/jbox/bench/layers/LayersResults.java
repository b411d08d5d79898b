package dev.jbox.bench.layers;

import java.util.List;

/**
 * What benchmarks/results/layers.json holds: chapter 4's measurements from one run.
 *
 * @param loadAtStart /proc/loadavg when this piece started
 * @param start       a start from an image: chapter 3 (a plain directory) against chapter 4 (an overlay)
 * @param copyUp      the first write to a big file of the image against the same write elsewhere
 * @param extraction  one layer unpacked by jbox, GNU tar and umoci
 * @param build       {@code jbox build} of one Dockerfile with a cold and a warm cache
 * @param disk        N containers of one image against N VM disks of the same root file system
 */
public record LayersResults(String loadAtStart, Start start, CopyUp copyUp, Extraction extraction, Build build, Disk disk) {
    /**
     * Chapter 3 against chapter 4 from one warm engine, alternating start by start.
     *
     * @param chapter3 each start on the image's plain directory, ms (create, start, wait, remove)
     * @param chapter4 each start on an overlay of the image's snapshots and an upper dir of its own, ms
     */
    public record Start(int warmup, List<Double> chapter3, List<Double> chapter4) {
    }

    /**
     * One byte written at the start of a file of {@code fileBytes}: open for writing, write, close, ms.
     *
     * @param fileSystem   what the upper and plain directories are on (copy-up speed depends on it)
     * @param copyUp       the first write to the image's file through the overlay: overlayfs copies it up first
     * @param inUpper      the same write again: the file is in the upper dir now
     * @param plainWrite   the same write to the same file in a plain directory
     * @param plainCopy    a copy of the whole file in a plain directory (Files.copy): what copy-up resembles
     */
    public record CopyUp(long fileBytes, String fileSystem, List<Double> copyUp, List<Double> inUpper, List<Double> plainWrite,
                         List<Double> plainCopy) {
    }

    /**
     * @param layer     what the layer holds
     * @param tarBytes  the uncompressed layer's size
     * @param entries   its tar entries
     * @param tools     each extractor, in the order of the report
     */
    public record Extraction(String layer, long tarBytes, int entries, List<Tool> tools) {
    }

    /**
     * @param name    short name
     * @param label   what it does
     * @param seconds each round's wall time; empty if it could not run
     * @param note    why it did not run, or null
     */
    public record Tool(String name, String label, List<Double> seconds, String note) {
    }

    /**
     * @param how        in-process Builder or the CLI
     * @param dockerfile the Dockerfile built
     * @param cold       each build with {@code --no-cache}, ms
     * @param warm       each build with every step in the cache, ms
     */
    public record Build(String how, String dockerfile, List<Double> cold, List<Double> warm) {
    }

    /**
     * @param rootfs      the root file system every container and VM disk holds
     * @param rootfsBytes its size as du counts it
     * @param count       how many containers, and VM disks
     * @param rows        each way of storing them, bytes on disk
     * @param systemDf    what {@code jbox system df} printed for the containers' store
     */
    public record Disk(String rootfs, long rootfsBytes, int count, List<DiskRow> rows, List<String> systemDf) {
    }

    /**
     * @param name  short name
     * @param label what is counted
     * @param bytes allocated on disk (du), hard links counted once
     * @param vm    a VM disk (qcow2), not jbox
     */
    public record DiskRow(String name, String label, long bytes, boolean vm) {
    }
}
