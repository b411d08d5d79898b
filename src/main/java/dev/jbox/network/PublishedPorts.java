package dev.jbox.network;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the published ports back from the rules: jbox keeps no other record of them. Each DNAT
 * rule ({@link IptablesRules#publishedPort}) names its container in a comment, so any jbox
 * process, even after a crash, finds a container's ports, and the ports that are taken, from
 * iptables alone.
 */
final class PublishedPorts {
    /** A published port found in the rules, with the container it leads to. */
    record Published(String containerId, PortMapping port) {
    }

    private static final Pattern DNAT = Pattern.compile("^-A (\\S+) (?:-d (\\S+)/32 )?-p (tcp|udp) -m \\3 --dport (\\d+)"
            + " -m comment --comment \"?" + Pattern.quote(IptablesRules.CONTAINER_TAG) + "([^\" ]+)\"?"
            + " -j DNAT --to-destination \\S+:(\\d+)$");
    private static final Pattern CONTAINER_ID = Pattern.compile("[A-Za-z0-9_.-]+");

    private PublishedPorts() {
    }

    /** Every port published in {@code dnatChain}, in the order of the rules. */
    static List<Published> in(SavedRules saved, String dnatChain) {
        List<Published> result = new ArrayList<>();
        for (String line : saved.lines("nat")) {
            Matcher m = DNAT.matcher(line);
            if (m.matches() && m.group(1).equals(dnatChain)) {
                result.add(new Published(m.group(5), new PortMapping(
                        m.group(2) == null ? null : Ipv4Subnet.parseAddress(m.group(2)),
                        Integer.parseInt(m.group(4)), Integer.parseInt(m.group(6)), m.group(3))));
            }
        }
        return result;
    }

    /** Whether {@code savedLine} was written for {@code containerId}. */
    static boolean isFor(String savedLine, String containerId) {
        return savedLine.contains("--comment " + IptablesRules.CONTAINER_TAG + containerId + " ")
                || savedLine.contains("--comment \"" + IptablesRules.CONTAINER_TAG + containerId + "\"");
    }

    /** Container ids go into rules' comments: refuse anything a shell or iptables would read differently. */
    static void checkId(String containerId) {
        if (!CONTAINER_ID.matcher(containerId).matches()) {
            throw new IllegalArgumentException("container id \"" + containerId + "\" may hold only letters, digits, '_', '.', '-'");
        }
    }
}
