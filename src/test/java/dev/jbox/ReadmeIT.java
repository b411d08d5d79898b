package dev.jbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jbox.testing.Cli;
import dev.jbox.testing.Provision;
import dev.jbox.testing.Readme;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * README.md's Quick start stays true: its run command works as root and through sudo, it names
 * what the first run installs, CI runs exactly its test command, and no command needs sudo
 * (a fresh Debian 12 used as root has none). {@code FreshMachineIT} runs the same command on a
 * machine that has none of the packages.
 */
class ReadmeIT {
    @TempDir
    Path store;

    @AfterEach
    void cleanUp() {
        Cli.removeAll(store); // containers run on the default network: its bridge and rules go too
    }

    @Test
    void theQuickStartHasExactlyTwoCommandsAndTheFirstRunsAContainerAsRootAndThroughSudo() {
        List<String> commands = Readme.quickStart();
        assertThat(commands).hasSize(2);
        String run = commands.get(0);
        var asRoot = Cli.run(List.of("sh", "-c", run), Cli.environment(store));
        assertThat(asRoot.exitCode()).as(asRoot.toString()).isZero();
        assertThat(asRoot.stdout()).matches("hello from [a-z]+_[a-z]+\n");

        // The same command with sudo in front. sudo drops the caller's environment, so the store and
        // network names go on its command line.
        StringBuilder sudo = new StringBuilder("sudo -n");
        Cli.environment(store).forEach((k, v) -> sudo.append(' ').append(k).append("='").append(v).append('\''));
        var throughSudo = Cli.run(List.of("sh", "-c", sudo + " " + run), Map.of());
        assertThat(throughSudo.exitCode()).as("through sudo (vm/provision.sh --test installs it): " + throughSudo).isZero();
        assertThat(throughSudo.stdout()).matches("hello from [a-z]+_[a-z]+\n");
    }

    @Test
    void theQuickStartNamesEveryPackageTheFirstRunInstalls() {
        String quickStart = Readme.section("Quick start");
        for (String p : Provision.runPackages()) {
            assertThat(quickStart).as("README's Quick start names what vm/provision.sh installs").contains("`" + p + "`");
        }
    }

    @Test
    void noCommandNeedsSudoExceptInsideTheCourseVm() {
        String outsideTheVm = Readme.text().replace(Readme.section("Course VM"), "");
        assertThat(Readme.shellBlocks(outsideTheVm)).isNotEmpty()
                .allSatisfy(block -> assertThat(block).doesNotContainPattern("(^|\\s|&&|;)sudo\\s"));
    }

    @Test
    void ciRunsTheReadmesTestCommand() throws Exception {
        assertThat(Readme.quickStart().get(1)).isEqualTo("./run-tests");
        assertThat(Files.readString(Cli.REPO.resolve(".ci/run"))).contains("exec ./run-tests");
    }
}
