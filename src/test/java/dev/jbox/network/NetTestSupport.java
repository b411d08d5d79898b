package dev.jbox.network;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * Shared by the networking tests: unique names, shell checks with the real {@code ip} and
 * {@code iptables} (an independent witness of what our netlink code did), and tiny TCP/UDP
 * servers that answer with the address they saw the client come from.
 */
public final class NetTestSupport {
    /** Every name a networking test creates starts with this, so leak checks can find them. */
    public static final String TAG = "jbt";
    private static final SecureRandom RANDOM = new SecureRandom();

    private NetTestSupport() {
    }

    /** {@code jbt} plus 4 random hex digits: room left for a suffix within 15 characters. */
    public static String uniqueName() {
        byte[] b = new byte[2];
        RANDOM.nextBytes(b);
        return TAG + HexFormat.of().formatHex(b);
    }

    /** A random /24 in 10.213.0.0/16 that none of the host's routes overlaps. */
    public static Ipv4Subnet freeSubnet() {
        return freeSubnet("10.213");
    }

    /** A random /24 in {@code first2}.0.0/16 (e.g. "10.214") that none of the host's routes overlaps. */
    public static Ipv4Subnet freeSubnet(String first2) {
        for (int attempt = 0; attempt < 50; attempt++) {
            Ipv4Subnet candidate = Ipv4Subnet.parse(first2 + "." + RANDOM.nextInt(256) + ".0/24");
            boolean clash = sh("ip", "-4", "-o", "route", "show", "table", "all").lines()
                    .map(l -> java.util.regex.Pattern.compile("(\\d+\\.\\d+\\.\\d+\\.\\d+)(/\\d+)?").matcher(l))
                    .filter(java.util.regex.Matcher::find)
                    .map(m -> Ipv4Subnet.of(ip(m.group(1)), m.group(2) == null ? 32 : Integer.parseInt(m.group(2).substring(1))))
                    .anyMatch(route -> route.prefixLength() > 0 && route.overlaps(candidate));
            if (!clash) {
                return candidate;
            }
        }
        throw new IllegalStateException("no free /24 in " + first2 + ".0.0/16");
    }

    /** Runs a command, fails the test on a non-zero exit, returns stdout and stderr. */
    public static String sh(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int exit = p.waitFor();
            if (exit != 0) {
                throw new AssertionError(String.join(" ", command) + " exited " + exit + ": " + out);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** A command run inside {@code netns} with nsenter, e.g. {@code inNetns(ns, "ip", "-o", "addr")}. */
    public static String inNetns(Netns netns, String... command) {
        List<String> all = new ArrayList<>(List.of("nsenter", "--net=" + netns.path()));
        all.addAll(Arrays.asList(command));
        return sh(all.toArray(String[]::new));
    }

    /**
     * What the host holds that a networking test could have made: links, IPv4 addresses and
     * routes, named network namespaces and iptables lines mentioning {@link #TAG} (any case),
     * and the host's ip_forward.
     */
    public static List<String> hostState() {
        List<String> state = new ArrayList<>();
        addTagged(state, "link: ", sh("ip", "-o", "link", "show"));
        addTagged(state, "addr: ", sh("ip", "-o", "-4", "addr", "show"));
        addTagged(state, "route: ", sh("ip", "-4", "route", "show", "table", "all"));
        addTagged(state, "netns: ", sh("ip", "netns", "list"));
        addTagged(state, "iptables: ", sh("iptables-save"));
        state.add("ip_forward=" + sh("cat", "/proc/sys/net/ipv4/ip_forward").trim());
        return state;
    }

    private static void addTagged(List<String> state, String label, String lines) {
        lines.lines().filter(l -> l.toLowerCase().contains(TAG)).map(l -> label + l.replaceAll("\\s+", " ").trim())
                .forEach(state::add);
    }

    /** A TCP server in {@code netns}, bound before this returns; it answers one client per {@link #serveOnce}. */
    public static ServerSocket tcpServer(Netns netns, Inet4Address address, int port) {
        return netns.call(() -> {
            ServerSocket server = new ServerSocket();
            server.setReuseAddress(true);
            server.setSoTimeout(10_000);
            server.bind(new InetSocketAddress(address, port));
            return server;
        });
    }

    /** Accepts one client on a background thread and answers {@code "NAME saw ADDRESS: LINE"}. */
    public static Thread serveOnce(ServerSocket server, String name) {
        Thread t = new Thread(() -> {
            try (Socket client = server.accept()) {
                BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8));
                String line = in.readLine();
                String peer = ((InetSocketAddress) client.getRemoteSocketAddress()).getAddress().getHostAddress();
                new PrintWriter(client.getOutputStream(), true, StandardCharsets.UTF_8).println(name + " saw " + peer + ": " + line);
            } catch (IOException e) {
                // the client's assertion reports the failure
            }
        }, "serve-" + name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Connects from {@code netns} (a socket made there), sends a line, returns the answer. */
    public static String tcpAsk(Netns netns, InetSocketAddress to, String line) {
        Socket socket = netns.call(() -> {
            Socket s = new Socket();
            s.setSoTimeout(5_000);
            s.connect(to, 5_000);
            return s;
        });
        try (socket) {
            new PrintWriter(socket.getOutputStream(), true, StandardCharsets.UTF_8).println(line);
            return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8)).readLine();
        } catch (IOException e) {
            throw new UncheckedIOException("talking to " + to, e);
        }
    }

    /** A UDP socket in {@code netns} bound to {@code address:port}, answering one datagram on a background thread. */
    public static DatagramSocket udpServer(Netns netns, Inet4Address address, int port, String name) {
        DatagramSocket socket = netns.call(() -> {
            DatagramSocket s = new DatagramSocket(new InetSocketAddress(address, port));
            s.setSoTimeout(10_000);
            return s;
        });
        Thread t = new Thread(() -> {
            try {
                DatagramPacket in = new DatagramPacket(new byte[1500], 1500);
                socket.receive(in);
                String text = new String(in.getData(), 0, in.getLength(), StandardCharsets.UTF_8);
                byte[] answer = (name + " saw " + in.getAddress().getHostAddress() + ": " + text).getBytes(StandardCharsets.UTF_8);
                socket.send(new DatagramPacket(answer, answer.length, in.getSocketAddress()));
            } catch (IOException e) {
                // the client's assertion reports the failure
            }
        }, "udp-" + name);
        t.setDaemon(true);
        t.start();
        return socket;
    }

    /** Sends a datagram from {@code netns} and returns the answer. */
    public static String udpAsk(Netns netns, InetSocketAddress to, String text) {
        DatagramSocket socket = netns.call(() -> {
            DatagramSocket s = new DatagramSocket();
            s.setSoTimeout(5_000);
            return s;
        });
        try (socket) {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            socket.send(new DatagramPacket(bytes, bytes.length, to));
            DatagramPacket in = new DatagramPacket(new byte[1500], 1500);
            socket.receive(in);
            return new String(in.getData(), 0, in.getLength(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("UDP to " + to, e);
        }
    }

    public static Inet4Address ip(String dotted) {
        return Ipv4Subnet.parseAddress(dotted);
    }
}
