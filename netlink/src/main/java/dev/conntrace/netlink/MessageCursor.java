package dev.conntrace.netlink;

import static dev.conntrace.netlink.Layouts.U32;

import java.lang.foreign.MemorySegment;

/**
 * Walks the netlink messages packed in a datagram (each {@code nlmsg_len} long, aligned to
 * {@code NLMSG_ALIGNTO}) without copying: {@link #message()} is one reusable view.
 *
 * <p>A message running past the end of the bytes is {@link DecodeException.Kind#TRUNCATED}; a
 * length below the 16-byte header is {@link DecodeException.Kind#CORRUPT}. Not thread-safe.
 */
public final class MessageCursor {
    private final NetlinkMessage message = new NetlinkMessage();
    private MemorySegment segment = MemorySegment.NULL;
    private long next;
    private long limit;

    /** A cursor over nothing; {@link #reset} it over a datagram. */
    public MessageCursor() {}

    /** Walks the messages in {@code length} bytes of {@code segment} from {@code offset}. */
    public MessageCursor reset(MemorySegment segment, long offset, long length) {
        if (offset < 0 || length < 0 || offset + length > segment.byteSize()) {
            throw new IndexOutOfBoundsException("messages at " + offset + "+" + length
                    + " outside a segment of " + segment.byteSize() + " bytes");
        }
        this.segment = segment;
        this.next = offset;
        this.limit = offset + length;
        return this;
    }

    /**
     * Moves to the next message; false at the end of the bytes.
     *
     * @throws DecodeException when the next message is truncated or corrupt
     */
    public boolean next() throws DecodeException {
        long remaining = limit - next;
        if (remaining <= 0) {
            return false;
        }
        if (remaining < Netlink.NLMSG_HDRLEN) {
            throw DecodeException.truncated(next, "message header needs 16 bytes, " + remaining + " left");
        }
        long length = segment.get(U32, next) & 0xFFFF_FFFFL;
        if (length < Netlink.NLMSG_HDRLEN) {
            throw DecodeException.corrupt(next, "nlmsg_len " + length + " is below the 16-byte header");
        }
        if (length > remaining) {
            throw DecodeException.truncated(next, "nlmsg_len " + length + ", " + remaining + " bytes left");
        }
        message.wrap(segment, next, (int) length);
        next = Math.min(next + ((length + 3) & ~3L), limit);
        return true;
    }

    /** The current message (the same object after every {@link #next()}). */
    public NetlinkMessage message() {
        return message;
    }
}
