package dev.jbox.network;

import java.net.Inet4Address;
import java.util.List;

/**
 * A container plugged into a network: what {@code jbox inspect} would show, and what the
 * runtime may write into the container's /etc/hosts.
 *
 * @param hostVeth           the host end of the veth pair, on the bridge
 * @param containerInterface the container's end, inside its namespace ({@code eth0})
 */
public record Attachment(String containerId, String network, String hostVeth, String containerInterface,
                         Inet4Address address, int prefixLength, Inet4Address gateway, List<PortMapping> ports) {
    public Attachment {
        ports = List.copyOf(ports);
    }
}
