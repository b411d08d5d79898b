package dev.jbox.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Every command and subcommand answers --help, as Docker's do (no root needed: help runs before any command). */
class HelpTest {
    @Test
    void everyCommandInTheTreeTakesHelp() {
        CommandLine cli = new CommandLine(new Main());
        Main.addHelp(cli);
        List<String> missing = new ArrayList<>();
        walk(cli, missing);
        assertThat(missing).isEmpty();
        assertThat(count(cli)).as("the tree was walked").isGreaterThan(30);
    }

    private static void walk(CommandLine cmd, List<String> missing) {
        if (cmd.getCommandSpec().options().stream().noneMatch(o -> o.usageHelp() && List.of(o.names()).contains("--help"))) {
            missing.add(cmd.getCommandSpec().qualifiedName());
        }
        cmd.getSubcommands().values().forEach(c -> walk(c, missing));
    }

    private static int count(CommandLine cmd) {
        return 1 + cmd.getSubcommands().values().stream().mapToInt(HelpTest::count).sum();
    }
}
