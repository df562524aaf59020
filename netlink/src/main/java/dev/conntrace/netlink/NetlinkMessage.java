package dev.conntrace.netlink;

import static dev.conntrace.netlink.Layouts.BE16;
import static dev.conntrace.netlink.Layouts.BE32;
import static dev.conntrace.netlink.Layouts.U16;
import static dev.conntrace.netlink.Layouts.U32;
import static dev.conntrace.netlink.Layouts.U8;

import java.lang.foreign.MemorySegment;

/**
 * A zero-copy view of one netlink message ({@code struct nlmsghdr} and its payload) inside a receive
 * buffer. The same object is re-pointed at each message of a dump: it is valid only during the
 * {@link MessageVisitor#visit} call that received it; copy what you keep ({@link #toByteArray()}).
 *
 * <p>Payload reads ({@link #u8(int)} …) take offsets relative to the payload start (the family
 * header, e.g. {@code nfgenmsg}, is at 0) and are checked against the message length.
 */
public final class NetlinkMessage {
    private MemorySegment segment = MemorySegment.NULL;
    private long offset;
    private int length;
    private int type;
    private int flags;
    private int sequence;
    private int portId;

    /** An empty view; {@link MessageCursor} points it at messages. */
    public NetlinkMessage() {}

    /** Points this view at the header at {@code offset}; the caller has checked the length. */
    void wrap(MemorySegment segment, long offset, int length) {
        this.segment = segment;
        this.offset = offset;
        this.length = length;
        this.type = segment.get(U16, offset + 4) & 0xFFFF;
        this.flags = segment.get(U16, offset + 6) & 0xFFFF;
        this.sequence = segment.get(U32, offset + 8);
        this.portId = segment.get(U32, offset + 12);
    }

    /** {@code nlmsg_len}: header plus payload, in bytes. */
    public int length() {
        return length;
    }

    /** {@code nlmsg_type}, e.g. {@link Netlink#NLMSG_DONE} or {@code NFNL_SUBSYS_CTNETLINK << 8 | IPCTNL_MSG_CT_NEW}. */
    public int type() {
        return type;
    }

    /** {@code nlmsg_flags}. */
    public int flags() {
        return flags;
    }

    /** True when every bit of {@code mask} is set in {@link #flags()}. */
    public boolean hasFlags(int mask) {
        return (flags & mask) == mask;
    }

    /** {@code nlmsg_seq}. */
    public int sequence() {
        return sequence;
    }

    /** {@code nlmsg_pid}: the port id the message is addressed to or came from. */
    public int portId() {
        return portId;
    }

    /** The buffer holding the message. */
    public MemorySegment segment() {
        return segment;
    }

    /** Offset of the header in {@link #segment()}. */
    public long offset() {
        return offset;
    }

    /** Offset of the payload in {@link #segment()}. */
    public long payloadOffset() {
        return offset + Netlink.NLMSG_HDRLEN;
    }

    /** Payload length: {@code nlmsg_len - NLMSG_HDRLEN}. */
    public int payloadLength() {
        return length - Netlink.NLMSG_HDRLEN;
    }

    /** The payload as a slice (a small object per call; the hot path uses offsets instead). */
    public MemorySegment payload() {
        return segment.asSlice(payloadOffset(), payloadLength());
    }

    /**
     * The attributes after a {@code familyHeaderLength}-byte family header (e.g. 4 for
     * {@code nfgenmsg}), walked by {@code cursor} (reset, not allocated). The message is complete,
     * so an attribute running past its end is CORRUPT.
     *
     * @throws DecodeException (CORRUPT) when the payload is shorter than the family header
     */
    public AttributeCursor attributes(AttributeCursor cursor, int familyHeaderLength) throws DecodeException {
        if (familyHeaderLength < 0 || familyHeaderLength > payloadLength()) {
            throw DecodeException.corrupt(offset, "message type " + type + " has a " + payloadLength()
                    + "-byte payload, shorter than its " + familyHeaderLength + "-byte family header");
        }
        int start = Netlink.align(familyHeaderLength);
        long attrs = payloadOffset() + Math.min(start, payloadLength());
        return cursor.reset(segment, attrs, offset + length - attrs, true);
    }

    /** The payload byte at {@code at}. */
    public int u8(int at) throws DecodeException {
        check(at, 1);
        return segment.get(U8, payloadOffset() + at) & 0xFF;
    }

    /** The host-order u16 of the payload at {@code at}. */
    public int u16(int at) throws DecodeException {
        check(at, 2);
        return segment.get(U16, payloadOffset() + at) & 0xFFFF;
    }

    /** The host-order u32 of the payload at {@code at}. */
    public int u32(int at) throws DecodeException {
        check(at, 4);
        return segment.get(U32, payloadOffset() + at);
    }

    /** The big-endian u16 of the payload at {@code at}. */
    public int be16(int at) throws DecodeException {
        check(at, 2);
        return segment.get(BE16, payloadOffset() + at) & 0xFFFF;
    }

    /** The big-endian u32 of the payload at {@code at}. */
    public int be32(int at) throws DecodeException {
        check(at, 4);
        return segment.get(BE32, payloadOffset() + at);
    }

    /** A copy of the whole message, header included. */
    public byte[] toByteArray() {
        byte[] bytes = new byte[length];
        MemorySegment.copy(segment, U8, offset, bytes, 0, length);
        return bytes;
    }

    private void check(int at, int size) throws DecodeException {
        if (at < 0 || at + size > payloadLength()) {
            throw DecodeException.corrupt(offset, "reading " + size + " bytes at payload offset " + at
                    + " of a " + payloadLength() + "-byte payload (message type " + type + ")");
        }
    }

    @Override
    public String toString() {
        return "NetlinkMessage[type=" + type + ", flags=0x" + Integer.toHexString(flags) + ", seq="
                + Integer.toUnsignedString(sequence) + ", pid=" + Integer.toUnsignedString(portId) + ", len=" + length + "]";
    }
}
