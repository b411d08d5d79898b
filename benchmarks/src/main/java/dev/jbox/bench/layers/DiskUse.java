package dev.jbox.bench.layers;

import dev.jbox.DataRoot;
import dev.jbox.bench.Commands;
import dev.jbox.bench.JboxCommand;
import dev.jbox.bench.cgroups.EngineRuns;
import dev.jbox.image.ImageStore;
import dev.jbox.image.Reference;
import dev.jbox.image.StoredImage;
import dev.jbox.layers.ContainerLayers;
import dev.jbox.layers.ImageImport;
import dev.jbox.lifecycle.ContainerStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What N containers of one image take on disk, against N VM disks of the same root file system.
 * The image is the layer tar imported ({@code jbox import}); each container ran {@code /bin/true}
 * through chapter 4's engine and stays (stopped, as after {@code jbox run} without --rm). The VM
 * disks are an ext4 image of the same tree ({@code mkfs.ext4 -d}) converted to qcow2, then N full
 * copies of it, or N qcow2 overlays with it as their backing file ({@code qemu-img create -b}).
 * No VM boots: both sides are as made, before they have written anything of their own.
 */
final class DiskUse {
    private DiskUse() {
    }

    static LayersResults.Disk measure(EngineRuns engine, LayerTar layer, Path work, int count) throws IOException {
        DataRoot root = engine.engine().root();
        StoredImage image;
        try (InputStream in = Files.newInputStream(layer.tar())) {
            image = new ImageImport(root).importTar(in, layer.tar().toString(), Reference.parse("jbox-bench-rootfs"), "disk");
        }
        List<Path> snapshots = ContainerLayers.lowers(root, new ImageStore(root), image);
        List<Path> containers = new ArrayList<>();
        ContainerStore store = new ContainerStore(root);
        for (int i = 0; i < count; i++) {
            String name = "jbox-bench-disk-" + i;
            engine.run(engine.request(4, List.of("/bin/true"), b -> b.image("jbox-bench-rootfs").autoRemove(false).name(name)));
            containers.add(store.dirOf(engine.engine().find(name)));
        }
        List<LayersResults.DiskRow> rows = new ArrayList<>();
        long snapshotBytes = du(snapshots), containerBytes = du(containers);
        rows.add(new LayersResults.DiskRow("jbox-image", "the image's snapshot, unpacked once (what every container's lower"
                + " dir is)", snapshotBytes, false));
        rows.add(new LayersResults.DiskRow("jbox-containers", count + " containers' own directories: upper and work dirs,"
                + " record, log", containerBytes, false));
        rows.add(new LayersResults.DiskRow("jbox-total", "both: " + count + " containers of the image", snapshotBytes
                + containerBytes, false));
        List<String> df = JboxCommand.available() ? new JboxCommand(root.root()).output(List.of("system", "df")).lines().toList()
                : List.of("(not run: ./jbox is not in the working directory)");
        if (Commands.onPath("qemu-img")) {
            vmDisks(snapshots.get(snapshots.size() - 1), work.resolve("vm-disks"), count, rows);
        } else {
            System.err.println("layers: qemu-img is missing (vm/provision.sh --bench installs qemu-utils); no VM disks");
        }
        return new LayersResults.Disk(layer.label(), du(snapshots), count, rows, df);
    }

    private static void vmDisks(Path tree, Path dir, int count, List<LayersResults.DiskRow> rows) throws IOException {
        Files.createDirectories(dir);
        long treeBytes = du(List.of(tree));
        // The file system's size: twice the tree and at least 1 GiB, as one would give a VM; qcow2 stores only what is written.
        long size = Math.max(1L << 30, 2 * treeBytes) >> 20 << 20;
        Path raw = dir.resolve("root.raw"), base = dir.resolve("base.qcow2");
        Commands.output(List.of("mkfs.ext4", "-q", "-F", "-d", tree.toString(), raw.toString(), (size >> 20) + "M"));
        Commands.output(List.of("qemu-img", "convert", "-f", "raw", "-O", "qcow2", raw.toString(), base.toString()));
        Files.delete(raw);
        List<Path> copies = new ArrayList<>(), overlays = new ArrayList<>(List.of(base));
        for (int i = 0; i < count; i++) {
            Path copy = dir.resolve("copy-" + i + ".qcow2");
            Files.copy(base, copy);
            copies.add(copy);
            Path overlay = dir.resolve("overlay-" + i + ".qcow2");
            Commands.output(List.of("qemu-img", "create", "-q", "-f", "qcow2", "-b", base.toString(), "-F", "qcow2",
                    overlay.toString()));
            overlays.add(overlay);
        }
        String fs = "an ext4 image of the same tree (mkfs.ext4 -d, " + (size >> 20) + " MiB virtual), as qcow2";
        rows.add(new LayersResults.DiskRow("qcow2-one", "one VM disk: " + fs, du(List.of(base)), true));
        rows.add(new LayersResults.DiskRow("qcow2-copies", count + " VM disks, each a full copy of it", du(copies), true));
        rows.add(new LayersResults.DiskRow("qcow2-overlays", count + " VM disks as qcow2 overlays on it as their backing file"
                + " (qemu-img create -b), and the base", du(overlays), true));
        for (Path p : copies) {
            Files.delete(p);
        }
        for (Path p : overlays) {
            Files.delete(p);
        }
    }

    /** Bytes allocated on disk for all of {@code paths} together, as {@code du} counts them (a hard link once). */
    static long du(List<Path> paths) {
        List<String> command = new ArrayList<>(List.of("du", "-s", "-c", "-B1"));
        paths.forEach(p -> command.add(p.toString()));
        return parseDuTotal(Commands.output(command));
    }

    /** The last line of {@code du -c}: "BYTES\ttotal". */
    static long parseDuTotal(String output) {
        List<String> lines = output.strip().lines().toList();
        String last = lines.isEmpty() ? "" : lines.get(lines.size() - 1);
        if (!last.endsWith("total")) {
            throw new IllegalArgumentException("du printed no total: " + output);
        }
        return Long.parseLong(last.split("\\s+")[0]);
    }
}
