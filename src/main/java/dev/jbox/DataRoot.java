package dev.jbox;

import java.nio.file.Path;

/**
 * The directory where the engine keeps its state (Docker's "data root"): {@code /var/lib/jbox}
 * unless {@code --root} or {@code JBOX_ROOT} says otherwise (tests use a temporary one of their
 * own). Below it: {@code images/}, {@code containers/}, {@code networks/}, {@code bin/},
 * {@code build-cache/} and {@code build-tmp/}.
 */
public record DataRoot(Path root) {
    public static final Path DEFAULT_ROOT = Path.of("/var/lib/jbox");

    public static DataRoot fromEnvironment(Path override) {
        if (override != null) {
            return new DataRoot(override.toAbsolutePath());
        }
        String env = System.getenv("JBOX_ROOT");
        return new DataRoot(env == null || env.isBlank() ? DEFAULT_ROOT : Path.of(env).toAbsolutePath());
    }

    public Path images() {
        return root.resolve("images");
    }

    public Path containers() {
        return root.resolve("containers");
    }

    /** The build cache: which state each build step made, keyed as Docker keys it. */
    public Path buildCache() {
        return root.resolve("build-cache");
    }

    /** The build steps' scratch directories (a RUN step's overlay is mounted in one while it runs). */
    public Path buildScratch() {
        return root.resolve("build-tmp");
    }
}
