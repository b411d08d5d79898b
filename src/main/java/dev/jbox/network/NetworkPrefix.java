package dev.jbox.network;

import dev.jbox.JboxException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The names jbox gives to what it creates on the host, all derived from one prefix
 * ({@code jbox} unless {@code JBOX_NETWORK_PREFIX} says otherwise): bridges {@code jbox0} (the
 * default network) and {@code jbox1}, {@code jbox2}... (user networks), host ends of veth
 * pairs {@code jbox-} plus a hash of the container id, and the iptables chains {@code JBOX},
 * {@code JBOX-FORWARD}... Bridges and chains are global to the network namespace, so a second
 * store (or a test suite beside a reader's containers) takes a prefix of its own.
 */
public record NetworkPrefix(String prefix) {
    /** At most 8 characters: the veth prefix plus a 6-hex-digit hash must fit in 15. */
    private static final Pattern VALID = Pattern.compile("[a-z][a-z0-9]{0,7}");
    public static final String DEFAULT_PREFIX = "jbox";

    public NetworkPrefix {
        if (!VALID.matcher(prefix).matches()) {
            throw new JboxException("network prefix '" + prefix + "' must be 1 to 8 lower-case letters or digits,"
                    + " starting with a letter (JBOX_NETWORK_PREFIX), e.g. jbox2");
        }
    }

    /** {@code JBOX_NETWORK_PREFIX}, or {@code jbox}. */
    public static NetworkPrefix fromEnvironment() {
        String env = System.getenv("JBOX_NETWORK_PREFIX");
        return new NetworkPrefix(env == null || env.isBlank() ? DEFAULT_PREFIX : env.strip());
    }

    /** {@code jbox0} for the default network, {@code jbox1}... for user networks. */
    public String bridge(int number) {
        return prefix + number;
    }

    public String vethPrefix() {
        return prefix + "-";
    }

    public String chainPrefix() {
        return prefix.toUpperCase(Locale.ROOT);
    }

    /** A network with NAT: every jbox network has it (Docker's --internal is not implemented). */
    public NetworkDefinition definition(String name, String bridge, Ipv4Subnet subnet) {
        return new NetworkDefinition(name, bridge, subnet, vethPrefix(), chainPrefix(), true);
    }
}
