package dev.jbox.network;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads and writes {@code /proc/sys/net} settings of one network namespace. They are per
 * namespace, and the kernel picks the namespace of the thread that opens the file, so for
 * another namespace the file is opened from a thread inside it ({@link Netns#call}).
 */
final class Sysctl {
    private Sysctl() {
    }

    /** {@code key} as sysctl(8) writes it, e.g. {@code net.ipv4.ip_forward}. */
    static String read(Netns netns, String key) {
        return netns.call(() -> {
            try {
                return Files.readString(path(key)).trim();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + path(key), e);
            }
        });
    }

    static void write(Netns netns, String key, String value) {
        netns.call(() -> {
            try {
                return Files.writeString(path(key), value);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + value + " to " + path(key), e);
            }
        });
    }

    /** {@code net.ipv4.conf.jbox0.route_localnet} is {@code /proc/sys/net/ipv4/conf/jbox0/route_localnet}. */
    static Path path(String key) {
        return Path.of("/proc/sys", key.replace('.', '/'));
    }
}
