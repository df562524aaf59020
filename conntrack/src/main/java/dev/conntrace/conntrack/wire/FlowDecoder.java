package dev.conntrace.conntrack.wire;

import static dev.conntrace.conntrack.wire.Ctnetlink.*;

import dev.conntrace.conntrack.Counters;
import dev.conntrace.conntrack.DccpState;
import dev.conntrace.conntrack.DecodeCounters;
import dev.conntrace.conntrack.Flow;
import dev.conntrace.conntrack.NatRange;
import dev.conntrace.conntrack.ProtoInfo;
import dev.conntrace.conntrack.SctpState;
import dev.conntrace.conntrack.SeqAdjust;
import dev.conntrace.conntrack.Synproxy;
import dev.conntrace.conntrack.TcpState;
import dev.conntrace.conntrack.Timestamps;
import dev.conntrace.conntrack.Tuple;
import dev.conntrace.netlink.AttributeCursor;
import dev.conntrace.netlink.DecodeException;
import dev.conntrace.netlink.NetlinkMessage;
import java.lang.foreign.MemorySegment;

/**
 * Decodes ctnetlink conntrack messages ({@code IPCTNL_MSG_CT_NEW} / {@code IPCTNL_MSG_CT_DELETE}:
 * an {@code nfgenmsg} then {@code CTA_*} attributes) into {@link Flow}s.
 *
 * <p>Allocation: the attribute cursors and the flow builder are reused; per flow it allocates the
 * flow, its tuples and addresses (a reply tuple shares its original's address values), and small value
 * records (counters, timestamps; a TCP protocol info equal to the previous one is shared); 300–400 bytes for
 * a UDP or TCP flow with counters and timestamps. Unknown attributes
 * are skipped and counted; a message whose attributes are corrupt is counted as malformed and
 * skipped ({@link #decode(NetlinkMessage)} returns null) so a dump goes on. Not thread-safe: one
 * decoder per socket/thread.
 */
public final class FlowDecoder {
    /** Size of {@code struct nfgenmsg}. */
    public static final int NFGENMSG_SIZE = 4;

    /** Counters of a direction that saw nothing (every unreplied flow's reply side): one shared value. */
    private static final Counters NO_TRAFFIC = new Counters(0, 0);

    private final DecodeCounters counters;
    private final AttributeCursor root = new AttributeCursor();
    private final Flow.Builder builder = Flow.builder();
    private final TupleReader tuples;
    /** The TCP protocol info decoded last (an immutable value, shared when the next is equal). */
    private ProtoInfo.Tcp lastTcp;

    /** A decoder counting into {@code counters}. */
    public FlowDecoder(DecodeCounters counters) {
        this.counters = counters;
        this.tuples = new TupleReader(counters);
    }

    /** The counters this decoder writes. */
    public DecodeCounters counters() {
        return counters;
    }

    /**
     * The flow in a conntrack message, or null when the message is malformed (then counted in
     * {@link DecodeCounters#malformed()}).
     */
    public Flow decode(NetlinkMessage message) {
        try {
            Flow f = decodeOrThrow(message.attributes(root, NFGENMSG_SIZE));
            counters.countDecoded();
            return f;
        } catch (DecodeException e) {
            counters.countMalformed(e.getMessage());
            return null;
        }
    }

    /**
     * The flow whose {@code CTA_*} attributes fill {@code length} bytes of {@code segment} from
     * {@code offset} (after the {@code nfgenmsg}).
     *
     * @throws DecodeException when they are corrupt or truncated or lack {@code CTA_TUPLE_ORIG}
     */
    public Flow decodeAttributes(MemorySegment segment, long offset, long length) throws DecodeException {
        return decodeOrThrow(root.reset(segment, offset, length));
    }

