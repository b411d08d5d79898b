package dev.jbox.network;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EtcFilesTest {
    @TempDir
    Path dir;

    @Test
    void hostsListsTheContainerThenItsPeers() {
        var self = new EtcFiles.Entry(Ipv4Subnet.parseAddress("10.78.0.3"), List.of("api", "api"));
        var db = new EtcFiles.Entry(Ipv4Subnet.parseAddress("10.78.0.2"), List.of("db"));
        String hosts = EtcFiles.hosts(self, "backend", List.of(db));
        assertThat(hosts).startsWith("127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n")
                .endsWith("10.78.0.3\tapi\n# the other containers on network backend, kept current by jbox\n10.78.0.2\tdb\n");
        assertThat(EtcFiles.hosts(null, "none", List.of())).doesNotContain("#").endsWith("ff02::2\tip6-allrouters\n");
    }

    @Test
    void resolvConfKeepsReachableNameserversAndSearchDomains() {
        String host = "# from DHCP\nnameserver 192.0.2.53\nnameserver 127.0.0.1\nsearch lab.example\noptions edns0\n";
        assertThat(EtcFiles.resolvConf(host, null)).isEqualTo("""
                # made by jbox from the host's /etc/resolv.conf
                # left out, unreachable from the container's network namespace: 127.0.0.1
                nameserver 192.0.2.53
                search lab.example
                options edns0
                """);
    }

    @Test
    void behindSystemdResolvedItsUpstreamServersAreUsed() {
        String stub = "nameserver 127.0.0.53\noptions edns0 trust-ad\nsearch .\n";
        String upstream = "nameserver 192.0.2.1\nnameserver 192.0.2.2\nsearch .\n";
        assertThat(EtcFiles.resolvConf(stub, upstream)).isEqualTo("""
                # made by jbox from the host's /etc/resolv.conf
                # left out, unreachable from the container's network namespace: 127.0.0.53
                # systemd-resolved's upstream servers (/run/systemd/resolve/resolv.conf)
                nameserver 192.0.2.1
                nameserver 192.0.2.2
                options edns0 trust-ad
                search .
                """);
    }

    @Test
    void withOnlyLoopbackNameserversACommentSaysSo() {
        assertThat(EtcFiles.resolvConf("nameserver 127.0.0.53\n", null)).contains("no nameserver the container can reach")
                .doesNotContain("\nnameserver");
    }

    @Test
    void writingInPlaceKeepsTheInodeThatABindMountHolds() throws IOException {
        Path file = Files.writeString(dir.resolve("hosts"), "a much longer first version of the file\n");
        Object inode = Files.getAttribute(file, "unix:ino");
        EtcFiles.writeInPlace(file, "short\n");
        assertThat(Files.readString(file)).isEqualTo("short\n");
        EtcFiles.writeInPlace(file, "longer than short\n");
        assertThat(Files.readString(file)).isEqualTo("longer than short\n");
        assertThat(Files.getAttribute(file, "unix:ino")).isEqualTo(inode);
    }
}
