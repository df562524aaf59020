package dev.conntrace.netlink;

import static dev.conntrace.netlink.Layouts.BE16;
import static dev.conntrace.netlink.Layouts.BE32;
import static dev.conntrace.netlink.Layouts.BE64;
import static dev.conntrace.netlink.Layouts.U16;
import static dev.conntrace.netlink.Layouts.U32;
import static dev.conntrace.netlink.Layouts.U64;
import static dev.conntrace.netlink.Layouts.U8;

import dev.conntrace.sys.IpAddress;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

/**
 * Walks netlink attributes ({@code struct nlattr}: len u16, type u16, value, padding to
 * {@code NLA_ALIGNTO}) in a {@link MemorySegment} without copying and without allocating per
 * attribute.
 *
 * <pre>{@code
 * AttributeCursor attrs = message.attributes(cursor, Nfgenmsg.SIZE);
 * while (attrs.next()) {
 *     switch (attrs.type()) {
 *         case CTA_TUPLE_ORIG -> readTuple(attrs.nested());
 *         case CTA_MARK -> mark = attrs.be32();
 *         default -> unknown++;   // open enum: skipped, never an error
 *     }
 * }
 * }</pre>
 *
 * <p><b>Errors.</b> Every read is bounds-checked and throws {@link DecodeException}: at the top
 * level of a buffer opened with {@link #reset(MemorySegment, long, long)} an attribute running past
 * the end is {@link DecodeException.Kind#TRUNCATED} (the buffer may be a prefix); inside a nest, or in a
 * complete message ({@link NetlinkMessage#attributes}), the same overrun is
 * {@link DecodeException.Kind#CORRUPT}, as are lengths below the header size, values of the wrong
 * size and nesting deeper than {@link #MAX_DEPTH}.
 *
 * <p><b>Memory.</b> {@link #nested()} returns this cursor's one child cursor, reset over the current
 * attribute: finish walking it before calling {@code nested()} again on this cursor. At most
 * {@link #MAX_DEPTH} cursors exist per root. Not thread-safe.
 */
public final class AttributeCursor {
    private static final boolean LITTLE_ENDIAN = java.nio.ByteOrder.nativeOrder() == java.nio.ByteOrder.LITTLE_ENDIAN;

    /** Deepest nesting accepted; ctnetlink uses at most 4 levels. */
    public static final int MAX_DEPTH = 16;

    private final int depth;
    private AttributeCursor child;
    private MemorySegment segment = MemorySegment.NULL;
    private long limit;
    private long next;
    private long current = -1;
    private int valueLength = -1;
    private int rawType;
    private boolean complete;

    /** A root cursor; {@link #reset} it over a buffer before use. */
    public AttributeCursor() {
        this(0);
    }

    private AttributeCursor(int depth) {
        this.depth = depth;
    }

    /**
     * Walks the attributes in {@code length} bytes of {@code segment} from {@code offset}. The bytes
     * may be a prefix of a message: an attribute running past their end is TRUNCATED.
     */
    public AttributeCursor reset(MemorySegment segment, long offset, long length) {
        return reset(segment, offset, length, false);
    }

    /** Walks all attributes in {@code segment}; see {@link #reset(MemorySegment, long, long)}. */
    public AttributeCursor reset(MemorySegment segment) {
        return reset(segment, 0, segment.byteSize(), false);
    }

    AttributeCursor reset(MemorySegment segment, long offset, long length, boolean complete) {
        if (offset < 0 || length < 0 || offset + length > segment.byteSize()) {
            throw new IndexOutOfBoundsException("attributes at " + offset + "+" + length
                    + " outside a segment of " + segment.byteSize() + " bytes");
        }
        this.segment = segment;
        this.next = offset;
        this.limit = offset + length;
        this.current = -1;
        this.valueLength = -1;
        this.complete = complete;
        return this;
    }

    /**
     * Moves to the next attribute; false at the end.
     *
     * @throws DecodeException when the next attribute is truncated or corrupt
     */
    public boolean next() throws DecodeException {
        long at = next;
        long remaining = limit - at;
        current = -1;
        valueLength = -1;
        if (remaining <= 0) {
            return false;
        }
        if (remaining < Netlink.NLA_HDRLEN) {
            throw overrun(at, "attribute header needs 4 bytes, " + remaining + " left");
        }
        int header = segment.get(U32, at); // nla_len and nla_type in one host-order read
        int length = LITTLE_ENDIAN ? header & 0xFFFF : header >>> 16;
        if (length < Netlink.NLA_HDRLEN) {
            throw DecodeException.corrupt(at, "attribute length " + length + " is below the 4-byte header");
        }
        int type = LITTLE_ENDIAN ? header >>> 16 : header & 0xFFFF;
        if (length > remaining) {
            throw overrun(at, "attribute type " + (type & Netlink.NLA_TYPE_MASK)
                    + " claims " + length + " bytes, " + remaining + " left");
        }
        current = at;
        valueLength = length - Netlink.NLA_HDRLEN;
        rawType = type;
        next = Math.min(at + ((length + 3) & ~3), limit);
        return true;
    }

    private DecodeException overrun(long at, String what) {
        return depth == 0 && !complete ? DecodeException.truncated(at, what) : DecodeException.corrupt(at, what);
    }

    /** The attribute type without the NLA_F_NESTED and NLA_F_NET_BYTEORDER flags. */
    public int type() {
        check();
        return rawType & Netlink.NLA_TYPE_MASK;
    }

