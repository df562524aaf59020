package dev.conntrace.conntrack.wire;

import static dev.conntrace.conntrack.wire.Ctnetlink.*;

import dev.conntrace.conntrack.Expect;
import dev.conntrace.conntrack.Flow;
import dev.conntrace.conntrack.NatRange;
import dev.conntrace.conntrack.ProtoInfo;
import dev.conntrace.conntrack.SeqAdjust;
import dev.conntrace.conntrack.Tuple;
import dev.conntrace.netlink.MessageBuilder;

/**
 * Writes {@code CTA_*} attributes of ctnetlink requests (create, update, get, delete, dump filters)
 * into a {@link MessageBuilder}. Stateless; thread-safe as far as the builder is confined.
 */
public final class RequestWriter {
    private RequestWriter() {}

    /** Appends {@code tuple} as the nest {@code type} ({@code CTA_TUPLE_ORIG}, {@code CTA_TUPLE_REPLY}, ...). */
    public static void tuple(MessageBuilder b, int type, Tuple t) {
        int nest = b.beginNested(type);
        int ip = b.beginNested(CTA_TUPLE_IP);
        if (t.isIpv6()) {
            b.addAddress(CTA_IP_V6_SRC, t.source());
            b.addAddress(CTA_IP_V6_DST, t.destination());
        } else {
            b.addAddress(CTA_IP_V4_SRC, t.source());
            b.addAddress(CTA_IP_V4_DST, t.destination());
        }
        b.endNested(ip);
        int proto = b.beginNested(CTA_TUPLE_PROTO);
        int num = t.protocol().number();
        b.addU8(CTA_PROTO_NUM, num);
        if (num == 1) {
            b.addBe16(CTA_PROTO_ICMP_ID, t.icmpId());
            b.addU8(CTA_PROTO_ICMP_TYPE, t.icmpType());
            b.addU8(CTA_PROTO_ICMP_CODE, t.icmpCode());
        } else if (num == 58) {
            b.addBe16(CTA_PROTO_ICMPV6_ID, t.icmpId());
            b.addU8(CTA_PROTO_ICMPV6_TYPE, t.icmpType());
            b.addU8(CTA_PROTO_ICMPV6_CODE, t.icmpCode());
        } else if (t.protocol().hasPorts() || num == 47) {
            b.addBe16(CTA_PROTO_SRC_PORT, t.sourcePort());
            b.addBe16(CTA_PROTO_DST_PORT, t.destinationPort());
        }
        b.endNested(proto);
        if (t.hasZone()) {
            b.addBe16(CTA_TUPLE_ZONE, t.zone());
        }
        b.endNested(nest);
    }

    /**
     * Appends the attributes of a create or update request: tuples, status, timeout, mark, zone,
     * protocol info, helper, labels, NAT and sequence adjustment, as far as {@code flow} has them.
     * Read-only parts (counters, timestamps, use, id, security context) are not sent.
     */
    public static void flow(MessageBuilder b, Flow f) {
        if (f.original() != null) {
            tuple(b, CTA_TUPLE_ORIG, f.original());
        }
        if (f.reply() != null) {
            tuple(b, CTA_TUPLE_REPLY, f.reply());
        }
        if (f.master() != null) {
            tuple(b, CTA_TUPLE_MASTER, f.master());
        }
        if (f.hasStatus()) {
            b.addBe32(CTA_STATUS, f.statusBits());
        }
        if (f.hasTimeout()) {
            b.addBe32(CTA_TIMEOUT, f.timeout());
        }
        if (f.hasMark()) {
            b.addBe32(CTA_MARK, f.mark());
        }
        if (f.hasZone()) {
            b.addBe16(CTA_ZONE, f.zone());
        }
        if (f.protoInfo() != null) {
            protoInfo(b, f.protoInfo());
        }
        if (f.helper() != null) {
            int help = b.beginNested(CTA_HELP);
            b.addString(CTA_HELP_NAME, f.helper());
            b.endNested(help);
        }
        if (f.labels() != null) {
            b.addBytes(CTA_LABELS, f.labels());
        }
        if (f.labelsMask() != null) {
            b.addBytes(CTA_LABELS_MASK, f.labelsMask());
        }
        if (f.natSource() != null) {
            nat(b, CTA_NAT_SRC, f.natSource());
        }
        if (f.natDestination() != null) {
            nat(b, CTA_NAT_DST, f.natDestination());
        }
        if (f.seqAdjustOriginal() != null) {
            seqAdjust(b, CTA_SEQ_ADJ_ORIG, f.seqAdjustOriginal());
        }
        if (f.seqAdjustReply() != null) {
            seqAdjust(b, CTA_SEQ_ADJ_REPLY, f.seqAdjustReply());
        }
    }

