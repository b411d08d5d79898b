package dev.jbox.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jbox.testing.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What Docker users type, through the real launcher (issue 9, item 7): inspect -f and the
 * nsenter lab step built on it, ps -q and ps --format, and -e checked as Docker checks it.
 */
class DockerHabitsIT {
    @TempDir
    Path store;

    @AfterEach
    void cleanUp() {
        Cli.removeAll(store); // a failed test leaves nothing behind; each test removes its own first
    }

    private Cli.Result ok(String... args) {
        return Cli.ok(store, args);
    }

    private void removed(String... names) {
        List<String> args = new java.util.ArrayList<>(List.of("rm", "-f"));
        args.addAll(List.of(names));
        assertThat(ok(args.toArray(String[]::new)).stdout().lines()).containsExactly(names);
    }

    private void oneLineError(Cli.Result r, int code, String fragment) {
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(code);
        assertThat(r.stderr().strip()).as(r.toString()).startsWith("jbox: ").contains(fragment).doesNotContain("\n");
        assertThat(r.stdout()).isEmpty();
    }

    @Test
    void inspectFormatGivesThePidThatNsenterNeeds() throws Exception {
        ok("run", "-d", "--name", "habit", "--hostname", "habit-host", "-e", "GREETING=hi there", "busybox", "sleep", "600");
        try {
            String pid = ok("inspect", "-f", "{{.State.Pid}}", "habit").stdout().strip();
            assertThat(pid).matches("[0-9]+");
            // from the host's view that process is pid 1 of the container's PID namespace
            String nspid = Files.readAllLines(Path.of("/proc", pid, "status")).stream()
                    .filter(l -> l.startsWith("NSpid:")).findFirst().orElseThrow();
            assertThat(nspid.split("\\s+")).containsExactly("NSpid:", pid, "1");
            assertThat(Files.readString(Path.of("/proc", pid, "cmdline"))).isEqualTo("sleep\0" + "600\0");

            var uts = Cli.run(List.of("nsenter", "-t", pid, "-u", "hostname"), Map.of());
            assertThat(uts.stdout()).as(uts.toString()).isEqualTo("habit-host\n");

            // the one-liner of the labs, and the address Docker users read the same way
            String ip = ok("inspect", "-f", "{{.NetworkSettings.IPAddress}}", "habit").stdout().strip();
            assertThat(ip).startsWith(Cli.DEFAULT_SUBNET.substring(0, Cli.DEFAULT_SUBNET.lastIndexOf('.')));
            var net = Cli.run(List.of("sh", "-c", "nsenter -t $(" + Cli.REPO.resolve("jbox")
                    + " inspect -f '{{.State.Pid}}' habit) -n ip -o -4 addr show eth0"), Cli.environment(store));
            assertThat(net.stdout()).as(net.toString()).contains(" inet " + ip + "/");

            assertThat(ok("inspect", "-f", "{{.State.Status}} {{.Name}} {{json .Config.Cmd}} {{.Config.Env}}", "habit").stdout())
                    .startsWith("running habit [\"sleep\",\"600\"] [PATH=").endsWith(" GREETING=hi there]\n");
            assertThat(ok("inspect", "-f", "{{range .Config.Env}}{{.}} {{end}}|{{index .Config.Labels \"k\"}}|", "habit").stdout())
                    .endsWith(" GREETING=hi there ||\n");
            String id = ok("inspect", "-f", "{{.Id}}", "habit").stdout().strip();
            assertThat(ok("inspect", "-f", "json", "habit").stdout()).startsWith("[{\"Id\":\"" + id + "\"").endsWith("}]\n");

            oneLineError(Cli.jbox(store, "inspect", "-f", "{{.State.Nope}}", "habit"), 1,
                    "executing \"\" at <.State.Nope>: map has no entry for key \"Nope\" (the keys here are: Status, Running,");
            oneLineError(Cli.jbox(store, "inspect", "-f", "{{nope .Name}}", "habit"), 64,
                    "function \"nope\" not defined; jbox knows and, eq,");
            oneLineError(Cli.jbox(store, "inspect", "-f", "{{.State.Pid", "habit"), 64, "unclosed action");
        } finally {
            removed("habit");
        }
        assertThat(ok("ps", "-aq").stdout()).isEmpty();
    }

