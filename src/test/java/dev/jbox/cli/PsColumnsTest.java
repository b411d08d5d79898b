package dev.jbox.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The COMMAND and PORTS columns of ps, as Docker's are. */
class PsColumnsTest {
    @Test
    void commandIsQuotedAndCutAt20Characters() {
        assertThat(PsCommand.command(List.of("sleep", "600"), true)).isEqualTo("\"sleep 600\"");
        assertThat(PsCommand.command(List.of("sh", "-c", "while true; do sleep 1; done"), true))
                .isEqualTo("\"sh -c 'while true; …\"");
        assertThat(PsCommand.command(List.of("sh", "-c", "while true; do sleep 1; done"), false))
                .isEqualTo("\"sh -c 'while true; do sleep 1; done'\"");
        assertThat(PsCommand.command(List.of("echo", "a\"b\tc"), true)).isEqualTo("\"echo a\\\"b\\tc\"");
    }

    @Test
    void portsAreGroupedAsDockerGroupsThem() {
        assertThat(PsCommand.ports(List.of())).isEmpty();
        assertThat(PsCommand.ports(List.of("8080:80/tcp"))).isEqualTo("0.0.0.0:8080->80/tcp");
        assertThat(PsCommand.ports(List.of("127.0.0.1:81:81/tcp", "127.0.0.1:80:80/tcp"))).isEqualTo("127.0.0.1:80-81->80-81/tcp");
        assertThat(PsCommand.ports(List.of("80:80/tcp", "9000:90/udp", "81:81/tcp", "83:83/tcp")))
                .isEqualTo("0.0.0.0:80-81->80-81/tcp, 0.0.0.0:83->83/tcp, 0.0.0.0:9000->90/udp");
        assertThat(PsCommand.ports(List.of("53:53/udp", "53:53/tcp"))).isEqualTo("0.0.0.0:53->53/tcp, 0.0.0.0:53->53/udp");
    }
}
