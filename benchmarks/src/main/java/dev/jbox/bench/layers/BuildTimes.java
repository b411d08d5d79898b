package dev.jbox.bench.layers;

import dev.jbox.DataRoot;
import dev.jbox.build.BuildOptions;
import dev.jbox.build.Builder;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * {@code jbox build} of a small multi-step Dockerfile through the engine's {@link Builder} in
 * this JVM (what the CLI calls, without the JVM's start), with {@code --no-cache} (every step
 * runs: RUN in a chapter-3 container on an overlay, COPY through a staging dir, each layer
 * tarred, hashed and unpacked into its snapshot) and with every step found in the cache. The
 * base image's snapshot exists in both, as after any first build. Rounds alternate cold and
 * warm; the first build, untimed, fills the cache.
 */
final class BuildTimes {
    static final String DOCKERFILE = String.join("\n",
            "FROM busybox",
            "ARG GREETING=hello",
            "ENV APP=/app",
            "WORKDIR /app",
            "COPY data.bin /app/data.bin",
            "RUN echo \"$GREETING\" > /app/greeting && mkdir /app/out",
            "RUN for i in 1 2 3 4 5 6 7 8; do cp /app/data.bin /app/out/$i; done",
            "CMD [\"cat\", \"/app/greeting\"]", "");
    private static final int DATA_BYTES = 1 << 20;

    private BuildTimes() {
    }

    static LayersResults.Build measure(DataRoot root, Path work, int rounds) throws IOException {
        Path context = Files.createDirectories(work.resolve("build-context"));
        Files.writeString(context.resolve("Dockerfile"), DOCKERFILE);
        byte[] data = new byte[DATA_BYTES];
        new Random(3).nextBytes(data);
        Files.write(context.resolve("data.bin"), data);
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        List<Double> cold = new ArrayList<>(), warm = new ArrayList<>();
        build(root, context, true, quiet);
        for (int round = 0; round < rounds; round++) {
            boolean coldFirst = round % 2 == 0;
            double a = build(root, context, coldFirst, quiet);
            double b = build(root, context, !coldFirst, quiet);
            cold.add(coldFirst ? a : b);
            warm.add(coldFirst ? b : a);
            System.err.printf(Locale.ROOT, "layers: build round %d: cold %.0f ms, warm %.0f ms%n", round + 1,
                    cold.get(round), warm.get(round));
        }
        return new LayersResults.Build("in-process: dev.jbox.build.Builder, as `jbox build -t jbox-bench-build --network none"
                + " CONTEXT` runs it, without the JVM's start; SOURCE_DATE_EPOCH=0", DOCKERFILE, cold, warm);
    }

    private static double build(DataRoot root, Path context, boolean noCache, PrintStream out) {
        BuildOptions o = new BuildOptions(context, null, List.of("jbox-bench-build"), Map.of(), true, noCache, "none", 0L, out,
                false);
        long start = System.nanoTime();
        new Builder(root).build(o);
        return (System.nanoTime() - start) / 1e6;
    }
}