    @Test
    void psQuietAndFormat() throws Exception {
        ok("run", "-d", "--name", "first", "busybox", "sleep", "600");
        ok("run", "-d", "--name", "second", "busybox", "sh", "-c", "while true; do sleep 1; done");
        ok("run", "--name", "ended", "busybox", "true");
        try {
            String first = ok("inspect", "-f", "{{.Id}}", "first").stdout().strip();
            String second = ok("inspect", "-f", "{{.Id}}", "second").stdout().strip();
            String ended = ok("inspect", "-f", "{{.Id}}", "ended").stdout().strip();
            assertThat(ok("ps", "-q").stdout().lines()).as("newest first, as Docker")
                    .containsExactly(second.substring(0, 12), first.substring(0, 12));
            assertThat(ok("ps", "-aq").stdout().lines()).hasSize(3).contains(ended.substring(0, 12));
            assertThat(ok("ps", "-q", "--no-trunc").stdout().lines()).containsExactly(second, first);

            assertThat(ok("ps", "--format", "{{.Names}} {{.State}} {{.Command}}").stdout()).isEqualTo(
                    "second running \"sh -c 'while true; …\"\nfirst running \"sleep 600\"\n");
            assertThat(ok("ps", "--no-trunc", "--format", "{{.ID}} {{.Command}}").stdout())
                    .startsWith(second + " \"sh -c 'while true; do sleep 1; done'\"\n");
            List<String> table = ok("ps", "-a", "--format", "table {{.Names}}\\t{{.Image}}\\t{{.Status}}").stdout().lines().toList();
            assertThat(table.get(0)).isEqualTo("NAMES     IMAGE     STATUS");
            assertThat(table.get(1)).startsWith("ended     busybox   Exited (0) ");
            assertThat(table.get(2)).startsWith("second    busybox   Up ");
            assertThat(table).hasSize(4);
            List<String> json = ok("ps", "--format", "json").stdout().lines().toList();
            assertThat(json).hasSize(2);
            assertThat(new ObjectMapper().readTree(json.get(1)).get("ID").asText()).isEqualTo(first.substring(0, 12));
            List<String> plain = ok("ps").stdout().lines().toList();
            assertThat(plain.get(0)).matches("CONTAINER ID +IMAGE +COMMAND +CREATED +STATUS +PORTS +NAMES");
            assertThat(plain.get(2)).startsWith(first.substring(0, 12) + "   busybox   \"sleep 600\"").endsWith(" first");

            var quietWins = Cli.jbox(store, "ps", "-q", "--format", "{{.Names}}");
            assertThat(quietWins.stdout().lines()).containsExactly(second.substring(0, 12), first.substring(0, 12));
            assertThat(quietWins.stderr()).contains("WARNING: Ignoring custom format, because both --format and --quiet are set.");
            oneLineError(Cli.jbox(store, "ps", "--format", "{{.Size}}"), 1, "map has no entry for key \"Size\"");
            oneLineError(Cli.jbox(store, "ps", "--format", "table {{.Names"), 64, "unclosed action");
        } finally {
            removed("first", "second", "ended");
        }
    }

    @Test
    void anEnvironmentVariableNeedsANameAsInDocker() {
        oneLineError(Cli.jbox(store, "run", "--rm", "-e", "=x", "busybox", "true"), 125, "invalid environment variable: =x");
        oneLineError(Cli.jbox(store, "run", "-d", "--name", "half", "-e", "A=1", "-e", "=", "busybox", "true"), 125,
                "invalid environment variable: =");
        assertThat(ok("ps", "-aq").stdout()).as("nothing made").isEmpty();
        // Docker passes every other name on, and so does jbox
        assertThat(ok("run", "--rm", "-e", "1x=y", "-e", "my var=z", "-e", "a.b=c", "-e", "EMPTY=", "busybox", "env").stdout().lines())
                .contains("1x=y", "my var=z", "a.b=c", "EMPTY=");
    }
}
