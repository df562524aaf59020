package dev.conntrace.netlink;

import static dev.conntrace.netlink.Layouts.BE16;
import static dev.conntrace.netlink.Layouts.BE32;
import static dev.conntrace.netlink.Layouts.BE64;
import static dev.conntrace.netlink.Layouts.U16;
import static dev.conntrace.netlink.Layouts.U32;
import static dev.conntrace.netlink.Layouts.U64;
import static dev.conntrace.netlink.Layouts.U8;

import dev.conntrace.sys.IpAddress;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

/**
 * Writes one netlink request into a reusable native buffer: the {@code nlmsghdr}, a family header
 * ({@code put…}), then attributes ({@code add…}, nests with {@link #beginNested}/{@link #endNested}),
 * each padded to {@code NLA_ALIGNTO}. {@link #finish()} sets {@code nlmsg_len}.
 *
 * <pre>{@code
 * builder.begin(NFNL_SUBSYS_CTNETLINK << 8 | IPCTNL_MSG_CT_GET, NLM_F_REQUEST | NLM_F_ACK);
 * Nfgenmsg.put(builder, AF_INET, 0);
 * int tuple = builder.beginNested(CTA_TUPLE_ORIG);
 * ...
 * builder.endNested(tuple);
 * builder.finish();
 * }</pre>
 *
 * <p>Bounded: the capacity is fixed at construction; writing past it throws
 * {@link IllegalStateException}. Not thread-safe; {@link #begin} reuses the buffer.
 */
public final class MessageBuilder {
    /** Default capacity: ample for any conntrack or sock_diag request. */
    public static final int DEFAULT_CAPACITY = 64 * 1024;

    private final MemorySegment buffer;
    private int position;
    private boolean started;

    /** A builder writing into {@code buffer} (a native segment when the message is to be sent). */
    public MessageBuilder(MemorySegment buffer) {
        if (buffer.byteSize() < Netlink.NLMSG_HDRLEN) {
            throw new IllegalArgumentException("buffer of " + buffer.byteSize() + " bytes cannot hold a header");
        }
        this.buffer = buffer;
    }

    /** A builder with {@code capacity} bytes of native memory, freed when the builder is unreachable. */
    public static MessageBuilder allocate(int capacity) {
        return new MessageBuilder(Arena.ofAuto().allocate(capacity, 8));
    }

    /** Starts a message of {@code type} with {@code flags}; sequence and port id are 0 until set. */
    public MessageBuilder begin(int type, int flags) {
        position = 0;
        started = true;
        reserve(Netlink.NLMSG_HDRLEN);
        buffer.set(U16, 4, (short) type);
        buffer.set(U16, 6, (short) flags);
        position = Netlink.NLMSG_HDRLEN;
        return this;
    }

    /** Sets {@code nlmsg_seq}. */
    public MessageBuilder sequence(int sequence) {
        checkStarted();
        buffer.set(U32, 8, sequence);
        return this;
    }

    /** Sets {@code nlmsg_pid}. */
    public MessageBuilder portId(int portId) {
        checkStarted();
        buffer.set(U32, 12, portId);
        return this;
    }

    /** Replaces {@code nlmsg_flags}. */
    public MessageBuilder flags(int flags) {
        checkStarted();
        buffer.set(U16, 6, (short) flags);
        return this;
    }

    /** {@code nlmsg_seq} as set. */
    public int sequence() {
        return buffer.get(U32, 8);
    }

    /** {@code nlmsg_flags} as set. */
    public int flags() {
        return buffer.get(U16, 6) & 0xFFFF;
    }

    /** {@code nlmsg_type} as set. */
    public int type() {
        return buffer.get(U16, 4) & 0xFFFF;
    }

    // ------------------------------------------------------------ family header (raw, unpadded)

    /** Appends one byte. */
    public MessageBuilder putU8(int value) {
        buffer.set(U8, reserve(1), (byte) value);
        return this;
    }

    /** Appends a host-order u16. */
    public MessageBuilder putU16(int value) {
        buffer.set(U16, reserve(2), (short) value);
        return this;
    }

    /** Appends a host-order u32. */
    public MessageBuilder putU32(int value) {
        buffer.set(U32, reserve(4), value);
        return this;
    }

    /** Appends a big-endian u16. */
    public MessageBuilder putBe16(int value) {
        buffer.set(BE16, reserve(2), (short) value);
        return this;
    }

    /** Appends a big-endian u32. */
    public MessageBuilder putBe32(int value) {
        buffer.set(BE32, reserve(4), value);
        return this;
    }

    /** Appends {@code bytes}. */
    public MessageBuilder putBytes(byte[] bytes) {
        MemorySegment.copy(bytes, 0, buffer, U8, reserve(bytes.length), bytes.length);
        return this;
    }

    /** Appends {@code count} zero bytes. */
    public MessageBuilder putZeros(int count) {
        reserve(count); // reserve() zeroes
        return this;
    }

    // ------------------------------------------------------------ attributes

    /** Appends an attribute with a u8 value. */
    public MessageBuilder addU8(int type, int value) {
        buffer.set(U8, attribute(type, 1), (byte) value);
        return this;
    }

