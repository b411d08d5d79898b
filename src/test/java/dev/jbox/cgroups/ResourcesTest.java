package dev.jbox.cgroups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jbox.JboxException;
import dev.jbox.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The OCI-shaped limits: stored as JSON in the container's record, checked when made, merged by update. */
class ResourcesTest {
    private static final Resources FULL = new Resources(
            new Resources.Memory(536870912L, 268435456L, 1073741824L, true),
            new Resources.Cpu(512L, 50000L, 100000L, "0-1", "0"),
            new Resources.Pids(100),
            new Resources.BlockIo(500, List.of(), List.of(new Resources.ThrottleDevice(254, 0, 10485760)), List.of(),
                    List.of(new Resources.ThrottleDevice(254, 0, 100))),
            DeviceRule.DOCKER_DEFAULTS);

    @Test
    void itRoundTripsThroughJsonWithTheSpecsFieldNames() throws Exception {
        String json = Json.text(FULL);
        assertThat(json).contains("\"disableOOMKiller\" : true", "\"blockIO\"", "\"throttleWriteBpsDevice\"",
                "\"throttleWriteIOPSDevice\"", "\"devices\"", "\"quota\" : 50000");
        assertThat(json).doesNotContain("throttleReadBpsDevice", "null"); // unset fields are left out
        assertThat(Json.mapper().readValue(json, Resources.class)).isEqualTo(FULL);
        assertThat(Json.mapper().readValue(Json.text(Resources.NONE), Resources.class)).isEqualTo(Resources.NONE);
    }

    @Test
    void itReadsTheResourcesOfARuncConfig() throws Exception {
        String oci = """
                {"memory": {"limit": 536870912, "swap": -1},
                 "cpu": {"shares": 1024, "quota": 50000, "period": 100000, "cpus": "0-1"},
                 "pids": {"limit": 100},
                 "devices": [{"allow": false, "access": "rwm"}, {"allow": true, "type": "c", "major": 1, "minor": 3, "access": "rwm"}]}
                """;
        Resources r = Json.mapper().readValue(oci, Resources.class);
        assertThat(r.memory()).isEqualTo(new Resources.Memory(536870912L, null, -1L, null));
        assertThat(r.cpu().cpus()).isEqualTo("0-1");
        assertThat(r.devices()).containsExactly(DeviceRule.deny("a", null, null, "rwm"), DeviceRule.allow("c", 1L, 3L, "rwm"));
    }

    @Test
    void valuesTheSpecForbidsAreRefusedWhenMade() {
        assertThatThrownBy(() -> new Resources.Memory(0L, null, null, null))
                .isInstanceOf(JboxException.class).hasMessageContaining("memory.limit must be positive, or -1");
        assertThatThrownBy(() -> new Resources.Memory(1024L * 1024 * 1024, null, 512L * 1024 * 1024, null))
                .hasMessageContaining("cannot be below memory.limit");
        assertThatThrownBy(() -> new Resources.Cpu(0L, null, null, null, null)).hasMessageContaining("cpu.shares");
        assertThatThrownBy(() -> new Resources.Cpu(null, -5L, null, null, null)).hasMessageContaining("cpu.quota");
        assertThatThrownBy(() -> new Resources.Cpu(null, null, 0L, null, null)).hasMessageContaining("cpu.period");
        assertThatThrownBy(() -> new Resources.Cpu(null, null, null, "0-a", null))
                .hasMessage("cpu.cpus '0-a' is not a list of numbers like 0-1,3: invalid format: 0-a");
        assertThatThrownBy(() -> new Resources.BlockIo(5, null, null, null, null)).hasMessageContaining("from 10 to 1000");
        assertThatThrownBy(() -> new Resources.ThrottleDevice(8, 0, -1)).hasMessageContaining("none negative");
    }

    @Test
    void anUpdateReplacesOnlyWhatItSets() {
        Resources changes = new Resources(new Resources.Memory(1073741824L, null, 2147483648L, null),
                new Resources.Cpu(null, 25000L, null, null, null), null, null, null);
        Resources merged = FULL.merge(changes);
        assertThat(merged.memory()).isEqualTo(new Resources.Memory(1073741824L, 268435456L, 2147483648L, true));
        assertThat(merged.cpu()).isEqualTo(new Resources.Cpu(512L, 25000L, 100000L, "0-1", "0"));
        assertThat(merged.pids()).isEqualTo(FULL.pids());
        assertThat(merged.blockIO()).isEqualTo(FULL.blockIO());
        assertThat(merged.devices()).isEqualTo(DeviceRule.DOCKER_DEFAULTS);
        assertThat(Resources.NONE.merge(changes)).isEqualTo(changes);
        assertThat(Resources.NONE.isEmpty()).isTrue();
        assertThat(FULL.isEmpty()).isFalse();
    }

    @Test
    void anUpdateThatWouldLeaveSwapBelowMemoryIsRefused() {
        Resources changes = new Resources(new Resources.Memory(2L * 1073741824, null, null, null), null, null, null, null);
        assertThatThrownBy(() -> FULL.merge(changes)).hasMessageContaining("cannot be below memory.limit");
    }
}
