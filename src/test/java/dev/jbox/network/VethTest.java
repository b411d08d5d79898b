package dev.jbox.network;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class VethTest {
    @Test
    void hostNamesFitTheKernelsLimitAndDifferPerContainer() {
        NetworkDefinition definition = new NetworkDefinition("jbox", "jbox0", NetworkDefinition.DEFAULT_SUBNET, "jbox-", "JBOX", true);
        String a = Veth.hostName(definition, "4f1c2a0d9e8b");
        assertThat(a).startsWith("jbox-").hasSize(15);
        assertThat(Veth.hostName(definition, "4f1c2a0d9e8b")).isEqualTo(a);
        assertThat(Veth.hostName(definition, "4f1c2a0d9e8c")).isNotEqualTo(a);
    }
}
