package dev.jbox.kernel;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One message the kernel sent back: its header fields and its payload (the family header,
 * then attributes). {@link #split} cuts a received datagram into messages; {@link #attributes}
 * reads the attributes after a family header of a given size.
 */
record NetlinkReply(int type, int flags, int seq, ByteBuffer payload) {
    static final int NLMSG_ERROR = 2;
    static final int NLMSG_DONE = 3;

    /** Every message in one datagram (a dump packs several into each). */
    static List<NetlinkReply> split(ByteBuffer datagram) {
        ByteBuffer in = datagram.duplicate().order(ByteOrder.nativeOrder());
        List<NetlinkReply> messages = new ArrayList<>();
        while (in.remaining() >= NetlinkMessage.HEADER_SIZE) {
            int start = in.position();
            int length = in.getInt(start);
            if (length < NetlinkMessage.HEADER_SIZE || length > in.remaining()) {
                throw new IllegalStateException("malformed netlink message: length " + length
                        + " with " + in.remaining() + " bytes left");
            }
            int type = Short.toUnsignedInt(in.getShort(start + 4));
            int flags = Short.toUnsignedInt(in.getShort(start + 6));
            int seq = in.getInt(start + 8);
            ByteBuffer payload = in.slice(start + NetlinkMessage.HEADER_SIZE, length - NetlinkMessage.HEADER_SIZE)
                    .order(ByteOrder.nativeOrder());
            messages.add(new NetlinkReply(type, flags, seq, payload));
            in.position(Math.min(in.limit(), start + align(length)));
        }
        return messages;
    }

    /** The attributes that follow a family header of {@code headerSize} bytes, by type (last one wins). */
    Map<Integer, ByteBuffer> attributes(int headerSize) {
        return parseAttributes(payload, headerSize);
    }

    static Map<Integer, ByteBuffer> parseAttributes(ByteBuffer buffer, int offset) {
        Map<Integer, ByteBuffer> attributes = new HashMap<>();
        int position = offset;
        while (position + 4 <= buffer.limit()) {
            int length = Short.toUnsignedInt(buffer.getShort(position));
            int type = Short.toUnsignedInt(buffer.getShort(position + 2)) & 0x3fff; // drop NESTED/BYTEORDER bits
            if (length < 4 || position + length > buffer.limit()) {
                break;
            }
            attributes.put(type, buffer.slice(position + 4, length - 4).order(ByteOrder.nativeOrder()));
            position += align(length);
        }
        return attributes;
    }

    static String string(ByteBuffer attribute) {
        int end = 0;
        while (end < attribute.limit() && attribute.get(end) != 0) {
            end++;
        }
        byte[] bytes = new byte[end];
        attribute.get(0, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    static Inet4Address ipv4(ByteBuffer attribute) {
        byte[] bytes = new byte[4];
        attribute.get(0, bytes);
        try {
            return (Inet4Address) InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // four bytes are always an address
        }
    }

    static int align(int length) {
        return (length + 3) & ~3;
    }
}
