package dev.jbox.image.archive;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * One image of a Docker archive's {@code manifest.json}, what {@code docker save} writes and
 * {@code docker load} reads: the path of the config in the archive, the names to tag, and the
 * paths of the layer tars, bottom first.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
record DockerManifestEntry(@JsonProperty("Config") String config, @JsonProperty("RepoTags") List<String> repoTags,
        @JsonProperty("Layers") List<String> layers) {
    static final String FILE = "manifest.json";

    DockerManifestEntry {
        repoTags = repoTags == null ? List.of() : List.copyOf(repoTags);
        layers = layers == null ? List.of() : List.copyOf(layers);
    }
}
