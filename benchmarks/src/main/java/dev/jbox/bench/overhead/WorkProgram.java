package dev.jbox.bench.overhead;

import dev.jbox.bench.BenchException;
import dev.jbox.bench.StaticProgram;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** jbox-bench-work: compiled here, statically, so one binary runs on the host, in the container and in the guest. */
public final class WorkProgram {
    public static final String NAME = "jbox-bench-work";
    private static final String PREFIX = NAME + " ";

    private WorkProgram() {
    }

    public static Path build(Path dir) {
        return StaticProgram.build(NAME, dir);
    }

    /** The result lines in {@code output}; other lines (a guest's console) are ignored. */
    public static List<OverheadResults.Run> parse(String output) {
        List<OverheadResults.Run> runs = new ArrayList<>();
        for (String line : output.lines().toList()) {
            if (line.startsWith(PREFIX)) {
                String[] w = line.strip().split(" ");
                if (w.length != 5) {
                    throw new BenchException("cannot read the result line '" + line + "'");
                }
                runs.add(new OverheadResults.Run(w[1], Double.parseDouble(w[2]), w[3], Double.parseDouble(w[4])));
            }
        }
        return runs;
    }
}
