package dev.jbox.bench.layers;

import dev.jbox.DataRoot;
import dev.jbox.bench.BenchCli;
import dev.jbox.bench.BenchException;
import dev.jbox.bench.BenchImage;
import dev.jbox.bench.BenchRoot;
import dev.jbox.bench.Json;
import dev.jbox.bench.Stats;
import dev.jbox.bench.cgroups.EngineRuns;
import dev.jbox.bench.cgroups.StartPairs;
import dev.jbox.engine.RunRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Chapter 4's measurements, in one JVM and one temporary store: a start on an overlay against a
 * plain directory, copy-up, layer extraction against GNU tar and umoci, a build with a cold and a
 * warm cache, and the disk N containers of one image take against N VM disks.
 */
@Command(name = "benchmarks/run layers", mixinStandardHelpOptions = true,
        description = "Chapter 4: start on an overlay vs a plain directory (warm, paired), copy-up of a 100 MiB file,"
                + " layer extraction (jbox, GNU tar, umoci), build with a cold and a warm cache, disk of N containers vs N"
                + " qcow2 disks.")
public final class LayersBench implements Callable<Integer> {

    @Option(names = "--out", paramLabel = "FILE", required = true, description = "Where to write the results (JSON).")
    Path out;

    @Option(names = "--pairs", defaultValue = "150", description = "Timed chapter-3/chapter-4 start pairs (default: ${DEFAULT-VALUE}).")
    int pairs;

    @Option(names = "--warmup", defaultValue = "30", description = "Untimed pairs first (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--copyup-rounds", defaultValue = "10", description = "Copy-up rounds (default: ${DEFAULT-VALUE}).")
    int copyUpRounds;

    @Option(names = "--unpack-rounds", defaultValue = "3", description = "Extraction rounds, each tool once (default: ${DEFAULT-VALUE}).")
    int unpackRounds;

    @Option(names = "--build-rounds", defaultValue = "5", description = "Build rounds, one cold and one warm each (default: ${DEFAULT-VALUE}).")
    int buildRounds;

    @Option(names = "--containers", defaultValue = "10", description = "Containers and VM disks for the disk figures (default: ${DEFAULT-VALUE}).")
    int containers;

    @Option(names = "--rootfs", paramLabel = "DIR", description = "The root file system of the layer (default: the tests'"
            + " debootstrap cache, ${DEFAULT-VALUE}; a synthetic tree if it is missing).",
            defaultValue = "/var/cache/jbox-test/debian-12-minbase")
    Path rootfs;

    public static void main(String[] args) {
        BenchCli.exit("layers", new LayersBench(), args);
    }

    @Override
    public Integer call() throws IOException {
        if (pairs < 1 || copyUpRounds < 1 || unpackRounds < 1 || buildRounds < 1 || containers < 1) {
            throw new BenchException("--pairs, --copyup-rounds, --unpack-rounds, --build-rounds and --containers must be at least 1");
        }
        String load = Files.readString(Path.of("/proc/loadavg")).strip();
        try (BenchImage image = BenchImage.forContainers(); EngineRuns engine = new EngineRuns(image)) {
            DataRoot root = engine.engine().root();
            Path work = Files.createDirectories(image.storeRoot().resolve("bench-layers"));
            LayersResults.Start start = start(engine);
            LayersResults.CopyUp copyUp = CopyUp.measure(root, work, copyUpRounds);
            LayersResults.Build build = BuildTimes.measure(root, work, buildRounds);
            LayerTar layer = LayerTar.make(work, rootfs);
            LayersResults.Extraction extraction = Extraction.measure(layer, work, unpackRounds);
            LayersResults.Disk disk;
            // A store of its own, so that jbox system df counts this image's containers beside busybox only.
            try (BenchImage diskStore = BenchImage.create(); EngineRuns diskEngine = new EngineRuns(diskStore)) {
                disk = DiskUse.measure(diskEngine, layer, work, containers);
            }
            BenchRoot.delete(work);
            Json.write(out, new LayersResults(load, start, copyUp, extraction, build, disk));
        }
        return 0;
    }

    /** Chapter 3 (the image's plain directory) against chapter 4 (an overlay of its snapshots and an upper dir). */
    private LayersResults.Start start(EngineRuns engine) {
        RunRequest three = engine.request(3, List.of("/bin/true"), b -> b), four = engine.request(4, List.of("/bin/true"), b -> b);
        StartPairs.Series s = StartPairs.alternate(engine, three, four, warmup, pairs, (a, b) -> { });
        System.err.printf(Locale.ROOT, "layers: start, %d pairs: chapter 3 median %.2f ms, chapter 4 %.2f ms%n", pairs,
                Stats.of(s.first()).median(), Stats.of(s.second()).median());
        return new LayersResults.Start(warmup, s.first(), s.second());
    }
}
