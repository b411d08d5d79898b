package dev.jbox;

import java.nio.file.Path;

/**
 * Where the engine keeps its state: {@code /var/lib/jbox} unless {@code --root} or
 * {@code JBOX_ROOT} says otherwise (tests use a temporary root of their own).
 */
public record Store(Path root) {
    public static final Path DEFAULT_ROOT = Path.of("/var/lib/jbox");

    public static Store fromEnvironment(Path override) {
        if (override != null) {
            return new Store(override.toAbsolutePath());
        }
        String env = System.getenv("JBOX_ROOT");
        return new Store(env == null || env.isBlank() ? DEFAULT_ROOT : Path.of(env).toAbsolutePath());
    }

    public Path images() {
        return root.resolve("images");
    }

    public Path containers() {
        return root.resolve("containers");
    }
}
