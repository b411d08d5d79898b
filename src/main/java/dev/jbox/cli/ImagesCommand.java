package dev.jbox.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jbox.cli.format.HumanDuration;
import dev.jbox.cli.format.HumanSize;
import dev.jbox.cli.format.ListFormat;
import dev.jbox.image.ImageStore;
import dev.jbox.image.StoredImage;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "images", description = "List the images in the store, one line per tag, as docker images does.")
final class ImagesCommand implements Callable<Integer> {
    static final String DEFAULT_FORMAT = "table {{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}";
    private static final Map<String, String> HEADERS = Map.of("Repository", "REPOSITORY", "Tag", "TAG",
            "ID", "IMAGE ID", "CreatedSince", "CREATED", "CreatedAt", "CREATED AT", "Size", "SIZE", "Digest", "DIGEST");
    private static final ObjectMapper JSON = new ObjectMapper();

    @picocli.CommandLine.Mixin
    HelpOption helpOption;

    @ParentCommand
    Main main;

    @Parameters(arity = "0..1", paramLabel = "REPOSITORY[:TAG]", description = "Only images of this repository (and tag).")
    String filter;

    @Option(names = {"-q", "--quiet"}, description = "Only print image ids.")
    boolean quiet;

    @Option(names = {"-a", "--all"}, description = "Accepted for Docker's sake: jbox has no intermediate images.")
    boolean all;

    @Option(names = "--no-trunc", description = "Show full image ids.")
    boolean noTrunc;

    @Option(names = "--digests", description = "Show the manifest digests.")
    boolean digests;

    @Option(names = "--format", paramLabel = "TEMPLATE", description = "A Go template, 'table TEMPLATE' or 'json';"
            + " fields: .Repository .Tag .ID .Digest .CreatedSince .CreatedAt .Size")
    String format;

    @Override
    public Integer call() {
        Main.requireRoot();
        String f = quiet ? "{{.ID}}" : format != null ? format
                : digests ? DEFAULT_FORMAT.replace("{{.Tag}}\t", "{{.Tag}}\t{{.Digest}}\t") : DEFAULT_FORMAT;
        ListFormat list = ListFormat.parse(f, DEFAULT_FORMAT);
        ImageStore images = new ImageStore(main.store());
        images.resolve(ImageStore.DEFAULT_IMAGE); // the built-in image always exists
        dev.jbox.image.Reference only = filter == null ? null : dev.jbox.image.Reference.parse(filter);
        List<StoredImage> shown = new ArrayList<>(images.list());
        shown.removeIf(i -> only != null && (i.reference() == null || !i.reference().name().equals(only.name())
                || (only.tag() != null && !only.tag().equals(i.reference().tag()))));
        shown.sort(Comparator.comparing(ImagesCommand::created).reversed()
                .thenComparing(i -> i.reference() == null ? "~" : i.reference().familiar()));
        List<String> seenIds = new ArrayList<>();
        List<com.fasterxml.jackson.databind.JsonNode> rows = new ArrayList<>();
        for (StoredImage i : shown) {
            if (quiet && seenIds.contains(i.id().hex())) {
                continue; // -q lists each image once, as Docker does
            }
            seenIds.add(i.id().hex());
            rows.add(JSON.valueToTree(row(i, !noTrunc)));
        }
        System.out.print(list.render(rows, JSON.valueToTree(HEADERS)));
        return 0;
    }

    static Instant created(StoredImage i) {
        try {
            return i.config().created() == null ? Instant.EPOCH : Instant.parse(i.config().created());
        } catch (java.time.format.DateTimeParseException e) {
            return Instant.EPOCH;
        }
    }

    private static Map<String, Object> row(StoredImage i, boolean trunc) {
        Map<String, Object> row = new TreeMap<>();
        row.put("Repository", i.reference() == null ? "<none>" : i.reference().familiarName());
        row.put("Tag", i.reference() == null || i.reference().tag() == null ? "<none>" : i.reference().tag());
        row.put("ID", trunc ? i.id().shortHex() : i.id().toString());
        row.put("Digest", i.manifestDigest().toString());
        row.put("CreatedSince", since(created(i)));
        row.put("CreatedAt", DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss Z z")
                .format(created(i).atZone(ZoneId.systemDefault())));
        row.put("Size", HumanSize.of(i.size(), 3));
        return row;
    }

    static String since(Instant created) {
        return HumanDuration.of(Duration.between(created, Instant.now())) + " ago";
    }
}
