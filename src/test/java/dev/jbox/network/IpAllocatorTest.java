package dev.jbox.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jbox.JboxException;
import java.net.Inet4Address;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IpAllocatorTest {
    @TempDir
    Path dir;

    private final Ipv4Subnet subnet = Ipv4Subnet.parse("10.77.0.0/16");

    @Test
    void firstContainerGetsDot2AndAddressesAreReusedLowestFirst() {
        IpAllocator a = new IpAllocator(dir, subnet);
        assertThat(a.allocate("c1").getHostAddress()).isEqualTo("10.77.0.2");
        assertThat(a.allocate("c2").getHostAddress()).isEqualTo("10.77.0.3");
        assertThat(a.allocate("c1").getHostAddress()).as("same container, same address").isEqualTo("10.77.0.2");
        assertThat(a.release("c1")).isTrue();
        assertThat(a.release("c1")).isFalse();
        assertThat(a.allocate("c3").getHostAddress()).isEqualTo("10.77.0.2");
    }

    @Test
    void survivesTheProcessInAReadableFile() throws Exception {
        new IpAllocator(dir, subnet).allocate("web");
        IpAllocator later = new IpAllocator(dir, subnet);
        assertThat(later.lookup("web").map(Inet4Address::getHostAddress)).contains("10.77.0.2");
        assertThat(Files.readString(dir.resolve("addresses.json")))
                .contains("\"subnet\" : \"10.77.0.0/16\"").contains("\"web\" : \"10.77.0.2\"");
    }

    @Test
    void neverGivesTheNetworkTheGatewayOrTheBroadcast() {
        IpAllocator a = new IpAllocator(dir, Ipv4Subnet.parse("192.168.7.0/30"));
        assertThat(a.allocate("only").getHostAddress()).isEqualTo("192.168.7.2");
        assertThatThrownBy(() -> a.allocate("one-too-many"))
                .isInstanceOf(JboxException.class)
                .hasMessage("no free address left in 192.168.7.0/30 (1 containers hold one); remove some containers"
                        + " or choose a wider subnet with JBOX_SUBNET");
    }

    @Test
    void refusesToSwitchSubnetUnderAttachedContainers() {
        new IpAllocator(dir, subnet).allocate("c1");
        IpAllocator other = new IpAllocator(dir, Ipv4Subnet.parse("10.78.0.0/16"));
        assertThatThrownBy(() -> other.allocate("c2")).hasMessage(
                "1 container(s) hold addresses in 10.77.0.0/16, not 10.78.0.0/16; remove them before changing the subnet");
        new IpAllocator(dir, subnet).release("c1");
        assertThat(other.allocate("c2").getHostAddress()).isEqualTo("10.78.0.2");
    }

    @Test
    void concurrentAllocationsNeverShareAnAddress() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Inet4Address>> futures = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                String id = "c" + i;
                // a fresh allocator per call, as separate jbox processes would have
                futures.add(pool.submit(() -> new IpAllocator(dir, subnet).allocate(id)));
            }
            Set<Inet4Address> seen = new HashSet<>();
            for (Future<Inet4Address> f : futures) {
                seen.add(f.get());
            }
            assertThat(seen).hasSize(100);
            assertThat(new IpAllocator(dir, subnet).allocations()).hasSize(100);
        } finally {
            pool.shutdownNow();
        }
    }
}
