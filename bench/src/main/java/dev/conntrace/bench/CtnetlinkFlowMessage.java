package dev.conntrace.bench;

import dev.conntrace.netlink.MessageBuilder;
import dev.conntrace.netlink.Netlink;
import dev.conntrace.netlink.netfilter.Nfgenmsg;
import dev.conntrace.netlink.netfilter.Nfnetlink;
import dev.conntrace.sys.IpAddress;
import dev.conntrace.sys.SocketConstants;

/**
 * A realistic ctnetlink flow message, as a dump returns for an established TCP connection with
 * accounting and timestamps on: 36 attributes, nested up to three levels. Attribute numbers are from
 * {@code linux/netfilter/nfnetlink_conntrack.h}.
 */
final class CtnetlinkFlowMessage {
    private CtnetlinkFlowMessage() {}

    /** Attributes in {@link #write}'s message, nests included. */
    static final int ATTRIBUTES = 36;

    private static final int CTA_TUPLE_ORIG = 1;
    private static final int CTA_TUPLE_REPLY = 2;
    private static final int CTA_STATUS = 3;
    private static final int CTA_PROTOINFO = 4;
    private static final int CTA_TIMEOUT = 7;
    private static final int CTA_MARK = 8;
    private static final int CTA_COUNTERS_ORIG = 9;
    private static final int CTA_COUNTERS_REPLY = 10;
    private static final int CTA_USE = 11;
    private static final int CTA_ID = 12;
    private static final int CTA_TIMESTAMP = 20;
    private static final int CTA_TUPLE_IP = 1;
    private static final int CTA_TUPLE_PROTO = 2;
    private static final int CTA_IP_V4_SRC = 1;
    private static final int CTA_IP_V4_DST = 2;
    private static final int CTA_PROTO_NUM = 1;
    private static final int CTA_PROTO_SRC_PORT = 2;
    private static final int CTA_PROTO_DST_PORT = 3;
    private static final int CTA_PROTOINFO_TCP = 1;
    private static final int CTA_PROTOINFO_TCP_STATE = 1;
    private static final int CTA_PROTOINFO_TCP_WSCALE_ORIGINAL = 2;
    private static final int CTA_PROTOINFO_TCP_WSCALE_REPLY = 3;
    private static final int CTA_PROTOINFO_TCP_FLAGS_ORIGINAL = 4;
    private static final int CTA_PROTOINFO_TCP_FLAGS_REPLY = 5;
    private static final int CTA_COUNTERS_PACKETS = 1;
    private static final int CTA_COUNTERS_BYTES = 2;
    private static final int CTA_TIMESTAMP_START = 1;

    /** Writes the message into {@code b}; returns its length. */
    static int write(MessageBuilder b) {
        b.begin(Nfnetlink.type(Nfnetlink.NFNL_SUBSYS_CTNETLINK, Nfnetlink.IPCTNL_MSG_CT_NEW), Netlink.NLM_F_MULTI);
        Nfgenmsg.put(b, SocketConstants.AF_INET, 0);
        tuple(b, CTA_TUPLE_ORIG, "10.1.2.3", "93.184.216.34", 51234, 443);
        tuple(b, CTA_TUPLE_REPLY, "93.184.216.34", "192.168.1.10", 443, 51234);
        b.addBe32(CTA_STATUS, 0x18e); // SEEN_REPLY | ASSURED | CONFIRMED | SRC_NAT | SRC_NAT_DONE | DST_NAT_DONE
        int protoinfo = b.beginNested(CTA_PROTOINFO);
        int tcp = b.beginNested(CTA_PROTOINFO_TCP);
        b.addU8(CTA_PROTOINFO_TCP_STATE, 3); // ESTABLISHED
        b.addU8(CTA_PROTOINFO_TCP_WSCALE_ORIGINAL, 7);
        b.addU8(CTA_PROTOINFO_TCP_WSCALE_REPLY, 9);
        b.addU16(CTA_PROTOINFO_TCP_FLAGS_ORIGINAL, 0x2323);
        b.addU16(CTA_PROTOINFO_TCP_FLAGS_REPLY, 0x2323);
        b.endNested(tcp);
        b.endNested(protoinfo);
        b.addBe32(CTA_TIMEOUT, 431999);
        b.addBe32(CTA_MARK, 0);
        counters(b, CTA_COUNTERS_ORIG, 1234, 98765);
        counters(b, CTA_COUNTERS_REPLY, 2345, 3456789);
        b.addBe32(CTA_USE, 1);
        b.addBe32(CTA_ID, 0x5eed1234);
        int ts = b.beginNested(CTA_TIMESTAMP);
        b.addBe64(CTA_TIMESTAMP_START, 1_763_900_000_000_000_000L);
        b.endNested(ts);
        return b.finish();
    }

    private static void tuple(MessageBuilder b, int type, String src, String dst, int sport, int dport) {
        int tuple = b.beginNested(type);
        int ip = b.beginNested(CTA_TUPLE_IP);
        b.addAddress(CTA_IP_V4_SRC, IpAddress.parse(src));
        b.addAddress(CTA_IP_V4_DST, IpAddress.parse(dst));
        b.endNested(ip);
        int proto = b.beginNested(CTA_TUPLE_PROTO);
        b.addU8(CTA_PROTO_NUM, 6);
        b.addBe16(CTA_PROTO_SRC_PORT, sport);
        b.addBe16(CTA_PROTO_DST_PORT, dport);
        b.endNested(proto);
        b.endNested(tuple);
    }

    private static void counters(MessageBuilder b, int type, long packets, long bytes) {
        int c = b.beginNested(type);
        b.addBe64(CTA_COUNTERS_PACKETS, packets);
        b.addBe64(CTA_COUNTERS_BYTES, bytes);
        b.endNested(c);
    }
}
