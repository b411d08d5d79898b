package dev.jbox.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The benchmarks' own C programs (benchmarks/src/main/c/NAME.c), compiled when a benchmark runs,
 * statically, so one binary runs on the host, in a container and in a guest alike.
 */
public final class StaticProgram {
    private StaticProgram() {
    }

    /** Compiles benchmarks/src/main/c/{@code name}.c into {@code dir}/{@code name}. */
    public static Path build(String name, Path dir) {
        Path source = Path.of("benchmarks/src/main/c/" + name + ".c");
        if (!Files.isRegularFile(source)) {
            throw new BenchException(source + " not found; run from the repository root (benchmarks/run does)");
        }
        Path binary = dir.resolve(name);
        Commands.output(List.of(System.getenv().getOrDefault("CC", "cc"), "-static", "-O2", "-Wall", "-Wextra",
                "-Werror", "-o", binary.toString(), source.toString()));
        return binary;
    }
}
