package dev.jbox.registry.client;

import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which registries may be spoken to over plain HTTP, as Docker decides it: loopback addresses
 * (localhost, 127.0.0.0/8, ::1) and the registries named insecure ({@code --insecure-registry}, or
 * {@code JBOX_INSECURE_REGISTRIES}, comma-separated). Everything else gets HTTPS or nothing: a
 * password or a layer must not cross a network in the clear because a server asked for it.
 * A host name is never resolved to decide: a DNS answer must not turn TLS off.
 */
public final class InsecureRegistries {
    public static final String ENV = "JBOX_INSECURE_REGISTRIES";
    private final Set<String> named;

    public InsecureRegistries(Iterable<String> named) {
        this.named = new TreeSet<>();
        for (String n : named) {
            if (n != null && !n.isBlank()) {
                this.named.add(CredentialStore.normalise(n.strip().toLowerCase(Locale.ROOT)));
            }
        }
    }

    /** The registries named by the command line and by {@value #ENV}. */
    public static InsecureRegistries of(Iterable<String> fromCommandLine) {
        Set<String> all = new TreeSet<>();
        fromCommandLine.forEach(all::add);
        String env = System.getenv(ENV);
        if (env != null) {
            all.addAll(Arrays.asList(env.split(",")));
        }
        return new InsecureRegistries(all);
    }

    /** @param registry HOST[:PORT] as an image reference names it */
    public boolean allowsPlainHttp(String registry) {
        String r = registry.toLowerCase(Locale.ROOT);
        return named.contains(r) || named.contains(host(r)) || isLoopback(host(r));
    }

    static String host(String registry) {
        if (registry.startsWith("[")) {
            int end = registry.indexOf(']');
            return end < 0 ? registry : registry.substring(1, end);
        }
        int colon = registry.lastIndexOf(':');
        return colon < 0 ? registry : registry.substring(0, colon);
    }

    static boolean isLoopback(String host) {
        return host.equals("localhost") || host.equals("::1") || host.equals("0:0:0:0:0:0:0:1")
                || host.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
    }
}
