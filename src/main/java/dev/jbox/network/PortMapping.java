package dev.jbox.network;

import java.net.Inet4Address;
import java.util.Locale;

/**
 * A published port, as {@code -p} writes it: {@code 8080:80}, {@code 127.0.0.1:8080:80},
 * {@code 5353:53/udp}. Connections to {@code hostPort} on the host (on {@code hostAddress}
 * only, when given) reach {@code containerPort} in the container.
 *
 * @param hostAddress null for every address of the host
 * @param protocol    "tcp" or "udp"
 */
public record PortMapping(Inet4Address hostAddress, int hostPort, int containerPort, String protocol) {
    public PortMapping {
        checkPort(hostPort, "host");
        checkPort(containerPort, "container");
        if (!"tcp".equals(protocol) && !"udp".equals(protocol)) {
            throw new IllegalArgumentException("protocol \"" + protocol + "\" is neither tcp nor udp");
        }
    }

    public static PortMapping parse(String spec) {
        String protocol = "tcp";
        String rest = spec;
        int slash = spec.lastIndexOf('/');
        if (slash >= 0) {
            protocol = spec.substring(slash + 1).toLowerCase(Locale.ROOT);
            rest = spec.substring(0, slash);
        }
        String[] parts = rest.split(":", -1);
        try {
            return switch (parts.length) {
                case 2 -> new PortMapping(null, Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), protocol);
                case 3 -> new PortMapping(Ipv4Subnet.parseAddress(parts[0]), Integer.parseInt(parts[1]),
                        Integer.parseInt(parts[2]), protocol);
                default -> throw new IllegalArgumentException(usage(spec));
            };
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(usage(spec));
        }
    }

    @Override
    public String toString() {
        return (hostAddress == null ? "" : hostAddress.getHostAddress() + ":") + hostPort + ":" + containerPort
                + "/" + protocol;
    }

    private static String usage(String spec) {
        return "port \"" + spec + "\" is not HOSTPORT:CONTAINERPORT[/udp] or IP:HOSTPORT:CONTAINERPORT[/udp]";
    }

    private static void checkPort(int port, String which) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException(which + " port " + port + " is not between 1 and 65535");
        }
    }
}
