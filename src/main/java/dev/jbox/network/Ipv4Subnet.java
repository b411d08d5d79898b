package dev.jbox.network;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** An IPv4 network such as {@code 10.77.0.0/16}: plain arithmetic on 32-bit addresses. */
public record Ipv4Subnet(int network, int prefixLength) {
    public Ipv4Subnet {
        if (prefixLength < 0 || prefixLength > 32) {
            throw new IllegalArgumentException("prefix length " + prefixLength + " is not between 0 and 32");
        }
        if ((network & ~mask(prefixLength)) != 0) {
            throw new IllegalArgumentException(format(network) + "/" + prefixLength
                    + " has host bits set; the network is " + format(network & mask(prefixLength)) + "/" + prefixLength);
        }
    }

    /** Parses {@code "10.77.0.0/16"}. */
    public static Ipv4Subnet parse(String cidr) {
        int slash = cidr.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("subnet \"" + cidr + "\" needs a prefix length, e.g. 10.77.0.0/16");
        }
        int prefix;
        try {
            prefix = Integer.parseInt(cidr.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("subnet \"" + cidr + "\" has no valid prefix length");
        }
        return new Ipv4Subnet(toInt(parseAddress(cidr.substring(0, slash))), prefix);
    }

    public static Ipv4Subnet of(Inet4Address address, int prefixLength) {
        return new Ipv4Subnet(toInt(address) & mask(prefixLength), prefixLength);
    }

    public static Inet4Address parseAddress(String dotted) {
        String[] parts = dotted.split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("\"" + dotted + "\" is not an IPv4 address like 10.77.0.1");
        }
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            int value;
            try {
                value = Integer.parseInt(parts[i]);
            } catch (NumberFormatException e) {
                value = -1;
            }
            if (value < 0 || value > 255) {
                throw new IllegalArgumentException("\"" + dotted + "\" is not an IPv4 address like 10.77.0.1");
            }
            bytes[i] = (byte) value;
        }
        return toAddress(bytes);
    }

    public boolean contains(Inet4Address address) {
        return (toInt(address) & mask(prefixLength)) == network;
    }

    /** Whether the two networks share any address (one then contains the other). */
    public boolean overlaps(Ipv4Subnet other) {
        int shorter = Math.min(prefixLength, other.prefixLength);
        return (network & mask(shorter)) == (other.network & mask(shorter));
    }

    /** The {@code n}-th address of the network: 0 is the network itself, 1 the usual gateway. */
    public Inet4Address address(long n) {
        if (n < 0 || n >= size()) {
            throw new IllegalArgumentException("address number " + n + " is outside " + this);
        }
        return fromInt(network + (int) n);
    }

    /** Where {@code address} lies in the network: the inverse of {@link #address(long)}. */
    public long indexOf(Inet4Address address) {
        if (!contains(address)) {
            throw new IllegalArgumentException(address.getHostAddress() + " is not in " + this);
        }
        return Integer.toUnsignedLong(toInt(address) - network);
    }

    /** How many addresses, network and broadcast included. */
    public long size() {
        return 1L << (32 - prefixLength);
    }

    /** By convention the first address after the network's own: the bridge's address. */
    public Inet4Address gateway() {
        return address(1);
    }

    @Override
    public String toString() {
        return format(network) + "/" + prefixLength;
    }

    static int mask(int prefixLength) {
        return prefixLength == 0 ? 0 : -1 << (32 - prefixLength);
    }

    static int toInt(Inet4Address address) {
        byte[] b = address.getAddress();
        return (b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | (b[3] & 0xff);
    }

    static Inet4Address fromInt(int value) {
        return toAddress(new byte[] {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value});
    }

    private static Inet4Address toAddress(byte[] bytes) {
        try {
            return (Inet4Address) InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // four bytes are always an address
        }
    }

    private static String format(int value) {
        return fromInt(value).getHostAddress();
    }
}
