package dev.jbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jbox.testing.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** README.md's Quick start stays true: its run command works, and CI runs exactly its test command. */
class ReadmeIT {
    @TempDir
    Path store;

    @AfterEach
    void cleanUp() {
        Cli.removeAll(store); // containers run on the default network: its bridge and rules go too
    }

    private static List<String> quickStartCommands() throws Exception {
        String readme = Files.readString(Cli.REPO.resolve("README.md"));
        String quickStart = readme.substring(readme.indexOf("## Quick start"));
        quickStart = quickStart.substring(0, quickStart.indexOf("\n## ", 1));
        List<String> commands = new ArrayList<>();
        for (String block : quickStart.split("```sh\n")) {
            if (block.contains("```")) {
                commands.add(block.substring(0, block.indexOf("```")).strip());
            }
        }
        return commands;
    }

    @Test
    void theQuickStartHasExactlyTwoCommandsAndTheFirstRunsAContainer() throws Exception {
        List<String> commands = quickStartCommands();
        assertThat(commands).hasSize(2);
        String run = commands.get(0).replaceFirst("^sudo ", "");
        var r = Cli.run(List.of("sh", "-c", run), Map.of("JBOX_ROOT", store.toString()));
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stdout()).matches("hello from [a-z]+_[a-z]+\n");
    }

    @Test
    void ciRunsTheReadmesTestCommand() throws Exception {
        String test = quickStartCommands().get(1);
        assertThat(test).isEqualTo("sudo ./run-tests");
        assertThat(Files.readString(Cli.REPO.resolve(".ci/run"))).contains("exec sudo ./run-tests").contains("exec ./run-tests");
    }
}
