package dev.jbox.build;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What {@code jbox build} was asked.
 *
 * @param context         the build context directory
 * @param dockerfile      the Dockerfile, or null for CONTEXT/Dockerfile
 * @param tags            the -t names (none: the image stays untagged)
 * @param buildArgs       --build-arg values
 * @param quiet           -q: print the image id only
 * @param noCache         --no-cache: run every step (and refresh the cache)
 * @param network         the network of RUN steps (none, host, bridge or a network's name), or null for the default
 * @param sourceDateEpoch SOURCE_DATE_EPOCH in seconds, or null: every layer time is clamped to it (else to 0),
 *                        and it is the image's creation time (else the time of the build)
 * @param out             where progress goes
 * @param terminal        whether {@code out} is a terminal (steps are highlighted)
 */
public record BuildOptions(Path context, Path dockerfile, List<String> tags, Map<String, String> buildArgs,
                           boolean quiet, boolean noCache, String network, Long sourceDateEpoch, PrintStream out, boolean terminal) {
    public BuildOptions {
        tags = tags == null ? List.of() : List.copyOf(tags);
        buildArgs = buildArgs == null ? Map.of() : Map.copyOf(buildArgs);
    }
}