    /** The 16-bit type field as sent, flags included. */
    public int rawType() {
        check();
        return rawType;
    }

    /** NLA_F_NESTED is set: the value is itself a list of attributes. */
    public boolean isNested() {
        check();
        return (rawType & Netlink.NLA_F_NESTED) != 0;
    }

    /** NLA_F_NET_BYTEORDER is set: the value is big-endian. */
    public boolean isNetByteOrder() {
        check();
        return (rawType & Netlink.NLA_F_NET_BYTEORDER) != 0;
    }

    /** Length of the value, without header or padding. */
    public int length() {
        check();
        return valueLength;
    }

    /** Offset of the current attribute's header in {@link #segment()}. */
    public long offset() {
        check();
        return current;
    }

    /** Offset of the current attribute's value in {@link #segment()}. */
    public long valueOffset() {
        check();
        return current + Netlink.NLA_HDRLEN;
    }

    /** The segment being walked. */
    public MemorySegment segment() {
        return segment;
    }

    /** Nesting depth: 0 for a root cursor. */
    public int depth() {
        return depth;
    }

    /** The value as an unsigned 8-bit number. */
    public int u8() throws DecodeException {
        need(1);
        return segment.get(U8, current + 4) & 0xFF;
    }

    /** The value as an unsigned 16-bit number in host byte order. */
    public int u16() throws DecodeException {
        need(2);
        return segment.get(U16, current + 4) & 0xFFFF;
    }

    /** The value as a 32-bit number in host byte order (unsigned: use {@link Integer#toUnsignedLong}). */
    public int u32() throws DecodeException {
        need(4);
        return segment.get(U32, current + 4);
    }

    /** The value as a 64-bit number in host byte order. */
    public long u64() throws DecodeException {
        need(8);
        return segment.get(U64, current + 4);
    }

    /** The value as an unsigned 16-bit number in network byte order (ports). */
    public int be16() throws DecodeException {
        need(2);
        return segment.get(BE16, current + 4) & 0xFFFF;
    }

    /** The value as a 32-bit number in network byte order. */
    public int be32() throws DecodeException {
        need(4);
        return segment.get(BE32, current + 4);
    }

    /** The value as a 64-bit number in network byte order (ctnetlink counters). */
    public long be64() throws DecodeException {
        need(8);
        return segment.get(BE64, current + 4);
    }

    /** The value as a C string: up to the first NUL (or the whole value), decoded as UTF-8. */
    public String string() {
        check();
        int n = 0;
        while (n < valueLength && segment.get(U8, current + 4 + n) != 0) {
            n++;
        }
        byte[] bytes = new byte[n];
        MemorySegment.copy(segment, U8, current + 4, bytes, 0, n);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** A copy of the value. */
    public byte[] bytes() {
        check();
        byte[] bytes = new byte[valueLength];
        MemorySegment.copy(segment, U8, current + 4, bytes, 0, valueLength);
        return bytes;
    }

    /** Copies the value into {@code target} from {@code offset}; returns its length. */
    public int copyTo(byte[] target, int offset) {
        check();
        MemorySegment.copy(segment, U8, current + 4, target, offset, valueLength);
        return valueLength;
    }

    /** The value as an IPv4 (4 bytes) or IPv6 (16 bytes) address in network byte order. */
    public IpAddress address() throws DecodeException {
        check();
        long at = current + 4;
        return switch (valueLength) {
            case 4 -> IpAddress.ipv4(segment.get(BE32, at));
            case 16 -> IpAddress.ipv6(segment.get(BE64, at), segment.get(BE64, at + 8));
            default -> throw DecodeException.corrupt(current,
                    "attribute type " + type() + " has " + valueLength + " bytes, an address needs 4 or 16");
        };
    }

    /**
     * The attributes inside the current one, in this cursor's reusable child cursor.
     *
     * @throws DecodeException (CORRUPT) when nesting would exceed {@link #MAX_DEPTH}
     */
    public AttributeCursor nested() throws DecodeException {
        check();
        if (depth + 1 > MAX_DEPTH) {
            throw DecodeException.corrupt(current, "attributes nested deeper than " + MAX_DEPTH);
        }
        AttributeCursor c = child;
        if (c == null) {
            c = child = new AttributeCursor(depth + 1);
        }
        long start = current + Netlink.NLA_HDRLEN; // within this attribute, which next() bounds-checked
        c.segment = segment;
        c.next = start;
        c.limit = start + valueLength;
        c.current = -1;
        c.valueLength = -1;
        c.complete = true;
        return c;
    }

    private void check() {
        if (current < 0) {
            throw new IllegalStateException("no current attribute: call next() first and only while it returns true");
        }
    }

    private void need(int size) throws DecodeException {
        if (valueLength < size) { // also true without a current attribute (valueLength -1)
            throw tooShort(size);
        }
    }

    private DecodeException tooShort(int size) {
        check();
        return DecodeException.corrupt(current, "attribute type " + (rawType & Netlink.NLA_TYPE_MASK)
                + " has " + valueLength + " bytes, needs " + size);
    }

    @Override
    public String toString() {
        return current < 0 ? "AttributeCursor[no current]"
                : "AttributeCursor[type=" + (rawType & Netlink.NLA_TYPE_MASK) + ", length=" + valueLength + ", offset=" + current + "]";
    }
}
