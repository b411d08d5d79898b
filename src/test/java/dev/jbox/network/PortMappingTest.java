package dev.jbox.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PortMappingTest {
    @Test
    void readsDockersSpellings() {
        assertThat(PortMapping.parse("8080:80")).isEqualTo(new PortMapping(null, 8080, 80, "tcp"));
        assertThat(PortMapping.parse("5353:53/udp")).isEqualTo(new PortMapping(null, 5353, 53, "udp"));
        assertThat(PortMapping.parse("127.0.0.1:8080:80/TCP"))
                .isEqualTo(new PortMapping(Ipv4Subnet.parseAddress("127.0.0.1"), 8080, 80, "tcp"));
        assertThat(PortMapping.parse("127.0.0.1:8080:80").toString()).isEqualTo("127.0.0.1:8080:80/tcp");
    }

    @Test
    void rejectsNonsense() {
        assertThatThrownBy(() -> PortMapping.parse("80")).hasMessageContaining("is not HOSTPORT:CONTAINERPORT");
        assertThatThrownBy(() -> PortMapping.parse("0:80")).hasMessage("host port 0 is not between 1 and 65535");
        assertThatThrownBy(() -> PortMapping.parse("80:80/sctp")).hasMessage("protocol \"sctp\" is neither tcp nor udp");
    }
}
