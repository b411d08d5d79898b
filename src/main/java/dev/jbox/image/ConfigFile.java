package dev.jbox.image;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * The image configuration blob of the OCI image spec (Docker's "image JSON"): the platform, how
 * to run the image, the diff ids of its layers (the digests of the uncompressed tars, bottom
 * first) and how each layer was made. Its digest is the image id {@code docker images} shows.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ConfigFile(String created, String author, String architecture, String os, Config config,
        RootFs rootfs, List<History> history) {

    /** What to run: the fields Docker honours, with the names the spec gives them. */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Config(@JsonProperty("User") String user, @JsonProperty("ExposedPorts") Map<String, Object> exposedPorts,
            @JsonProperty("Env") List<String> env, @JsonProperty("Entrypoint") List<String> entrypoint,
            @JsonProperty("Cmd") List<String> cmd, @JsonProperty("Volumes") Map<String, Object> volumes,
            @JsonProperty("WorkingDir") String workingDir, @JsonProperty("Labels") Map<String, String> labels,
            @JsonProperty("StopSignal") String stopSignal) {
    }

    public record RootFs(String type, @JsonProperty("diff_ids") List<Digest> diffIds) {
        public RootFs {
            diffIds = diffIds == null ? List.of() : List.copyOf(diffIds);
        }

        public static RootFs layers(List<Digest> diffIds) {
            return new RootFs("layers", diffIds);
        }
    }

    /** One step of the image's making; an empty layer (ENV, CMD...) adds no entry to rootfs.diff_ids. */
    @JsonInclude(JsonInclude.Include.NON_DEFAULT)
    public record History(String created, @JsonProperty("created_by") String createdBy, String author,
            String comment, @JsonProperty("empty_layer") boolean emptyLayer) {
    }

    public ConfigFile {
        history = history == null ? List.of() : List.copyOf(history);
    }

    public static ConfigFile parse(byte[] bytes, Digest digest) {
        return OciJson.read(bytes, ConfigFile.class, "image config " + digest);
    }

    @JsonIgnore
    public List<Digest> diffIds() {
        return rootfs == null ? List.of() : rootfs.diffIds();
    }

    /** What the runtimes read: Entrypoint, Cmd, Env and WorkingDir. */
    public ImageConfig runConfig() {
        if (config == null) {
            return new ImageConfig(null, null, null, null);
        }
        return new ImageConfig(config.entrypoint(), config.cmd(),
                config.env() == null || config.env().isEmpty() ? null : config.env(), config.workingDir());
    }
}
