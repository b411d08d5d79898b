package dev.jbox.build;

import dev.jbox.image.Digest;
import java.io.PrintStream;

/**
 * What a build prints, as Docker's classic builder does: "Step N/M : INSTRUCTION", then what the
 * step says (its command's output, " ---> Using cache", the id it made). On a terminal the step
 * lines stand out in bold; otherwise plain lines, for logs. With -q only the final image id.
 */
final class BuildOutput {
    private final PrintStream out;
    private final boolean quiet, terminal;

    BuildOutput(PrintStream out, boolean quiet, boolean terminal) {
        this.out = out;
        this.quiet = quiet;
        this.terminal = terminal;
    }

    void step(int n, int total, String instruction) {
        String line = "Step " + n + "/" + total + " : " + instruction;
        line(terminal ? "\033[1m" + line + "\033[0m" : line);
    }

    void line(String text) {
        if (!quiet) {
            out.println(text);
            out.flush();
        }
    }

    /** -q prints the id, Docker's "sha256:..." (the other lines have said it already otherwise). */
    void result(Digest id) {
        if (quiet) {
            out.println(id);
            out.flush();
        }
    }
}
