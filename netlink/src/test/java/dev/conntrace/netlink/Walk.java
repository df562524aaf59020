package dev.conntrace.netlink;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** Flattens messages and attribute trees into comparable text, for tests. */
final class Walk {
    private Walk() {}

    /** One line per attribute, depth-first: "depth type flags length value-hex"; nests are descended when flagged nested. */
    static void attributes(AttributeCursor cursor, List<String> out) throws DecodeException {
        while (cursor.next()) {
            String head = cursor.depth() + " " + cursor.type() + (cursor.isNested() ? " N" : "")
                    + (cursor.isNetByteOrder() ? " B" : "") + " " + cursor.length();
            if (cursor.isNested()) {
                out.add(head);
                attributes(cursor.nested(), out);
            } else {
                out.add(head + " " + HexFormat.of().formatHex(cursor.bytes()));
            }
        }
    }

    static List<String> attributes(MemorySegment segment, long offset, long length) throws DecodeException {
        List<String> out = new ArrayList<>();
        attributes(new AttributeCursor().reset(segment, offset, length), out);
        return out;
    }

    /** A message header line followed by its attribute lines (after a family header of {@code headerLength}). */
    static List<String> message(NetlinkMessage m, int headerLength) throws DecodeException {
        List<String> out = new ArrayList<>();
        out.add("msg type=" + m.type() + " flags=" + m.flags() + " len=" + m.length());
        if (m.type() >= Netlink.NLMSG_MIN_TYPE) {
            attributes(m.attributes(new AttributeCursor(), headerLength), out);
        }
        return out;
    }

    /** Family-header length of the data messages of a vector's protocol. */
    static int headerLength(GoldenVector vector) {
        return vector.name().startsWith("sock_diag") ? KernelFixtures.INET_DIAG_MSG_SIZE : 4;
    }
}
