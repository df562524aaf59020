package dev.conntrace.conntrack.wire;

import static dev.conntrace.conntrack.wire.Ctnetlink.*;

import dev.conntrace.conntrack.DecodeCounters;
import dev.conntrace.conntrack.L4Protocol;
import dev.conntrace.conntrack.Tuple;
import dev.conntrace.netlink.AttributeCursor;
import dev.conntrace.netlink.DecodeException;
import dev.conntrace.sys.IpAddress;

/** Reads a {@code CTA_TUPLE_*} nest ({@code CTA_TUPLE_IP}, {@code CTA_TUPLE_PROTO}, {@code CTA_TUPLE_ZONE}). Not thread-safe. */
final class TupleReader {
    private final DecodeCounters counters;
    private IpAddress src;
    private IpAddress dst;
    private int proto;
    private int sport;
    private int dport;
    private int icmpId;
    private int icmpType;
    private int icmpCode;
    /** The addresses of the previous tuple: a reply tuple mostly repeats its original's, so share them. */
    private IpAddress recentA;
    private IpAddress recentB;

    TupleReader(DecodeCounters counters) {
        this.counters = counters;
    }

    /** The tuple in the current attribute of {@code parent} (which must be a tuple nest). */
    Tuple read(AttributeCursor parent) throws DecodeException {
        return read(parent, false);
    }

    /**
     * An expectation mask ({@code CTA_EXPECT_MASK}): a tuple of masks, where the family may be
     * missing and all-ones values are normal.
     */
    Tuple readMask(AttributeCursor parent) throws DecodeException {
        return read(parent, true);
    }

    private Tuple read(AttributeCursor parent, boolean mask) throws DecodeException {
        long at = parent.offset();
        AttributeCursor a = parent.nested();
        src = dst = null;
        proto = -1;
        sport = dport = icmpId = icmpType = icmpCode = 0;
        int zone = Tuple.NO_ZONE;
        while (a.next()) {
            switch (a.type()) {
                case CTA_TUPLE_IP -> ip(a.nested());
                case CTA_TUPLE_PROTO -> proto(a.nested());
                case CTA_TUPLE_ZONE -> zone = a.be16();
                default -> counters.countUnknownAttribute();
            }
        }
        if (mask) {
            IpAddress none = src != null ? src : dst != null ? dst : IpAddress.ipv4(0);
            src = src == null ? (none.v6() ? IpAddress.ipv6(0, 0) : IpAddress.ipv4(0)) : src;
            dst = dst == null ? (none.v6() ? IpAddress.ipv6(0, 0) : IpAddress.ipv4(0)) : dst;
            proto = proto < 0 ? 0 : proto;
        }
        if (src == null || dst == null) {
            throw new DecodeException(DecodeException.Kind.CORRUPT, at, "tuple without source or destination address");
        }
        if (proto < 0) {
            throw new DecodeException(DecodeException.Kind.CORRUPT, at, "tuple without CTA_PROTO_NUM");
        }
        try {
            return new Tuple(src, dst, L4Protocol.of(proto), sport, dport, icmpId, icmpType, icmpCode, zone);
        } catch (IllegalArgumentException e) {
            throw new DecodeException(DecodeException.Kind.CORRUPT, at, e.getMessage());
        }
    }

    private void ip(AttributeCursor a) throws DecodeException {
        while (a.next()) {
            switch (a.type()) {
                case CTA_IP_V4_SRC -> src = v4(a);
                case CTA_IP_V4_DST -> dst = v4(a);
                case CTA_IP_V6_SRC -> src = v6(a);
                case CTA_IP_V6_DST -> dst = v6(a);
                default -> counters.countUnknownAttribute();
            }
        }
    }

    private IpAddress v4(AttributeCursor a) throws DecodeException {
        if (a.length() != 4) {
            throw new DecodeException(DecodeException.Kind.CORRUPT, a.offset(), "IPv4 address attribute has " + a.length() + " bytes");
        }
        long v = a.be32() & 0xFFFF_FFFFL;
        if (recentA != null && !recentA.v6() && recentA.low() == v) {
            return recentA;
        }
        if (recentB != null && !recentB.v6() && recentB.low() == v) {
            return recentB;
        }
        return remember(IpAddress.ipv4((int) v));
    }

    private IpAddress v6(AttributeCursor a) throws DecodeException {
        if (a.length() != 16) {
            throw new DecodeException(DecodeException.Kind.CORRUPT, a.offset(), "IPv6 address attribute has " + a.length() + " bytes");
        }
        IpAddress v = a.address();
        if (v.equals(recentA)) {
            return recentA;
        }
        if (v.equals(recentB)) {
            return recentB;
        }
        return remember(v);
    }

    /** Keeps the last two distinct addresses read (immutable values; sharing them is safe). */
    private IpAddress remember(IpAddress v) {
        recentB = recentA;
        recentA = v;
        return v;
    }

    private void proto(AttributeCursor a) throws DecodeException {
        while (a.next()) {
            switch (a.type()) {
                case CTA_PROTO_NUM -> proto = a.u8();
                case CTA_PROTO_SRC_PORT -> sport = a.be16();
                case CTA_PROTO_DST_PORT -> dport = a.be16();
                case CTA_PROTO_ICMP_ID, CTA_PROTO_ICMPV6_ID -> icmpId = a.be16();
                case CTA_PROTO_ICMP_TYPE, CTA_PROTO_ICMPV6_TYPE -> icmpType = a.u8();
                case CTA_PROTO_ICMP_CODE, CTA_PROTO_ICMPV6_CODE -> icmpCode = a.u8();
                default -> counters.countUnknownAttribute();
            }
        }
    }
}
