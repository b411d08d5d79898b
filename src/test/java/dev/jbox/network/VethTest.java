package dev.jbox.network;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class VethTest {
    @Test
    void hostNamesFitTheKernelsLimitAndDifferPerContainer() {
        NetworkConfig config = new NetworkConfig("jbox", "jbox0", NetworkConfig.DEFAULT_SUBNET, "jbox-", "JBOX", true);
        String a = Veth.hostName(config, "4f1c2a0d9e8b");
        assertThat(a).startsWith("jbox-").hasSize(15);
        assertThat(Veth.hostName(config, "4f1c2a0d9e8b")).isEqualTo(a);
        assertThat(Veth.hostName(config, "4f1c2a0d9e8c")).isNotEqualTo(a);
    }
}