    /** Appends an attribute with a host-order u16 value. */
    public MessageBuilder addU16(int type, int value) {
        buffer.set(U16, attribute(type, 2), (short) value);
        return this;
    }

    /** Appends an attribute with a host-order u32 value. */
    public MessageBuilder addU32(int type, int value) {
        buffer.set(U32, attribute(type, 4), value);
        return this;
    }

    /** Appends an attribute with a host-order u64 value. */
    public MessageBuilder addU64(int type, long value) {
        buffer.set(U64, attribute(type, 8), value);
        return this;
    }

    /** Appends an attribute with a big-endian u16 value (a port). */
    public MessageBuilder addBe16(int type, int value) {
        buffer.set(BE16, attribute(type, 2), (short) value);
        return this;
    }

    /** Appends an attribute with a big-endian u32 value. */
    public MessageBuilder addBe32(int type, int value) {
        buffer.set(BE32, attribute(type, 4), value);
        return this;
    }

    /** Appends an attribute with a big-endian u64 value. */
    public MessageBuilder addBe64(int type, long value) {
        buffer.set(BE64, attribute(type, 8), value);
        return this;
    }

    /** Appends a NUL-terminated UTF-8 string attribute. */
    public MessageBuilder addString(int type, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        long at = attribute(type, bytes.length + 1);
        MemorySegment.copy(bytes, 0, buffer, U8, at, bytes.length);
        return this;
    }

    /** Appends an attribute whose value is {@code bytes}. */
    public MessageBuilder addBytes(int type, byte[] bytes) {
        MemorySegment.copy(bytes, 0, buffer, U8, attribute(type, bytes.length), bytes.length);
        return this;
    }

    /** Appends an attribute with no value (a flag). */
    public MessageBuilder addFlag(int type) {
        attribute(type, 0);
        return this;
    }

    /** Appends an IPv4 (4 bytes) or IPv6 (16 bytes) address in network byte order. */
    public MessageBuilder addAddress(int type, IpAddress address) {
        if (address.v6()) {
            long at = attribute(type, 16);
            buffer.set(BE64, at, address.high());
            buffer.set(BE64, at + 8, address.low());
        } else {
            buffer.set(BE32, attribute(type, 4), (int) address.low());
        }
        return this;
    }

    /**
     * Opens a nested attribute ({@code type | NLA_F_NESTED}); returns a token for {@link #endNested}.
     */
    public int beginNested(int type) {
        checkType(type);
        int at = (int) reserveAligned(Netlink.NLA_HDRLEN);
        buffer.set(U16, at + 2, (short) (type | Netlink.NLA_F_NESTED));
        return at;
    }

    /** Closes the nest {@code token} came from: sets its length to cover everything added since. */
    public MessageBuilder endNested(int token) {
        int length = position - token;
        if (token < Netlink.NLMSG_HDRLEN || length < Netlink.NLA_HDRLEN || length > 0xFFFF) {
            throw new IllegalStateException("bad nest token " + token + " (length " + length + ")");
        }
        buffer.set(U16, token, (short) length);
        return this;
    }

    /** Sets {@code nlmsg_len} to the bytes written; returns it. */
    public int finish() {
        checkStarted();
        buffer.set(U32, 0, position);
        return position;
    }

    /** Bytes written so far. */
    public int length() {
        return position;
    }

    /** The buffer (the message is its first {@link #length()} bytes). */
    public MemorySegment buffer() {
        return buffer;
    }

    /** A copy of the bytes written. */
    public byte[] toByteArray() {
        byte[] bytes = new byte[position];
        MemorySegment.copy(buffer, U8, 0, bytes, 0, position);
        return bytes;
    }

    private long attribute(int type, int valueLength) {
        checkType(type);
        int total = Netlink.NLA_HDRLEN + valueLength;
        if (total > 0xFFFF) {
            throw new IllegalArgumentException("attribute type " + type + " of " + valueLength + " bytes exceeds 65535");
        }
        long at = reserveAligned(total);
        buffer.set(U16, at, (short) total);
        buffer.set(U16, at + 2, (short) type);
        return at + Netlink.NLA_HDRLEN;
    }

    /** Pads to 4, then reserves {@code size} bytes and the padding after them; returns the start. */
    private long reserveAligned(int size) {
        position = Netlink.align(position);
        long at = reserve(Netlink.align(size));
        return at;
    }

    private long reserve(int size) {
        checkStarted();
        if (size < 0 || (long) position + size > buffer.byteSize()) {
            throw new IllegalStateException("message of " + ((long) position + size)
                    + " bytes exceeds the builder's capacity of " + buffer.byteSize());
        }
        long at = position;
        buffer.asSlice(at, size).fill((byte) 0);
        position += size;
        return at;
    }

    private static void checkType(int type) {
        if (type < 0 || type > 0xFFFF) { // NLA_F_NESTED / NLA_F_NET_BYTEORDER may be included
            throw new IllegalArgumentException("attribute type " + type + " outside 0..65535");
        }
    }

    private void checkStarted() {
        if (!started) {
            throw new IllegalStateException("call begin() first");
        }
    }
}
