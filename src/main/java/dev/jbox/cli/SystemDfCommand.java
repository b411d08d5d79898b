package dev.jbox.cli;

import dev.jbox.volumes.VolumeStore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jbox.cli.format.HumanSize;
import dev.jbox.cli.format.ListFormat;
import dev.jbox.engine.Engine;
import dev.jbox.image.Digest;
import dev.jbox.image.ImageStore;
import dev.jbox.image.StoredImage;
import dev.jbox.layers.ContainerLayers;
import dev.jbox.lifecycle.ContainerRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "df", description = "Show the disk space images, containers and volumes use; a layer shared by"
        + " images is counted once.")
final class SystemDfCommand implements Callable<Integer> {
    static final String DEFAULT_FORMAT = "table {{.Type}}\t{{.TotalCount}}\t{{.Active}}\t{{.Size}}\t{{.Reclaimable}}";
    private static final Map<String, String> HEADERS = Map.of("Type", "TYPE", "TotalCount", "TOTAL",
            "Active", "ACTIVE", "Size", "SIZE", "Reclaimable", "RECLAIMABLE");
    private static final ObjectMapper JSON = new ObjectMapper();

    @ParentCommand
    SystemCommand parent;

    @Option(names = "--format", paramLabel = "TEMPLATE", description = "Fields: .Type .TotalCount .Active .Size .Reclaimable")
    String format;

    @Override
    public Integer call() {
        Main.requireRoot();
        ListFormat list = ListFormat.parse(format == null ? DEFAULT_FORMAT : format, DEFAULT_FORMAT);
        Engine engine = parent.main.engine();
        ImageStore images = new ImageStore(parent.main.store());
        List<ContainerRecord> containers = engine.list();
        Map<Digest, String> users = ImageUsers.of(containers, images);

        Map<Digest, StoredImage> byId = new LinkedHashMap<>();
        images.list().forEach(i -> byId.putIfAbsent(i.id(), i));
        List<StoredImage> active = byId.values().stream().filter(i -> users.containsKey(i.id())).toList();
        long imageSize = images.uniqueSize(List.copyOf(byId.values()));
        long reclaimableImages = imageSize - images.uniqueSize(active);

        long containerSize = 0;
        long stoppedSize = 0;
        int running = 0;
        for (ContainerRecord c : containers) {
            // A container on layers: its writable layer; on a plain directory (chapters 2-3): its own directory.
            Path dir = engine.root().containers().resolve(c.id());
            ContainerLayers layers = ContainerLayers.in(dir);
            long size = layers.holds(c) ? layers.size() : size(dir);
            containerSize += size;
            if (engine.state(c).running()) {
                running++;
            } else {
                stoppedSize += size;
            }
        }
        List<JsonNode> rows = new ArrayList<>();
        rows.add(row("Images", byId.size(), active.size(), imageSize, reclaimableImages));
        rows.add(row("Containers", containers.size(), running, containerSize, stoppedSize));
        rows.add(volumesRow(new VolumeStore(parent.main.store()), containers));
        rows.add(row("Build Cache", 0, 0, 0, 0));
        System.out.print(list.render(rows, JSON.valueToTree(HEADERS)));
        return 0;
    }

    /** Volumes: in use when any container (ended ones too) mounts them; the others' bytes are reclaimable. */
    private static JsonNode volumesRow(VolumeStore volumes, List<ContainerRecord> containers) {
        int total = 0, active = 0;
        long size = 0, unused = 0;
        for (VolumeStore.Volume v : volumes.list()) {
            long bytes = VolumeStore.size(v);
            boolean used = !volumes.users(v, containers).isEmpty();
            total++;
            active += used ? 1 : 0;
            size += bytes;
            unused += used ? 0 : bytes;
        }
        return row("Local Volumes", total, active, size, unused);
    }

    private static JsonNode row(String type, int total, int active, long size, long reclaimable) {
        Map<String, Object> row = new TreeMap<>();
        row.put("Type", type);
        row.put("TotalCount", Integer.toString(total));
        row.put("Active", Integer.toString(active));
        row.put("Size", HumanSize.of(size, 4));
        String r = HumanSize.of(reclaimable, 4);
        if (size > 0) {
            r += " (" + Math.round(100.0 * reclaimable / size) + "%)";
        }
        row.put("Reclaimable", r);
        return JSON.valueToTree(row);
    }

    private static long size(Path dir) {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        } catch (IOException | java.io.UncheckedIOException e) {
            return 0; // a container removed as we looked
        }
    }
}
