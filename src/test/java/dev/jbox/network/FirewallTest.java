package dev.jbox.network;

import static dev.jbox.network.NetTestSupport.ip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jbox.JboxException;
import dev.jbox.network.PublishedPorts.Published;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The rule policy, without root: {@link Firewall} applies its changes to a
 * {@link RecordingIptables}, and the tests read the exact scripts it wrote and the rules it left.
 * (The integration tests, NetworksIT and RoutedLanHostIT, show the same rules doing their work
 * in a real kernel.)
 */
class FirewallTest {
    private static final NetworkPrefix PREFIX = new NetworkPrefix("jbox");
    private static final NetworkDefinition BRIDGE = PREFIX.definition("bridge", "jbox0", Ipv4Subnet.parse("10.77.0.0/16"));
    private static final NetworkDefinition BACKEND = PREFIX.definition("backend", "jbox1", Ipv4Subnet.parse("10.78.0.0/24"));

    private final RecordingIptables iptables = new RecordingIptables();
    private final Firewall bridge = new Firewall(BRIDGE, iptables);
    private final Firewall backend = new Firewall(BACKEND, iptables);

    @Test
    void theFirstNetworkWritesTheChainsTheJumpsAndItsRulesInOneScript() {
        bridge.ensure();
        assertThat(iptables.scripts()).containsExactly("""
                *nat
                :JBOX - [0:0]
                :JBOX-POSTROUTING - [0:0]
                -I PREROUTING 1 ! -d 127.0.0.0/8 -m addrtype --dst-type LOCAL -j JBOX
                -I OUTPUT 1 -m addrtype --dst-type LOCAL -j JBOX
                -I POSTROUTING 1 -j JBOX-POSTROUTING
                -A JBOX-POSTROUTING -s 10.77.0.0/16 ! -o jbox0 -j MASQUERADE
                -A JBOX-POSTROUTING -s 127.0.0.0/8 -o jbox0 -j MASQUERADE
                -A JBOX-POSTROUTING -s 10.77.0.0/16 -o jbox0 -m conntrack --ctstate DNAT -j MASQUERADE
                COMMIT
                *filter
                :JBOX-FORWARD - [0:0]
                :JBOX-ISOLATION - [0:0]
                -I FORWARD 1 -j JBOX-FORWARD
                -A JBOX-FORWARD -i jbox0 ! -o jbox0 -m conntrack ! --ctstate DNAT -j JBOX-ISOLATION
                -A JBOX-FORWARD -i jbox0 -j ACCEPT
                -A JBOX-FORWARD -o jbox0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
                -A JBOX-FORWARD -o jbox0 -m conntrack --ctstate DNAT -j ACCEPT
                -A JBOX-FORWARD ! -i jbox0 -o jbox0 -j DROP
                -A JBOX-ISOLATION -o jbox0 -j DROP
                COMMIT
                *raw
                :JBOX-PREROUTING - [0:0]
                -I PREROUTING 1 -j JBOX-PREROUTING
                -A JBOX-PREROUTING -d 127.0.0.0/8 -i jbox0 -j DROP
                COMMIT
                """);
    }

    @Test
    void whatIsThereIsNotWrittenAgain() {
        bridge.ensure();
        bridge.ensure();
        assertThat(iptables.scripts()).hasSize(1);
    }

    @Test
    void aSecondNetworkAddsOnlyItsOwnRules() {
        bridge.ensure();
        backend.ensure();
        assertThat(iptables.scripts().get(1)).isEqualTo("""
                *nat
                -A JBOX-POSTROUTING -s 10.78.0.0/24 ! -o jbox1 -j MASQUERADE
                -A JBOX-POSTROUTING -s 127.0.0.0/8 -o jbox1 -j MASQUERADE
                -A JBOX-POSTROUTING -s 10.78.0.0/24 -o jbox1 -m conntrack --ctstate DNAT -j MASQUERADE
                COMMIT
                *filter
                -A JBOX-FORWARD -i jbox1 ! -o jbox1 -m conntrack ! --ctstate DNAT -j JBOX-ISOLATION
                -A JBOX-FORWARD -i jbox1 -j ACCEPT
                -A JBOX-FORWARD -o jbox1 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
                -A JBOX-FORWARD -o jbox1 -m conntrack --ctstate DNAT -j ACCEPT
                -A JBOX-FORWARD ! -i jbox1 -o jbox1 -j DROP
                -A JBOX-ISOLATION -o jbox1 -j DROP
                COMMIT
                *raw
                -A JBOX-PREROUTING -d 127.0.0.0/8 -i jbox1 -j DROP
                COMMIT
                """);
    }

    @Test
    void aMissingRuleMakesTheNetworksRulesBeWrittenAgainInOrder() {
        bridge.ensure();
        iptables.restore("*filter\n-D JBOX-FORWARD -i jbox0 ! -o jbox0 -m conntrack ! --ctstate DNAT -j JBOX-ISOLATION\nCOMMIT\n");
        bridge.ensure();
        List<String> forward = SavedRules.parse(iptables.save()).rulesOf("filter", "JBOX-FORWARD");
        assertThat(forward).containsExactly(
                "-A JBOX-FORWARD -i jbox0 ! -o jbox0 -m conntrack ! --ctstate DNAT -j JBOX-ISOLATION",
                "-A JBOX-FORWARD -i jbox0 -j ACCEPT",
                "-A JBOX-FORWARD -o jbox0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT",
                "-A JBOX-FORWARD -o jbox0 -m conntrack --ctstate DNAT -j ACCEPT",
                "-A JBOX-FORWARD ! -i jbox0 -o jbox0 -j DROP");
    }

