package dev.conntrace.conntrack.wire;

import static dev.conntrace.conntrack.wire.Ctnetlink.*;

import dev.conntrace.conntrack.DecodeCounters;
import dev.conntrace.conntrack.Expect;
import dev.conntrace.conntrack.Tuple;
import dev.conntrace.netlink.AttributeCursor;
import dev.conntrace.netlink.DecodeException;
import dev.conntrace.netlink.NetlinkMessage;

/**
 * Decodes ctnetlink expectation messages ({@code NFNL_SUBSYS_CTNETLINK_EXP}, {@code CTA_EXPECT_*})
 * into {@link Expect}s. Malformed messages are counted and yield null. Not thread-safe.
 */
public final class ExpectDecoder {
    private final DecodeCounters counters;
    private final AttributeCursor root = new AttributeCursor();
    private final TupleReader tuples;

    /** A decoder counting into {@code counters}. */

    public ExpectDecoder(DecodeCounters counters) {
        this.counters = counters;
        this.tuples = new TupleReader(counters);
    }

    /** The expectation in {@code message}, or null when it is malformed (counted). */
    public Expect decode(NetlinkMessage message) {
        try {
            Expect e = decode(message.attributes(root, FlowDecoder.NFGENMSG_SIZE));
            counters.countDecoded();
            return e;
        } catch (DecodeException e) {
            counters.countMalformed(e.getMessage());
            return null;
        }
    }

    private Expect decode(AttributeCursor a) throws DecodeException {
        Tuple master = null, tuple = null, mask = null, natTuple = null;
        long timeout = Expect.ABSENT, id = Expect.ABSENT;
        String helper = null, fn = null;
        int zone = Expect.ABSENT, flags = 0, cls = Expect.ABSENT, natDir = Expect.ABSENT;
        long first = 0;
        while (a.next()) {
            first = a.offset();
            switch (a.type()) {
                case CTA_EXPECT_MASTER -> master = tuples.read(a);
                case CTA_EXPECT_TUPLE -> tuple = tuples.read(a);
                case CTA_EXPECT_MASK -> mask = tuples.readMask(a);
                case CTA_EXPECT_TIMEOUT -> timeout = Integer.toUnsignedLong(a.be32());
                case CTA_EXPECT_ID -> id = Integer.toUnsignedLong(a.be32());
                case CTA_EXPECT_HELP_NAME -> helper = a.string();
                case CTA_EXPECT_ZONE -> zone = a.be16();
                case CTA_EXPECT_FLAGS -> flags = a.be32();
                case CTA_EXPECT_CLASS -> cls = a.be32();
                case CTA_EXPECT_FN -> fn = a.string();
                case CTA_EXPECT_NAT -> {
                    AttributeCursor n = a.nested();
                    while (n.next()) {
                        switch (n.type()) {
                            case CTA_EXPECT_NAT_DIR -> natDir = n.be32();
                            case CTA_EXPECT_NAT_TUPLE -> natTuple = tuples.read(n);
                            default -> counters.countUnknownAttribute();
                        }
                    }
                }
                default -> counters.countUnknownAttribute();
            }
        }
        if (tuple == null) {
            throw new DecodeException(DecodeException.Kind.CORRUPT, first, "expectation without CTA_EXPECT_TUPLE");
        }
        return new Expect(master, tuple, mask, timeout, id, helper, zone, flags, cls, natDir, natTuple, fn);
    }
}
