package dev.jbox.cli;

import dev.jbox.Json;
import dev.jbox.image.ImageStore;
import dev.jbox.image.Reference;
import dev.jbox.image.StoredImage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "inspect", description = "Show images as JSON, in the shape docker image inspect prints.")
final class ImageInspectCommand implements Callable<Integer> {
    @ParentCommand
    ImageCommand parent;

    @Parameters(arity = "1..*", paramLabel = "IMAGE")
    List<String> refs;

    @Override
    public Integer call() {
        Main.requireRoot();
        ImageStore images = new ImageStore(parent.main.store());
        List<StoredImage> all = images.list();
        List<Map<String, Object>> out = new ArrayList<>();
        for (String ref : refs) {
            out.add(inspect(images.resolve(ref), all));
        }
        System.out.println(Json.text(out));
        return 0;
    }

    /** Docker's fields, with its names; RepoTags and RepoDigests from every tag of the image. */
    static Map<String, Object> inspect(StoredImage image, List<StoredImage> all) {
        Set<String> tags = new LinkedHashSet<>();
        Set<String> digests = new LinkedHashSet<>();
        for (StoredImage other : all) {
            Reference r = other.reference();
            if (r != null && other.manifestDigest().equals(image.manifestDigest())) {
                tags.add(r.familiar());
                digests.add(r.familiarName() + "@" + image.manifestDigest());
            }
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Id", image.id().toString());
        m.put("RepoTags", List.copyOf(tags));
        m.put("RepoDigests", List.copyOf(digests));
        m.put("Parent", "");
        m.put("Comment", "");
        m.put("Created", image.config().created());
        m.put("Author", image.config().author() == null ? "" : image.config().author());
        m.put("Config", image.config().config());
        m.put("Architecture", image.config().architecture());
        m.put("Os", image.config().os());
        m.put("Size", image.size());
        m.put("RootFS", Map.of("Type", "layers", "Layers", image.diffIds().stream().map(Object::toString).toList()));
        m.put("Descriptor", Map.of("mediaType", image.manifest().mediaType(), "digest", image.manifestDigest().toString()));
        return m;
    }
}
