package dev.jbox.network;

import dev.jbox.JboxException;
import java.io.IOException;
import java.net.Inet4Address;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The three files a container reads to know its own name and how to find others:
 * {@code /etc/hosts}, {@code /etc/hostname} and {@code /etc/resolv.conf}. As Docker does, the
 * engine keeps one of each per container, in the container's directory, and bind-mounts them
 * over the image's, so the image is never changed and the engine can rewrite them while the
 * container runs.
 */
public final class EtcFiles {
    public static final String HOSTS = "hosts", HOSTNAME = "hostname", RESOLV_CONF = "resolv.conf";
    static final Path HOST_RESOLV_CONF = Path.of("/etc/resolv.conf");
    /** Where systemd-resolved lists the real upstream servers behind its 127.0.0.53 stub. */
    static final Path RESOLVED_UPSTREAMS = Path.of("/run/systemd/resolve/resolv.conf");

    private EtcFiles() {
    }

    /** One line of /etc/hosts: an address and its names. */
    public record Entry(Inet4Address address, List<String> names) {
    }

    /**
     * {@code /etc/hosts} of a container: localhost, the container's own address and names, and
     * {@code peers} (the other containers of a user network; none on the default network, which
     * does not resolve names, as in Docker).
     */
    // tag::hosts[]
    public static String hosts(Entry self, String network, List<Entry> peers) {
        StringBuilder s = new StringBuilder("""
                127.0.0.1\tlocalhost
                ::1\tlocalhost ip6-localhost ip6-loopback
                fe00::0\tip6-localnet
                ff00::0\tip6-mcastprefix
                ff02::1\tip6-allnodes
                ff02::2\tip6-allrouters
                """);
        if (self != null) {
            s.append(line(self));
        }
        if (!peers.isEmpty()) {
            s.append("# the other containers on network ").append(network).append(", kept current by jbox\n");
            peers.forEach(p -> s.append(line(p)));
        }
        return s.toString();
    }
    // end::hosts[]

    private static String line(Entry e) {
        Set<String> names = new LinkedHashSet<>(e.names());
        return e.address().getHostAddress() + "\t" + String.join(" ", names) + "\n";
    }

    /**
     * {@code /etc/resolv.conf} of a container with a network namespace of its own: the host's,
     * without the nameservers it cannot reach. A loopback nameserver (systemd-resolved's
     * 127.0.0.53, dnsmasq's 127.0.0.1) listens in the host's namespace only; behind
     * systemd-resolved's stub, its upstream servers are used instead.
     */
    public static String resolvConf() {
        return resolvConf(read(HOST_RESOLV_CONF), Files.exists(RESOLVED_UPSTREAMS) ? read(RESOLVED_UPSTREAMS) : null);
    }

    static String resolvConf(String host, String resolvedUpstreams) {
        List<String> kept = new ArrayList<>();
        List<String> dropped = new ArrayList<>();
        for (String line : host.lines().toList()) {
            String[] f = line.strip().split("\\s+");
            if (f[0].equals("nameserver") && f.length > 1) {
                (isLoopback(f[1]) ? dropped : kept).add(line.strip());
            } else if (f[0].equals("search") || f[0].equals("domain") || f[0].equals("options")) {
                kept.add(line.strip());
            }
        }
        StringBuilder s = new StringBuilder("# made by jbox from the host's /etc/resolv.conf\n");
        if (!dropped.isEmpty()) {
            s.append("# left out, unreachable from the container's network namespace: ")
                    .append(String.join(", ", dropped.stream().map(d -> d.split("\\s+")[1]).toList())).append('\n');
        }
        boolean hasNameserver = kept.stream().anyMatch(l -> l.startsWith("nameserver"));
        if (!hasNameserver && resolvedUpstreams != null) {
            List<String> upstream = resolvedUpstreams.lines().map(String::strip)
                    .filter(l -> l.startsWith("nameserver") && !isLoopback(l.split("\\s+")[1])).toList();
            if (!upstream.isEmpty()) {
                s.append("# systemd-resolved's upstream servers (").append(RESOLVED_UPSTREAMS).append(")\n");
                kept.addAll(0, upstream);
                hasNameserver = true;
            }
        }
        if (!hasNameserver) {
            s.append("# no nameserver the container can reach: names other than those in /etc/hosts do not resolve;\n")
                    .append("# add one to the host's /etc/resolv.conf, or run with --network host\n");
        }
        kept.forEach(l -> s.append(l).append('\n'));
        return s.toString();
    }

    /** The host's own file, unchanged: what a container on the host's network (--network host) gets. */
    public static String hostFile(String name) {
        return read(Path.of("/etc", name));
    }

    static boolean isLoopback(String address) {
        return address.startsWith("127.") || address.equals("::1");
    }

    /**
     * Replaces the file's content without replacing the file: a bind mount holds on to the
     * inode, so a new file renamed over the old one would never be seen inside the container.
     * The new text is written over the old, then the rest cut off, so a reader never finds the
     * file empty.
     */
    public static void writeInPlace(Path file, String content) {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            while (b.hasRemaining()) {
                ch.write(b, b.position());
            }
            ch.truncate(bytes.length);
        } catch (IOException e) {
            throw new JboxException("cannot write " + file + ": " + e.getMessage());
        }
    }

    /** Writes every file of {@code contents} (name to text) into {@code directory}, in place. */
    public static void writeAll(Path directory, Map<String, String> contents) {
        contents.forEach((name, text) -> writeInPlace(directory.resolve(name), text));
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "";
        }
    }
}
