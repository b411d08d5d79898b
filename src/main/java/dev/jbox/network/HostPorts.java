package dev.jbox.network;

import dev.jbox.JboxException;
import java.io.IOException;
import java.net.BindException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;

/**
 * Checks that the host ports a container asks for are free. Published ports are kernel DNAT
 * rules, not sockets, so nothing stops a program on the host from listening on the same port;
 * the rule would then silently steal its connections. Docker's docker-proxy finds out by
 * binding the port (and keeps it bound); jbox has no daemon to hold it, so it binds the port
 * once, as a test, and lets it go.
 */
final class HostPorts {
    private HostPorts() {
    }

    /** Refuses a port given twice, or one a program of {@code host} already uses. */
    static void checkFree(Netns host, List<PortMapping> ports) {
        for (int i = 0; i < ports.size(); i++) {
            for (int j = 0; j < i; j++) {
                if (clash(ports.get(i), ports.get(j))) {
                    throw new JboxException("host port " + ports.get(i).hostPort() + "/" + ports.get(i).protocol()
                            + " is published twice (" + ports.get(j) + " and " + ports.get(i) + "); publish it once");
                }
            }
        }
        if (ports.isEmpty()) {
            return;
        }
        host.call(() -> {
            for (PortMapping port : ports) {
                tryBind(port);
            }
            return null;
        });
    }

    /** Whether two mappings claim the same host port (for the same protocol, on a common address). */
    static boolean clash(PortMapping a, PortMapping b) {
        return a.protocol().equals(b.protocol()) && a.hostPort() == b.hostPort()
                && (a.hostAddress() == null || b.hostAddress() == null || a.hostAddress().equals(b.hostAddress()));
    }

    private static void tryBind(PortMapping port) {
        InetAddress address = port.hostAddress();
        InetSocketAddress where = address == null ? new InetSocketAddress(port.hostPort())
                : new InetSocketAddress(address, port.hostPort());
        try {
            if (port.protocol().equals("tcp")) {
                try (ServerSocket s = new ServerSocket()) {
                    s.bind(where);
                }
            } else {
                try (DatagramSocket s = new DatagramSocket(null)) {
                    s.bind(where);
                }
            }
        } catch (BindException e) {
            String why = String.valueOf(e.getMessage());
            if (why.contains("Cannot assign requested address")) {
                throw new JboxException("cannot publish " + port + ": " + address.getHostAddress()
                        + " is not an address of this host; give one of its addresses, or none for all of them");
            }
            throw new JboxException("host port " + port.hostPort() + "/" + port.protocol() + " is already in use on this host ("
                    + why + "); stop what listens there (ss -lntup | grep :" + port.hostPort() + ") or choose another host port");
        } catch (IOException e) {
            throw new JboxException("cannot check host port " + port + ": " + e.getMessage());
        }
    }
}