    private Flow decodeOrThrow(AttributeCursor a) throws DecodeException {
        Flow.Builder b = builder.reset();
        long start = -1;
        while (a.next()) {
            if (start < 0) {
                start = a.offset();
            }
            switch (a.type()) {
                case CTA_TUPLE_ORIG -> b.original(tuples.read(a));
                case CTA_TUPLE_REPLY -> b.reply(tuples.read(a));
                case CTA_TUPLE_MASTER -> b.master(tuples.read(a));
                case CTA_STATUS -> b.statusBits(a.be32());
                case CTA_TIMEOUT -> b.timeout(a.be32());
                case CTA_MARK -> b.mark(a.be32());
                case CTA_USE -> b.use(a.be32());
                case CTA_ID -> b.id(a.be32());
                case CTA_ZONE -> b.zone(a.be16());
                case CTA_PROTOINFO -> b.protoInfo(protoInfo(a.nested()));
                case CTA_HELP -> b.helper(helper(a.nested()));
                case CTA_COUNTERS_ORIG -> b.countersOriginal(counters(a.nested()));
                case CTA_COUNTERS_REPLY -> b.countersReply(counters(a.nested()));
                case CTA_TIMESTAMP -> b.timestamps(timestamps(a.nested()));
                case CTA_LABELS -> b.labels(a.bytes());
                case CTA_LABELS_MASK -> b.labelsMask(a.bytes());
                case CTA_SECCTX -> b.securityContext(secctx(a.nested()));
                case CTA_SEQ_ADJ_ORIG -> b.seqAdjustOriginal(seqAdjust(a.nested()));
                case CTA_SEQ_ADJ_REPLY -> b.seqAdjustReply(seqAdjust(a.nested()));
                case CTA_SYNPROXY -> b.synproxy(synproxy(a.nested()));
                case CTA_NAT_SRC -> b.natSource(nat(a.nested()));
                case CTA_NAT_DST -> b.natDestination(nat(a.nested()));
                case CTA_SECMARK -> b.secmark(a.be32()); // obsolete: Linux before 2.6.37 sent it
                default -> counters.countUnknownAttribute();
            }
        }
        if (b.original() == null) {
            throw new DecodeException(DecodeException.Kind.CORRUPT, Math.max(start, 0), "conntrack message without CTA_TUPLE_ORIG");
        }
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new DecodeException(DecodeException.Kind.CORRUPT, start, e.getMessage());
        }
    }

    private ProtoInfo protoInfo(AttributeCursor a) throws DecodeException {
        ProtoInfo info = null;
        while (a.next()) {
            switch (a.type()) {
                case CTA_PROTOINFO_TCP -> info = tcp(a.nested(), a.offset());
                case CTA_PROTOINFO_DCCP -> info = dccp(a.nested());
                case CTA_PROTOINFO_SCTP -> info = sctp(a.nested());
                default -> counters.countUnknownAttribute();
            }
        }
        return info;
    }

    private ProtoInfo.Tcp tcp(AttributeCursor a, long at) throws DecodeException {
        int state = ProtoInfo.ABSENT;
        int wsOrig = ProtoInfo.ABSENT;
        int wsReply = ProtoInfo.ABSENT;
        int flOrig = ProtoInfo.ABSENT;
        int flReply = ProtoInfo.ABSENT;
        while (a.next()) {
            switch (a.type()) {
                case CTA_PROTOINFO_TCP_STATE -> state = a.u8();
                case CTA_PROTOINFO_TCP_WSCALE_ORIGINAL -> wsOrig = a.u8();
                case CTA_PROTOINFO_TCP_WSCALE_REPLY -> wsReply = a.u8();
                // struct nf_ct_tcp_flags { __u8 flags; __u8 mask; }
                case CTA_PROTOINFO_TCP_FLAGS_ORIGINAL -> flOrig = flags(a);
                case CTA_PROTOINFO_TCP_FLAGS_REPLY -> flReply = flags(a);
                default -> counters.countUnknownAttribute();
            }
        }
        if (state == ProtoInfo.ABSENT) {
            throw new DecodeException(DecodeException.Kind.CORRUPT, at, "CTA_PROTOINFO_TCP without CTA_PROTOINFO_TCP_STATE");
        }
        ProtoInfo.Tcp last = lastTcp;
        if (last != null && last.state().code() == state && last.windowScaleOriginal() == wsOrig
                && last.windowScaleReply() == wsReply && last.flagsOriginal() == flOrig && last.flagsReply() == flReply) {
            return last; // most established flows of a dump share one value
        }
        return lastTcp = new ProtoInfo.Tcp(TcpState.of(state), wsOrig, wsReply, flOrig, flReply);
    }

    private static int flags(AttributeCursor a) throws DecodeException {
        if (a.length() < 2) {
            throw new DecodeException(DecodeException.Kind.CORRUPT, a.offset(),
                    "TCP flags attribute has " + a.length() + " bytes, needs 2");
        }
        return a.u8();
    }

    private ProtoInfo.Dccp dccp(AttributeCursor a) throws DecodeException {
        int state = 0;
        int role = ProtoInfo.ABSENT;
        long seq = -1;
        while (a.next()) {
            switch (a.type()) {
                case CTA_PROTOINFO_DCCP_STATE -> state = a.u8();
                case CTA_PROTOINFO_DCCP_ROLE -> role = a.u8();
                case CTA_PROTOINFO_DCCP_HANDSHAKE_SEQ -> seq = a.be64();
                case CTA_PROTOINFO_DCCP_PAD -> { }
                default -> counters.countUnknownAttribute();
            }
        }
        return new ProtoInfo.Dccp(DccpState.of(state), role, seq);
    }

    private ProtoInfo.Sctp sctp(AttributeCursor a) throws DecodeException {
        int state = 0;
        int vo = 0;
        int vr = 0;
        while (a.next()) {
            switch (a.type()) {
                case CTA_PROTOINFO_SCTP_STATE -> state = a.u8();
                case CTA_PROTOINFO_SCTP_VTAG_ORIGINAL -> vo = a.be32();
                case CTA_PROTOINFO_SCTP_VTAG_REPLY -> vr = a.be32();
                default -> counters.countUnknownAttribute();
            }
        }
        return new ProtoInfo.Sctp(SctpState.of(state), vo, vr);
    }

    private String helper(AttributeCursor a) throws DecodeException {
        String name = null;
        while (a.next()) {
            switch (a.type()) {
                case CTA_HELP_NAME -> name = a.string();
                case CTA_HELP_INFO -> { }
                default -> counters.countUnknownAttribute();
            }
        }
        return name;
    }

    private Counters counters(AttributeCursor a) throws DecodeException {
        long packets = 0;
        long bytes = 0;
        while (a.next()) {
            switch (a.type()) {
                case CTA_COUNTERS_PACKETS -> packets = a.be64();
                case CTA_COUNTERS_BYTES -> bytes = a.be64();
                case CTA_COUNTERS32_PACKETS -> packets = Integer.toUnsignedLong(a.be32());
                case CTA_COUNTERS32_BYTES -> bytes = Integer.toUnsignedLong(a.be32());
                case CTA_COUNTERS_PAD -> { }
                default -> counters.countUnknownAttribute();
            }
        }
        return packets == 0 && bytes == 0 ? NO_TRAFFIC : new Counters(packets, bytes);
    }

    private Timestamps timestamps(AttributeCursor a) throws DecodeException {
        long start = 0;
        long stop = 0;
        while (a.next()) {
            switch (a.type()) {
                case CTA_TIMESTAMP_START -> start = a.be64();
                case CTA_TIMESTAMP_STOP -> stop = a.be64();
                case CTA_TIMESTAMP_PAD -> { }
                default -> counters.countUnknownAttribute();
            }
        }
        return new Timestamps(start, stop);
    }

    private String secctx(AttributeCursor a) throws DecodeException {
        String name = null;
        while (a.next()) {
            if (a.type() == CTA_SECCTX_NAME) {
                name = a.string();
            } else {
                counters.countUnknownAttribute();
            }
        }
        return name;
    }

    private SeqAdjust seqAdjust(AttributeCursor a) throws DecodeException {
        long pos = 0;
        long before = 0;
        long after = 0;
        while (a.next()) {
            switch (a.type()) {
                case CTA_SEQADJ_CORRECTION_POS -> pos = Integer.toUnsignedLong(a.be32());
                case CTA_SEQADJ_OFFSET_BEFORE -> before = Integer.toUnsignedLong(a.be32());
                case CTA_SEQADJ_OFFSET_AFTER -> after = Integer.toUnsignedLong(a.be32());
                default -> counters.countUnknownAttribute();
            }
        }
        return new SeqAdjust(pos, before, after);
    }

    private Synproxy synproxy(AttributeCursor a) throws DecodeException {
        long isn = 0;
        long its = 0;
        long tsoff = 0;
        while (a.next()) {
            switch (a.type()) {
                case CTA_SYNPROXY_ISN -> isn = Integer.toUnsignedLong(a.be32());
                case CTA_SYNPROXY_ITS -> its = Integer.toUnsignedLong(a.be32());
                case CTA_SYNPROXY_TSOFF -> tsoff = Integer.toUnsignedLong(a.be32());
                default -> counters.countUnknownAttribute();
            }
        }
        return new Synproxy(isn, its, tsoff);
    }

    private NatRange nat(AttributeCursor a) throws DecodeException {
        dev.conntrace.sys.IpAddress min = null;
        dev.conntrace.sys.IpAddress max = null;
        int pmin = 0;
        int pmax = 0;
        long at = -1;
        while (a.next()) {
            at = a.offset();
            switch (a.type()) {
                case CTA_NAT_V4_MINIP, CTA_NAT_V6_MINIP -> min = a.address();
                case CTA_NAT_V4_MAXIP, CTA_NAT_V6_MAXIP -> max = a.address();
                case CTA_NAT_PROTO -> {
                    AttributeCursor p = a.nested();
                    while (p.next()) {
                        switch (p.type()) {
                            case CTA_PROTONAT_PORT_MIN -> pmin = p.be16();
                            case CTA_PROTONAT_PORT_MAX -> pmax = p.be16();
                            default -> counters.countUnknownAttribute();
                        }
                    }
                }
                default -> counters.countUnknownAttribute();
            }
        }
        if (min == null) {
            throw new DecodeException(DecodeException.Kind.CORRUPT, at, "CTA_NAT without a minimum address");
        }
        try {
            return new NatRange(min, max == null ? min : max, pmin, pmax);
        } catch (IllegalArgumentException e) {
            throw new DecodeException(DecodeException.Kind.CORRUPT, at, e.getMessage());
        }
    }
}
