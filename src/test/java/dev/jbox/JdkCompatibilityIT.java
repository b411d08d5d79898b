package dev.jbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jbox.testing.Cli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** jbox targets Java 17 and must run unchanged on every newer JDK this machine has (21, 25...). */
class JdkCompatibilityIT {
    @TempDir
    Path store;

    @Test
    void theJarRunsContainersOnEveryInstalledJdkWithoutWarnings() throws IOException {
        List<Path> javas;
        try (Stream<Path> jvms = Files.list(Path.of("/usr/lib/jvm"))) {
            javas = jvms.map(d -> d.resolve("bin/java")).filter(Files::isExecutable)
                    .filter(j -> !Files.isSymbolicLink(j.getParent().getParent())).toList();
        }
        assertThat(javas).isNotEmpty();
        for (Path java : javas) {
            for (String chapter : List.of("1", "2")) {
                var r = Cli.run(List.of(java.toString(), "-jar", Cli.REPO.resolve("target/jbox.jar").toString(),
                        "run", "--chapter", chapter, "busybox", "echo", "ok"), Map.of("JBOX_ROOT", store.toString()));
                assertThat(r.stdout()).as(java + " chapter " + chapter + ": " + r).isEqualTo("ok\n");
                assertThat(r.stderr()).as(java + " chapter " + chapter).isEmpty();
            }
        }
        Cli.removeAll(store);
    }
}
