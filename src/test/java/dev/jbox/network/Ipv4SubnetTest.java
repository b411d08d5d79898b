package dev.jbox.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class Ipv4SubnetTest {
    @Test
    void parsesAndCountsAddresses() {
        Ipv4Subnet s = Ipv4Subnet.parse("10.77.0.0/16");
        assertThat(s.toString()).isEqualTo("10.77.0.0/16");
        assertThat(s.size()).isEqualTo(65536);
        assertThat(s.gateway().getHostAddress()).isEqualTo("10.77.0.1");
        assertThat(s.address(258).getHostAddress()).isEqualTo("10.77.1.2");
        assertThat(s.indexOf(Ipv4Subnet.parseAddress("10.77.1.2"))).isEqualTo(258);
        assertThat(s.contains(Ipv4Subnet.parseAddress("10.77.255.255"))).isTrue();
        assertThat(s.contains(Ipv4Subnet.parseAddress("10.78.0.0"))).isFalse();
    }

    @Test
    void overlapMeansOneContainsTheOther() {
        Ipv4Subnet s = Ipv4Subnet.parse("10.77.0.0/16");
        assertThat(s.overlaps(Ipv4Subnet.parse("10.77.3.0/24"))).isTrue();
        assertThat(s.overlaps(Ipv4Subnet.parse("10.0.0.0/8"))).isTrue();
        assertThat(s.overlaps(Ipv4Subnet.parse("10.76.255.0/24"))).isFalse();
        assertThat(s.overlaps(Ipv4Subnet.parse("0.0.0.0/0"))).isTrue();
        assertThat(Ipv4Subnet.parse("192.168.1.128/25").overlaps(Ipv4Subnet.parse("192.168.1.0/25"))).isFalse();
    }

    @Test
    void highAddressesDoNotTurnNegative() {
        Ipv4Subnet s = Ipv4Subnet.parse("240.0.0.0/4");
        assertThat(s.contains(Ipv4Subnet.parseAddress("255.255.255.255"))).isTrue();
        assertThat(s.indexOf(Ipv4Subnet.parseAddress("255.255.255.255"))).isEqualTo(s.size() - 1);
    }

    @Test
    void rejectsWhatIsNotASubnetWithAMessageThatSaysWhy() {
        assertThatThrownBy(() -> Ipv4Subnet.parse("10.77.0.1/16")).hasMessageContaining("the network is 10.77.0.0/16");
        assertThatThrownBy(() -> Ipv4Subnet.parse("10.77.0.0")).hasMessageContaining("needs a prefix length");
        assertThatThrownBy(() -> Ipv4Subnet.parse("10.77.0.0/33")).hasMessageContaining("not between 0 and 32");
        assertThatThrownBy(() -> Ipv4Subnet.parse("10.277.0.0/16")).hasMessageContaining("is not an IPv4 address");
    }
}