    @Test
    void anOlderJbox_sJumpIsReplacedAndTheOtherProgramsRulesAreLeftAlone() {
        iptables.restore("*nat\n:JBOX - [0:0]\nCOMMIT\n");
        iptables.given("nat", "PREROUTING", "-m addrtype --dst-type LOCAL -j JBOX"); // before 127.0.0.0/8 was left out
        iptables.given("nat", "PREROUTING", "-p tcp -m tcp --dport 22 -j ACCEPT");
        bridge.ensure();
        assertThat(SavedRules.parse(iptables.save()).rulesOf("nat", "PREROUTING")).containsExactly(
                "-A PREROUTING ! -d 127.0.0.0/8 -m addrtype --dst-type LOCAL -j JBOX",
                "-A PREROUTING -p tcp -m tcp --dport 22 -j ACCEPT");
        assertThat(bridge.remove()).isTrue();
        assertThat(iptables.save()).noneMatch(l -> l.contains("JBOX"))
                .contains("-A PREROUTING -p tcp -m tcp --dport 22 -j ACCEPT");
    }

    @Test
    void aPublishedPortIsOneDnatRuleNamingTheContainerAndIsReadBack() {
        bridge.ensureAndPublish("c1", ip("10.77.0.2"), List.of(PortMapping.parse("8080:80"), PortMapping.parse("127.0.0.1:5353:53/udp")));
        assertThat(SavedRules.parse(iptables.save()).rulesOf("nat", "JBOX")).containsExactly(
                "-A JBOX -p tcp -m tcp --dport 8080 -m comment --comment \"jbox:c1\" -j DNAT --to-destination 10.77.0.2:80",
                "-A JBOX -d 127.0.0.1/32 -p udp -m udp --dport 5353 -m comment --comment \"jbox:c1\" -j DNAT --to-destination 10.77.0.2:53");
        assertThat(bridge.published()).containsExactly(
                new Published("c1", PortMapping.parse("8080:80")),
                new Published("c1", PortMapping.parse("127.0.0.1:5353:53/udp")));
        assertThat(iptables.scripts()).hasSize(1); // the base rules and the ports in one transaction
    }

    @Test
    void aHostPortPublishedTwiceIsRefusedAndNothingIsWritten() {
        bridge.ensureAndPublish("c1", ip("10.77.0.2"), List.of(PortMapping.parse("8080:80")));
        backend.ensure();
        int scripts = iptables.scripts().size();
        // Host ports belong to the host, not to a network: another network may not take it either.
        assertThatThrownBy(() -> backend.publish("c2", ip("10.78.0.2"), List.of(PortMapping.parse("127.0.0.1:8080:81"))))
                .isInstanceOf(JboxException.class)
                .hasMessage("host port 8080/tcp is already published by container c1; choose another host port");
        assertThat(iptables.scripts()).hasSize(scripts);
        backend.publish("c2", ip("10.78.0.2"), List.of(PortMapping.parse("8080:80/udp")));
        assertThat(bridge.published()).extracting(Published::containerId).containsExactly("c1", "c2");
    }

    @Test
    void unpublishDeletesTheContainersRulesOnly() {
        bridge.ensureAndPublish("c1", ip("10.77.0.2"), List.of(PortMapping.parse("8080:80"), PortMapping.parse("8081:81")));
        bridge.publish("c10", ip("10.77.0.3"), List.of(PortMapping.parse("9090:90")));
        bridge.unpublish("c1");
        assertThat(bridge.published()).containsExactly(new Published("c10", PortMapping.parse("9090:90")));
        bridge.unpublish("c1"); // twice is fine, and writes nothing
        assertThat(iptables.scripts()).hasSize(3);
        assertThatThrownBy(() -> bridge.unpublish("c1\" -j ACCEPT")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theChainsGoWithTheLastNetwork() {
        bridge.ensure();
        backend.ensure();
        assertThat(backend.remove()).as("the family goes with the last network only").isFalse();
        assertThat(bridge.rules()).noneMatch(l -> l.contains("jbox1")).isNotEmpty();
        assertThat(bridge.remove()).isTrue();
        assertThat(bridge.rules()).isEmpty();
        assertThat(iptables.save()).noneMatch(l -> l.contains("JBOX"));
    }

    @Test
    void removeFamilyTakesEverythingAndSaysWhat() {
        bridge.ensureAndPublish("c1", ip("10.77.0.2"), List.of(PortMapping.parse("8080:80")));
        backend.ensure();
        assertThat(bridge.removeFamily()).containsExactly(
                "removed iptables chain JBOX (nat table)", "removed iptables chain JBOX-POSTROUTING (nat table)",
                "removed iptables chain JBOX-FORWARD (filter table)", "removed iptables chain JBOX-ISOLATION (filter table)",
                "removed iptables chain JBOX-PREROUTING (raw table)");
        assertThat(iptables.save()).noneMatch(l -> l.contains("JBOX"));
        assertThat(bridge.removeFamily()).isEmpty();
    }
}
