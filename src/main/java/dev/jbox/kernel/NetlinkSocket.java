package dev.jbox.kernel;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A NETLINK_ROUTE socket: the kernel's message interface for links, addresses and routes,
 * which {@code ip} uses too. A request goes out with a sequence number; the kernel answers
 * with messages carrying the same number and ends with an acknowledgement (an NLMSG_ERROR
 * whose error is 0) or, for a dump, NLMSG_DONE.
 *
 * <p>A netlink socket belongs to the network namespace of the thread that created it, for
 * its whole life, whichever thread later uses it. Not thread-safe: one request at a time.
 */
final class NetlinkSocket implements AutoCloseable {
    static final int NLM_F_ACK = 0x4;
    static final int NLM_F_DUMP = 0x300;
    private static final int NLM_F_CAPPED = 0x100;
    private static final int NLM_F_ACK_TLVS = 0x200;
    private static final int NLMSGERR_ATTR_MSG = 1;

    private static final int AF_NETLINK = 16;
    private static final int SOCK_RAW = 3;
    private static final int SOCK_CLOEXEC = Kernel.O_CLOEXEC;
    private static final int NETLINK_ROUTE = 0;
    private static final int SOL_NETLINK = 270;
    private static final int NETLINK_CAP_ACK = 10; // acks quote only our header, not the whole request
    private static final int NETLINK_EXT_ACK = 11; // errors come with the kernel's reason in words
    private static final int MSG_TRUNC = 0x20;
    // A dump fills datagrams of up to 32 KiB; twice that leaves room for any single reply.
    private static final int BUFFER_SIZE = 64 * 1024;
    /** struct sockaddr_nl of the kernel: family AF_NETLINK, pid 0, no groups. */
    private static final byte[] KERNEL = ByteBuffer.allocate(12).order(ByteOrder.nativeOrder())
            .putShort((short) AF_NETLINK).array();

    private final LibC c = Kernel.libc();
    private final int fd;
    private final Memory buffer = new Memory(BUFFER_SIZE);
    private int seq;

    private NetlinkSocket(int fd) {
        this.fd = fd;
    }

    /** Opens a socket in the calling thread's network namespace. */
    static NetlinkSocket open() {
        LibC c = Kernel.libc();
        int fd;
        try {
            fd = c.socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
        } catch (LastErrorException e) {
            throw new KernelException("socket(AF_NETLINK, SOCK_RAW|SOCK_CLOEXEC, NETLINK_ROUTE)", e.getErrorCode());
        }
        try {
            c.setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, new int[] {1}, 4);
            c.setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, new int[] {1}, 4);
            c.bind(fd, KERNEL, KERNEL.length); // port id 0 here asks the kernel to pick ours
        } catch (LastErrorException e) {
            Kernel.closeQuietly(fd);
            throw new KernelException("setsockopt/bind(netlink socket " + fd + ")", e.getErrorCode());
        }
        return new NetlinkSocket(fd);
    }

    /** Sends a request that changes something and waits for the kernel's acknowledgement. */
    void request(NetlinkMessage message, String description) {
        exchange(message, NLM_F_ACK, description);
    }

    /** Sends a "get" for one object and returns the kernel's answer (one message). */
    NetlinkReply get(NetlinkMessage message, String description) {
        List<NetlinkReply> replies = exchange(message, NLM_F_ACK, description);
        if (replies.isEmpty()) {
            throw new IllegalStateException(description + ": the kernel acknowledged without answering");
        }
        return replies.get(0);
    }

    /** Sends a dump request and returns every object the kernel lists. */
    List<NetlinkReply> dump(NetlinkMessage message, String description) {
        return exchange(message, NLM_F_DUMP, description);
    }

    private List<NetlinkReply> exchange(NetlinkMessage message, int flags, String description) {
        int mySeq = ++seq;
        byte[] bytes = message.bytes(mySeq);
        ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder()).putShort(6, (short) (readFlags(bytes) | flags));
        send(bytes, description);
        List<NetlinkReply> answers = new ArrayList<>();
        while (true) {
            for (NetlinkReply reply : NetlinkReply.split(receive(description))) {
                if (reply.seq() != mySeq) {
                    continue; // a late answer to an earlier request that failed half-way
                }
                if (reply.type() == NetlinkReply.NLMSG_ERROR || reply.type() == NetlinkReply.NLMSG_DONE) {
                    int error = reply.payload().limit() >= 4 ? -reply.payload().getInt(0) : 0;
                    if (error != 0) {
                        throw new NetlinkException(description, error, kernelMessage(reply));
                    }
                    return answers;
                }
                answers.add(reply);
            }
        }
    }

    private static int readFlags(byte[] bytes) {
        return Short.toUnsignedInt(ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder()).getShort(6));
    }

    private void send(byte[] bytes, String description) {
        while (true) {
            try {
                c.sendto(fd, bytes, bytes.length, 0, KERNEL, KERNEL.length);
                return;
            } catch (LastErrorException e) {
                if (e.getErrorCode() != Errno.EINTR) {
                    throw new KernelException("sendto(netlink) for " + description, e.getErrorCode());
                }
            }
        }
    }

    private ByteBuffer receive(String description) {
        while (true) {
            try {
                long length = c.recv(fd, buffer, BUFFER_SIZE, MSG_TRUNC);
                if (length > BUFFER_SIZE) {
                    throw new IllegalStateException(description + ": a " + length
                            + "-byte netlink reply does not fit the " + BUFFER_SIZE + "-byte buffer");
                }
                return ByteBuffer.wrap(buffer.getByteArray(0, (int) length)).order(ByteOrder.nativeOrder());
            } catch (LastErrorException e) {
                if (e.getErrorCode() != Errno.EINTR) {
                    throw new KernelException("recv(netlink) for " + description, e.getErrorCode());
                }
            }
        }
    }

    /** The kernel's extended-ack text, which follows the error code and our quoted header. */
    private static String kernelMessage(NetlinkReply reply) {
        if (reply.type() != NetlinkReply.NLMSG_ERROR || (reply.flags() & NLM_F_ACK_TLVS) == 0) {
            return null;
        }
        int quoted = (reply.flags() & NLM_F_CAPPED) != 0 ? NetlinkMessage.HEADER_SIZE
                : NetlinkReply.align(reply.payload().getInt(4));
        Map<Integer, ByteBuffer> tlvs = NetlinkReply.parseAttributes(reply.payload(), 4 + quoted);
        ByteBuffer text = tlvs.get(NLMSGERR_ATTR_MSG);
        return text == null ? null : NetlinkReply.string(text);
    }

    @Override
    public void close() {
        Kernel.closeQuietly(fd);
        buffer.close();
    }
}
