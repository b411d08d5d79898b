package dev.jbox.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jbox.Json;
import dev.jbox.spec.ContainerSpec;
import dev.jbox.spec.InvalidSpecException;
import dev.jbox.spec.Namespace;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Chapter 2: the record a container leaves in its directory, with its OCI-shaped spec. */
class ContainerRecordTest {
    private static ContainerSpec spec() {
        return ContainerSpec.builder(Path.of("/var/lib/jbox/images/busybox/rootfs"), List.of("httpd", "-f"))
                .env(List.of("PATH=/bin", "HOSTNAME=web")).cwd("/www").hostname("web")
                .namespaces(EnumSet.of(Namespace.PID, Namespace.NET)).maskedPaths(List.of("/proc/kcore"))
                .bindFile(Path.of("/var/lib/jbox/containers/x/hosts"), "/etc/hosts").build();
    }

    @Test
    void theRecordAndItsSpecSurviveTheRoundTrip() throws Exception {
        ContainerRecord r = ContainerRecord.builder().id("0123456789abcdef").name("web").image("busybox")
                .created("2026-11-27T10:00:00Z").chapter(2).spec(spec()).detached(true).network("bridge")
                .ports(List.of("8080:80/tcp"))
                .endpoint(new ContainerRecord.NetworkEndpoint("10.77.0.2", "10.77.0.1", 16, "jbox-0a1b2c3d4e")).build();
        String json = Json.text(r);
        assertThat(json).contains("\"process\"", "\"args\" : [ \"httpd\", \"-f\" ]", "\"maskedPaths\"", "\"destination\" : \"/etc/hosts\"");
        assertThat(Json.mapper().readValue(json, ContainerRecord.class)).isEqualTo(r);
        assertThat(r.withEndpoint(null).endpoint()).isNull();
        assertThat(r.namespaces()).containsExactly(Namespace.PID, Namespace.NET);
    }

    @Test
    void aSpecIsCheckedWhenItIsMade() {
        var b = ContainerSpec.builder(Path.of("/r"), List.of("true"));
        assertThatThrownBy(() -> b.env(List.of("=x")).build()).isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("process.env");
        assertThatThrownBy(() -> ContainerSpec.builder(Path.of("/r"), List.of()).build())
                .hasMessageContaining("process.args");
        assertThatThrownBy(() -> ContainerSpec.builder(Path.of("/r"), List.of("true")).cwd("tmp").build())
                .hasMessageContaining("process.cwd");
        assertThatThrownBy(() -> ContainerSpec.builder(Path.of("/r"), List.of("true")).hostname("-bad").build())
                .hasMessageContaining("hostname");
        assertThatThrownBy(() -> ContainerSpec.builder(Path.of("/r"), List.of("true"))
                .bindFile(Path.of("/f"), "/etc/../../x").build()).hasMessageContaining("mounts.destination");
        assertThatThrownBy(() -> ContainerSpec.builder(Path.of("/r"), List.of("true"))
                .maskedPaths(List.of("proc/kcore")).build()).hasMessageContaining("linux.maskedPaths");
    }
}