    /**
     * Appends the attributes of an expectation create request: master, expected tuple and mask, and
     * as far as {@code e} has them timeout, zone, helper name, flags, class, helper function and NAT.
     * The id is read-only and not sent.
     */
    public static void expect(MessageBuilder b, Expect e) {
        tuple(b, CTA_EXPECT_MASTER, e.master());
        tuple(b, CTA_EXPECT_TUPLE, e.tuple());
        tuple(b, CTA_EXPECT_MASK, e.mask());
        if (e.timeout() >= 0) {
            b.addBe32(CTA_EXPECT_TIMEOUT, (int) e.timeout());
        }
        if (e.zone() >= 0) {
            b.addBe16(CTA_EXPECT_ZONE, e.zone());
        }
        if (e.helper() != null) {
            b.addString(CTA_EXPECT_HELP_NAME, e.helper());
        }
        if (e.flags() != 0) {
            b.addBe32(CTA_EXPECT_FLAGS, e.flags());
        }
        if (e.expectClass() >= 0) {
            b.addBe32(CTA_EXPECT_CLASS, e.expectClass());
        }
        if (e.function() != null) {
            b.addString(CTA_EXPECT_FN, e.function());
        }
        if (e.natTuple() != null) {
            int nat = b.beginNested(CTA_EXPECT_NAT);
            b.addBe32(CTA_EXPECT_NAT_DIR, Math.max(0, e.natDirection()));
            tuple(b, CTA_EXPECT_NAT_TUPLE, e.natTuple());
            b.endNested(nat);
        }
    }

    private static void protoInfo(MessageBuilder b, ProtoInfo p) {
        int nest = b.beginNested(CTA_PROTOINFO);
        switch (p) {
            case ProtoInfo.Tcp t -> {
                int tcp = b.beginNested(CTA_PROTOINFO_TCP);
                b.addU8(CTA_PROTOINFO_TCP_STATE, t.state().code());
                if (t.windowScaleOriginal() >= 0) {
                    b.addU8(CTA_PROTOINFO_TCP_WSCALE_ORIGINAL, t.windowScaleOriginal());
                }
                if (t.windowScaleReply() >= 0) {
                    b.addU8(CTA_PROTOINFO_TCP_WSCALE_REPLY, t.windowScaleReply());
                }
                if (t.flagsOriginal() >= 0) {
                    // struct nf_ct_tcp_flags { flags, mask }: set these flags, leave the others
                    b.addBytes(CTA_PROTOINFO_TCP_FLAGS_ORIGINAL, new byte[] {(byte) t.flagsOriginal(), (byte) t.flagsOriginal()});
                }
                if (t.flagsReply() >= 0) {
                    b.addBytes(CTA_PROTOINFO_TCP_FLAGS_REPLY, new byte[] {(byte) t.flagsReply(), (byte) t.flagsReply()});
                }
                b.endNested(tcp);
            }
            case ProtoInfo.Sctp s -> {
                int sctp = b.beginNested(CTA_PROTOINFO_SCTP);
                b.addU8(CTA_PROTOINFO_SCTP_STATE, s.state().code());
                b.addBe32(CTA_PROTOINFO_SCTP_VTAG_ORIGINAL, s.vtagOriginal());
                b.addBe32(CTA_PROTOINFO_SCTP_VTAG_REPLY, s.vtagReply());
                b.endNested(sctp);
            }
            case ProtoInfo.Dccp d -> {
                int dccp = b.beginNested(CTA_PROTOINFO_DCCP);
                b.addU8(CTA_PROTOINFO_DCCP_STATE, d.state().code());
                if (d.role() >= 0) {
                    b.addU8(CTA_PROTOINFO_DCCP_ROLE, d.role());
                }
                if (d.handshakeSeq() >= 0) {
                    b.addBe64(CTA_PROTOINFO_DCCP_HANDSHAKE_SEQ, d.handshakeSeq());
                }
                b.endNested(dccp);
            }
        }
        b.endNested(nest);
    }

    private static void nat(MessageBuilder b, int type, NatRange n) {
        int nest = b.beginNested(type);
        boolean v6 = n.minAddress().v6();
        b.addAddress(v6 ? CTA_NAT_V6_MINIP : CTA_NAT_V4_MINIP, n.minAddress());
        b.addAddress(v6 ? CTA_NAT_V6_MAXIP : CTA_NAT_V4_MAXIP, n.maxAddress());
        if (n.hasPorts()) {
            int proto = b.beginNested(CTA_NAT_PROTO);
            b.addBe16(CTA_PROTONAT_PORT_MIN, n.minPort());
            b.addBe16(CTA_PROTONAT_PORT_MAX, n.maxPort());
            b.endNested(proto);
        }
        b.endNested(nest);
    }

    private static void seqAdjust(MessageBuilder b, int type, SeqAdjust s) {
        int nest = b.beginNested(type);
        b.addBe32(CTA_SEQADJ_CORRECTION_POS, (int) s.correctionPosition());
        b.addBe32(CTA_SEQADJ_OFFSET_BEFORE, (int) s.offsetBefore());
        b.addBe32(CTA_SEQADJ_OFFSET_AFTER, (int) s.offsetAfter());
        b.endNested(nest);
    }
}
