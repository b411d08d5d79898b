package dev.jbox.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class ContainerRecordTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aRecordWrittenBeforeNetworkingReadsAsNetworkNone() throws Exception {
        String old = """
                {"id":"0123456789abcdef","name":"old","image":"busybox","command":["true"],"created":"2026-11-27T10:00:00Z",
                 "hostname":"old","autoRemove":false,"init":false,"tty":false,"detached":true,"chapter":2,"env":[],
                 "workdir":"/","namespaces":["pid","net"],"shimPid":0,"shimStartTime":-1,"pid":0,"pidStartTime":-1,
                 "someFutureField":1}
                """;
        ContainerRecord r = JSON.readValue(old, ContainerRecord.class);
        assertThat(r.network()).isNull();
        assertThat(r.networkName()).isEqualTo("none");
        assertThat(r.ports()).isEmpty();
        assertThat(r.endpoint()).isNull();
        assertThat(ContainerNetworking.plugsIn(r)).isFalse();
    }

    @Test
    void theEndpointSurvivesTheRoundTrip() throws Exception {
        ContainerRecord r = new ContainerRecord("0123456789abcdef", "web", "busybox", List.of("httpd"), "2026-11-27T10:00:00Z",
                "web", false, false, false, true, 2, List.of(), "/", List.of("net"), 0, -1, 0, -1, "bridge",
                List.of("8080:80/tcp"), new ContainerRecord.NetworkEndpoint("10.77.0.2", "10.77.0.1", 16, "jbox-0a1b2c3d4e"));
        assertThat(JSON.readValue(JSON.writeValueAsString(r), ContainerRecord.class)).isEqualTo(r);
        assertThat(r.withEndpoint(null).endpoint()).isNull();
    }
}
