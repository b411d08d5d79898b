package dev.jbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jbox.lab.Walkthrough;
import dev.jbox.lab.WalkthroughRunner;
import dev.jbox.testing.Cli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every command of every chapter's walk-through ({@code chapters/NN-name/walkthrough*.txt}) runs,
 * in order, in one shell session per file, and prints what the file says.
 *
 * <p>Each session runs in a network namespace of its own, with only loopback, standing in for
 * the host's: the bridges, iptables rules and ip_forward that a walk-through's containers make
 * (jbox0, the JBOX chains, with jbox's default names, exactly as a reader sees them) live there
 * and vanish with the session, so a reader's own jbox0 is never touched, and the machine's
 * network is the same after the suite as before.
 *
 * <p>{@code -Djbox.walkthrough=03-cgroups/walkthrough-experiments} runs only the files whose path
 * contains that text, for whoever is editing one walk-through.
 */
class WalkthroughIT {
    @TempDir
    Path tmp;

    @TestFactory
    Stream<DynamicTest> walkthroughs() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.walk(Cli.REPO.resolve("chapters"), 2)) {
            files = s.filter(f -> f.getFileName().toString().matches("walkthrough.*\\.txt"))
                    .filter(f -> f.toString().contains(System.getProperty("jbox.walkthrough", ""))).sorted().toList();
        }
        assertThat(files).isNotEmpty();
        return files.stream().map(f -> DynamicTest.dynamicTest(Cli.REPO.relativize(f).toString(), () -> check(f)));
    }

    private void check(Path file) throws Exception {
        Walkthrough w = Walkthrough.parse(file);
        assertThat(w.steps()).isNotEmpty();
        Path dir = Files.createTempDirectory(tmp, "session");
        Files.createDirectories(dir.resolve("tmp"));
        var results = WalkthroughRunner.run(w, Cli.REPO,
                Map.of("JBOX_ROOT", dir.resolve("store").toString(), "TMPDIR", dir.resolve("tmp").toString()), 600,
                WalkthroughRunner.IN_PRIVATE_NETWORK);
        for (var r : results) {
            String where = Cli.REPO.relativize(file) + ":" + r.step().line() + ": $ " + r.step().command();
            assertThat(r.status()).as(where + "\nprinted:\n" + String.join("\n", r.output())).isZero();
            assertThat(Walkthrough.matches(r.step().expected(), r.output()))
                    .as(where + "\nexpected:\n" + String.join("\n", r.step().expected())
                            + "\nbut printed:\n" + String.join("\n", r.output()))
                    .isTrue();
        }
    }
}
