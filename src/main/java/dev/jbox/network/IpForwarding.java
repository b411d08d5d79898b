package dev.jbox.network;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * {@code net.ipv4.ip_forward}: whether the kernel passes packets from one interface to another.
 * Containers need it for everything that crosses the host: reaching other networks, and being
 * reached on published ports from other machines or from containers. It is one switch for the
 * whole network namespace, and it turns the host into a router for every interface, not just
 * jbox's bridges: what jbox's chains do not decide falls to the FORWARD policy.
 *
 * <p>jbox turns it on only when it is off, and notes the old value in
 * {@code STATE/ip_forward.before}, shared by every network of the store, so that removing the
 * last network (or {@code jbox system reset}) puts it back.
 */
final class IpForwarding {
    static final String KEY = "net.ipv4.ip_forward";

    private final Netns host;
    private final Path record;

    IpForwarding(Netns host, Path stateDirectory) {
        this.host = host;
        this.record = stateDirectory.resolve("ip_forward.before");
    }

    void enable() {
        String before = Sysctl.read(host, KEY);
        if ("1".equals(before)) {
            return;
        }
        try {
            Files.createDirectories(record.getParent());
            if (!Files.exists(record)) {
                Files.writeString(record, before + "\n");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + record, e);
        }
        Sysctl.write(host, KEY, "1");
    }

    /** Whether jbox turned it on (and will turn it off again in {@link #restore}). */
    boolean changedByJbox() {
        return Files.exists(record);
    }

    /** Puts back the value jbox found, if jbox changed it; returns that value. */
    Optional<String> restore() {
        if (!Files.exists(record)) {
            return Optional.empty();
        }
        try {
            String before = Files.readString(record).trim();
            Sysctl.write(host, KEY, before);
            Files.delete(record);
            return Optional.of(before);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + record, e);
        }
    }
}
