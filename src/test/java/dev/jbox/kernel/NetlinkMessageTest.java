package dev.jbox.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The bytes of a request, checked field by field against the kernel's layout (no kernel needed). */
class NetlinkMessageTest {
    @Test
    void aBridgeRequestIsHeaderIfinfomsgNameAndNestedKind() {
        byte[] bytes = new NetlinkMessage(NetlinkRoute.RTM_NEWLINK, NetlinkRoute.NLM_F_CREATE | NetlinkRoute.NLM_F_EXCL)
                .ifinfomsg(NetlinkRoute.AF_UNSPEC, 0, 0, 0)
                .string(NetlinkRoute.IFLA_IFNAME, "jbox0")
                .begin(NetlinkRoute.IFLA_LINKINFO).string(NetlinkRoute.IFLA_INFO_KIND, "bridge").end()
                .bytes(7);
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder());
        // 16 header + 16 ifinfomsg + 12 IFLA_IFNAME("jbox0\0" padded to 8) + 4 LINKINFO + 12 KIND("bridge\0" padded to 8)
        assertThat(bytes).hasSize(60);
        assertThat(b.getInt(0)).isEqualTo(60);
        assertThat(b.getShort(4)).isEqualTo((short) 16);
        assertThat(b.getShort(6)).isEqualTo((short) (0x1 | 0x200 | 0x400));
        assertThat(b.getInt(8)).isEqualTo(7);
        assertThat(b.getShort(32)).as("IFLA_IFNAME length").isEqualTo((short) 10);
        assertThat(b.getShort(34)).isEqualTo((short) 3);
        assertThat(b.getShort(44)).as("IFLA_LINKINFO length covers its nested KIND").isEqualTo((short) 16);
        assertThat(b.getShort(46)).isEqualTo((short) 18);
        assertThat(b.getShort(48)).as("IFLA_INFO_KIND length").isEqualTo((short) 11);
    }

    @Test
    void whatTheWriterWritesTheReaderReadsBack() {
        byte[] bytes = new NetlinkMessage(NetlinkRoute.RTM_NEWLINK, 0)
                .ifinfomsg(NetlinkRoute.AF_UNSPEC, 5, 1, 1)
                .string(NetlinkRoute.IFLA_IFNAME, "jbox-3fa81c")
                .u32(NetlinkRoute.IFLA_MASTER, 9)
                .begin(NetlinkRoute.IFLA_LINKINFO).string(NetlinkRoute.IFLA_INFO_KIND, "veth").end()
                .bytes(1);
        List<NetlinkReply> replies = NetlinkReply.split(ByteBuffer.wrap(bytes));
        assertThat(replies).hasSize(1);
        NetlinkReply r = replies.get(0);
        assertThat(r.type()).isEqualTo(NetlinkRoute.RTM_NEWLINK);
        assertThat(r.payload().getInt(4)).isEqualTo(5);
        Map<Integer, ByteBuffer> a = r.attributes(16);
        assertThat(NetlinkReply.string(a.get(NetlinkRoute.IFLA_IFNAME))).isEqualTo("jbox-3fa81c");
        assertThat(a.get(NetlinkRoute.IFLA_MASTER).getInt(0)).isEqualTo(9);
        assertThat(NetlinkReply.string(NetlinkReply.parseAttributes(a.get(NetlinkRoute.IFLA_LINKINFO), 0)
                .get(NetlinkRoute.IFLA_INFO_KIND))).isEqualTo("veth");
    }

    @Test
    void twoMessagesInOneDatagramAreSplit() {
        byte[] one = new NetlinkMessage(NetlinkRoute.RTM_GETLINK, 0).ifinfomsg(0, 0, 0, 0).bytes(1);
        byte[] two = new NetlinkMessage(NetlinkRoute.RTM_GETADDR, 0).ifaddrmsg(NetlinkRoute.AF_INET, 0, 0, 0).bytes(2);
        ByteBuffer both = ByteBuffer.allocate(one.length + two.length).put(one).put(two).flip();
        assertThat(NetlinkReply.split(both)).extracting(NetlinkReply::seq).containsExactly(1, 2);
    }
}
