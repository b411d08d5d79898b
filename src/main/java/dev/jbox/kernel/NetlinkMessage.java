package dev.jbox.kernel;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;

/**
 * Writes one netlink request, the way {@code ip} builds its own: a 16-byte header, a fixed
 * family header ({@code ifinfomsg}, {@code ifaddrmsg} or {@code rtmsg}), then attributes.
 * An attribute is {@code {u16 length, u16 type, payload}} padded to 4 bytes; a nested attribute
 * is one whose payload is more attributes, so {@link #begin} remembers where it started and
 * {@link #end} writes its length once its contents are known.
 *
 * <pre>{@code
 * // ip link add jbox0 type bridge
 * new NetlinkMessage(RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL)
 *         .ifinfomsg(AF_UNSPEC, 0, 0, 0)
 *         .string(IFLA_IFNAME, "jbox0")
 *         .begin(IFLA_LINKINFO).string(IFLA_INFO_KIND, "bridge").end();
 * }</pre>
 * Integers are in the machine's byte order (netlink is host-local), except IP addresses,
 * which are in network order as everywhere.
 */
final class NetlinkMessage {
    static final int HEADER_SIZE = 16;
    static final int NLM_F_REQUEST = 0x1;

    private ByteBuffer buffer = ByteBuffer.allocate(256).order(ByteOrder.nativeOrder());
    private final Deque<Integer> nests = new ArrayDeque<>();
    private final int type;

    /** {@code flags} are added to NLM_F_REQUEST; the socket adds NLM_F_ACK or NLM_F_DUMP. */
    NetlinkMessage(int type, int flags) {
        this.type = type;
        buffer.putInt(0)                     // nlmsg_len: patched by bytes()
                .putShort((short) type)      // nlmsg_type
                .putShort((short) (flags | NLM_F_REQUEST))
                .putInt(0)                   // nlmsg_seq: set by the socket
                .putInt(0);                  // nlmsg_pid: 0 means "to the kernel"
    }

    int type() {
        return type;
    }

    /** struct ifinfomsg: which link, and which of its IFF_* flags to change ({@code change} is the mask). */
    NetlinkMessage ifinfomsg(int family, int index, int flags, int change) {
        ensure(16);
        buffer.put((byte) family).put((byte) 0).putShort((short) 0).putInt(index).putInt(flags).putInt(change);
        return this;
    }

    /** struct ifaddrmsg: an address of {@code prefixLength} bits on link {@code index}. */
    NetlinkMessage ifaddrmsg(int family, int prefixLength, int scope, int index) {
        ensure(8);
        buffer.put((byte) family).put((byte) prefixLength).put((byte) 0).put((byte) scope).putInt(index);
        return this;
    }

    /** struct rtmsg: a route to a destination of {@code destinationLength} bits. */
    NetlinkMessage rtmsg(int family, int destinationLength, int table, int protocol, int scope, int routeType) {
        ensure(12);
        buffer.put((byte) family).put((byte) destinationLength).put((byte) 0).put((byte) 0)
                .put((byte) table).put((byte) protocol).put((byte) scope).put((byte) routeType).putInt(0);
        return this;
    }

    /** A NUL-terminated string attribute, as the kernel expects for names and kinds. */
    NetlinkMessage string(int attribute, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        return bytes(attribute, Arrays.copyOf(bytes, bytes.length + 1));
    }

    NetlinkMessage u32(int attribute, int value) {
        return bytes(attribute, ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(value).array());
    }

    NetlinkMessage bytes(int attribute, byte[] payload) {
        ensure(4 + payload.length + 3);
        buffer.putShort((short) (4 + payload.length)).putShort((short) attribute).put(payload);
        pad();
        return this;
    }

    /** Opens a nested attribute; every attribute until the matching {@link #end} goes inside it. */
    NetlinkMessage begin(int attribute) {
        ensure(4);
        nests.push(buffer.position());
        buffer.putShort((short) 0).putShort((short) attribute);
        return this;
    }

    NetlinkMessage end() {
        int start = nests.pop();
        buffer.putShort(start, (short) (buffer.position() - start));
        return this;
    }

    /** The finished message with sequence number {@code seq}. */
    byte[] bytes(int seq) {
        if (!nests.isEmpty()) {
            throw new IllegalStateException("netlink message has " + nests.size() + " unclosed nested attribute(s)");
        }
        ByteBuffer out = buffer.duplicate().order(ByteOrder.nativeOrder());
        out.putInt(0, buffer.position()).putInt(8, seq);
        return Arrays.copyOf(out.array(), buffer.position());
    }

    private void pad() {
        while (buffer.position() % 4 != 0) {
            buffer.put((byte) 0);
        }
    }

    private void ensure(int more) {
        if (buffer.remaining() < more) {
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(buffer.capacity() * 2, buffer.position() + more))
                    .order(ByteOrder.nativeOrder());
            buffer.flip();
            bigger.put(buffer);
            buffer = bigger;
        }
    }
}
