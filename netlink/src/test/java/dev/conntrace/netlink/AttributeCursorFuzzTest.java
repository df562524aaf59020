package dev.conntrace.netlink;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.lang.foreign.MemorySegment;

/**
 * Arbitrary bytes through the attribute and message cursors: they may only return attributes (walked
 * recursively, every accessor tried) or throw {@link DecodeException}; anything else is a finding.
 *
 * <p>Without {@code JAZZER_FUZZ} this replays the seeds in
 * {@code src/test/resources/dev/conntrace/netlink/AttributeCursorFuzzTestInputs/}; the {@code fuzz}
 * surefire execution in {@code netlink/pom.xml} fuzzes it for {@code maxDuration}.
 */
class AttributeCursorFuzzTest {
    @FuzzTest(maxDuration = "20s")
    void cursorsReturnAttributesOrDecodeException(byte[] data) {
        MemorySegment segment = MemorySegment.ofArray(data);
        try {
            walk(new AttributeCursor().reset(segment), 0);
        } catch (DecodeException e) {
            check(e, data.length);
        }
        MessageCursor messages = new MessageCursor().reset(segment, 0, data.length);
        AttributeCursor cursor = new AttributeCursor();
        try {
            while (messages.next()) {
                NetlinkMessage m = messages.message();
                if (m.offset() + m.length() > data.length || m.length() < Netlink.NLMSG_HDRLEN) {
                    throw new AssertionError("message outside the input: " + m);
                }
                try {
                    walk(m.attributes(cursor, 4), 0);
                } catch (DecodeException e) {
                    check(e, data.length);
                }
            }
        } catch (DecodeException e) {
            check(e, data.length);
        }
    }

    private static void walk(AttributeCursor c, int depth) throws DecodeException {
        if (depth > AttributeCursor.MAX_DEPTH) {
            throw new AssertionError("walked deeper than MAX_DEPTH");
        }
        while (c.next()) {
            if (c.length() < 0 || c.valueOffset() + c.length() > c.segment().byteSize()) {
                throw new AssertionError("attribute outside the input: " + c);
            }
            c.type();
            c.isNested();
            c.isNetByteOrder();
            c.bytes();
            c.string();
            tryValue(c);
            if (c.length() >= Netlink.NLA_HDRLEN || c.isNested()) {
                try {
                    walk(c.nested(), depth + 1);
                } catch (DecodeException e) {
                    check(e, c.segment().byteSize());
                }
            }
        }
    }

    private static void tryValue(AttributeCursor c) {
        try {
            c.u8();
            c.u16();
            c.be16();
            c.u32();
            c.be32();
            c.u64();
            c.be64();
        } catch (DecodeException e) {
            check(e, c.segment().byteSize());
        }
        try {
            c.address();
        } catch (DecodeException e) {
            check(e, c.segment().byteSize());
        }
    }

    private static void check(DecodeException e, long size) {
        if (e.kind() == null || e.offset() < 0 || e.offset() > size || e.what().isEmpty()) {
            throw new AssertionError("malformed decode exception", e);
        }
    }
}
