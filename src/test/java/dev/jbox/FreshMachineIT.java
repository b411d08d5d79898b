package dev.jbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jbox.testing.Cli;
import dev.jbox.testing.FreshDebian;
import dev.jbox.testing.Provision;
import dev.jbox.testing.Readme;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's first command on a fresh Debian 12 used as root (issue 9): on a root file system
 * with none of the packages jbox needs, and no sudo, it installs every one of them, builds the
 * engine and runs the container. This takes minutes: about 220 MB of Debian packages and the
 * build's Maven dependencies are downloaded, as on any fresh machine.
 */
class FreshMachineIT {
    @TempDir
    Path dir;

    /** The suite's network names: the bridge and iptables chains this jbox makes are never a reader's. */
    private static final Map<String, String> ENV = Map.of("JBOX_NETWORK_PREFIX", Cli.NETWORK_PREFIX,
            "JBOX_SUBNET", Cli.DEFAULT_SUBNET);

    @Test
    void theReadmesFirstCommandInstallsWhatRunNeedsBuildsAndRunsTheContainer() throws IOException {
        List<String> needed = Provision.runPackages();
        FreshDebian machine = FreshDebian.copyInto(dir);
        assertThat(needed).as("a fresh machine has none of them").noneMatch(machine::installed);
        var check = machine.shell("vm/provision.sh --check", ENV, Duration.ofMinutes(1));
        assertThat(check.exitCode()).as(check.toString()).isEqualTo(1);
        assertThat(check.stdout()).isEqualTo("missing: " + String.join(" ", needed) + "\n");

        String command = Readme.quickStart().get(0);
        long start = System.nanoTime();
        try {
            var r = machine.shell(command, ENV, Duration.ofMinutes(30));
            System.out.printf("FreshMachineIT: '%s' on a fresh machine took %d s; it printed on stderr:%n%s", command,
                    Duration.ofNanos(System.nanoTime() - start).toSeconds(), r.stderr());
            assertThat(r.exitCode()).as(r + "\n" + machine.file("root/jbox/target.build.log")).isZero();
            assertThat(r.stdout()).matches("hello from [a-z]+_[a-z]+\n");
            // What jbox itself says: what it installs, then that it builds. (apt may add notes of its own.)
            assertThat(r.stderr().lines().filter(l -> l.startsWith("jbox"))).as(r.stderr()).containsExactly(
                    "jbox: installing missing packages: " + String.join(" ", needed),
                    "jbox: building the engine (mvn package, first use or sources changed)...");
            assertThat(needed).as("installed").allMatch(machine::installed);
            assertThat(machine.shell("vm/provision.sh --check", ENV, Duration.ofMinutes(1)).exitCode()).isZero();
        } finally {
            // The engine ran only if it was built: then its bridge and iptables rules are on the host.
            if (Files.exists(machine.root().resolve("root/jbox/target/jbox.jar"))) {
                var reset = machine.shell("./jbox system reset", ENV, Duration.ofMinutes(2));
                assertThat(reset.exitCode()).as(reset.toString()).isZero();
            }
        }
        try (Stream<Path> links = Files.list(Path.of("/sys/class/net"))) {
            assertThat(links.map(l -> l.getFileName().toString())).noneMatch(l -> l.startsWith(Cli.NETWORK_PREFIX));
        }
        var rules = machine.shell("iptables-save", ENV, Duration.ofMinutes(1));
        assertThat(rules.exitCode()).as(rules.toString()).isZero();
        assertThat(rules.stdout()).doesNotContain(Cli.NETWORK_PREFIX.toUpperCase());
    }
}
