package dev.jbox.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jbox.cli.format.HumanSize;
import dev.jbox.cli.format.ListFormat;
import dev.jbox.image.ConfigFile;
import dev.jbox.image.ImageStore;
import dev.jbox.image.StoredImage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "history", description = "Show how an image was made, newest step first.")
final class HistoryCommand implements Callable<Integer> {
    static final String DEFAULT_FORMAT = "table {{.ID}}\t{{.CreatedSince}}\t{{.CreatedBy}}\t{{.Size}}\t{{.Comment}}";
    private static final Map<String, String> HEADERS = Map.of("ID", "IMAGE", "CreatedSince", "CREATED",
            "CreatedAt", "CREATED AT", "CreatedBy", "CREATED BY", "Size", "SIZE", "Comment", "COMMENT");
    private static final ObjectMapper JSON = new ObjectMapper();

    @picocli.CommandLine.Mixin
    HelpOption helpOption;

    @ParentCommand
    Main main;

    @Option(names = "--no-trunc", description = "Don't truncate ids and commands.")
    boolean noTrunc;

    @Option(names = {"-q", "--quiet"}, description = "Only print image ids.")
    boolean quiet;

    @Option(names = "--format", paramLabel = "TEMPLATE", description = "Fields: .ID .CreatedSince .CreatedAt .CreatedBy .Size .Comment")
    String format;

    @Parameters(paramLabel = "IMAGE")
    String ref;

    @Override
    public Integer call() {
        Main.requireRoot();
        ListFormat list = ListFormat.parse(quiet ? "{{.ID}}" : format == null ? DEFAULT_FORMAT : format, DEFAULT_FORMAT);
        StoredImage image = new ImageStore(main.store()).resolve(ref);
        List<ConfigFile.History> steps = image.config().history();
        List<JsonNode> rows = new ArrayList<>();
        int layer = 0;
        List<Map<String, Object>> oldestFirst = new ArrayList<>();
        for (ConfigFile.History h : steps) {
            long size = h.emptyLayer() || layer >= image.layers().size() ? 0 : image.layers().get(layer++).size();
            Map<String, Object> row = new TreeMap<>();
            row.put("ID", "<missing>");
            Instant created = h.created() == null ? Instant.EPOCH : Instant.parse(h.created());
            row.put("CreatedSince", ImagesCommand.since(created));
            row.put("CreatedAt", created.toString());
            String by = h.createdBy() == null ? "" : h.createdBy();
            row.put("CreatedBy", !noTrunc && by.length() > 45 ? by.substring(0, 44) + "…" : by);
            row.put("Size", HumanSize.of(size, 3));
            row.put("Comment", h.comment() == null ? "" : h.comment());
            oldestFirst.add(row);
        }
        if (!oldestFirst.isEmpty()) {
            // Only the newest step is the image itself; Docker shows "<missing>" for the steps before it.
            oldestFirst.get(oldestFirst.size() - 1).put("ID", noTrunc ? image.id().toString() : image.id().shortHex());
        }
        for (int i = oldestFirst.size() - 1; i >= 0; i--) {
            if (!quiet || !oldestFirst.get(i).get("ID").equals("<missing>")) {
                rows.add(JSON.valueToTree(oldestFirst.get(i)));
            }
        }
        System.out.print(list.render(rows, JSON.valueToTree(HEADERS)));
        return 0;
    }
}
