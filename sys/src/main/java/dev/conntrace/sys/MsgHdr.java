package dev.conntrace.sys;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * A reusable {@code struct msghdr} with one {@code struct iovec} and a source/destination address
 * area, for {@link Libc#recvmsg} and {@link Libc#sendmsg} without allocating per call.
 *
 * <p>Layout (LP64, {@code <bits/socket.h>}): {@code msg_name} at 0, {@code msg_namelen} at 8,
 * {@code msg_iov} at 16, {@code msg_iovlen} at 24, {@code msg_control} at 32, {@code msg_controllen}
 * at 40, {@code msg_flags} at 48; 56 bytes. The iovec (base, len) follows at 56.
 *
 * <p>Not thread-safe: one per socket and thread.
 */
public final class MsgHdr {
    private static final long MSG_NAME = 0;
    private static final long MSG_NAMELEN = 8;
    private static final long MSG_IOV = 16;
    private static final long MSG_IOVLEN = 24;
    private static final long MSG_FLAGS = 48;
    private static final long IOV = 56;
    private static final long NAME = 72;

    private final MemorySegment segment;
    private final MemorySegment name;
    private final int nameCapacity;

    private MsgHdr(MemorySegment segment, int nameCapacity) {
        this.segment = segment;
        this.nameCapacity = nameCapacity;
        this.name = segment.asSlice(NAME, nameCapacity);
        segment.set(ADDRESS, MSG_NAME, name);
        segment.set(JAVA_INT, MSG_NAMELEN, nameCapacity);
        segment.set(ADDRESS, MSG_IOV, segment.asSlice(IOV, 16));
        segment.set(JAVA_LONG, MSG_IOVLEN, 1);
    }

    /** A message header in {@code arena} with room for a {@code nameCapacity}-byte address (e.g. 12 for sockaddr_nl). */
    public static MsgHdr allocate(Arena arena, int nameCapacity) {
        if (nameCapacity < 0 || nameCapacity > 128) {
            throw new IllegalArgumentException("address capacity " + nameCapacity + " outside 0..128");
        }
        return new MsgHdr(arena.allocate(NAME + nameCapacity, 8), nameCapacity);
    }

    /** Points the single iovec at the first {@code length} bytes of {@code buffer} (a native segment). */
    public MsgHdr buffer(MemorySegment buffer, long length) {
        if (length < 0 || length > buffer.byteSize()) {
            throw new IndexOutOfBoundsException("length " + length + " outside a buffer of " + buffer.byteSize() + " bytes");
        }
        segment.set(ADDRESS, IOV, buffer);
        segment.set(JAVA_LONG, IOV + 8, length);
        return this;
    }

    /** Resets the address length and flags the kernel overwrites; call before each {@code recvmsg}. */
    public MsgHdr prepareReceive() {
        segment.set(ADDRESS, MSG_NAME, name);
        segment.set(JAVA_INT, MSG_NAMELEN, nameCapacity);
        segment.set(JAVA_INT, MSG_FLAGS, 0);
        return this;
    }

    /** Sets the destination address length for {@code sendmsg} (0: no address, connected socket). */
    public MsgHdr nameLength(int length) {
        if (length < 0 || length > nameCapacity) {
            throw new IndexOutOfBoundsException("address length " + length + " outside 0.." + nameCapacity);
        }
        segment.set(JAVA_INT, MSG_NAMELEN, length);
        segment.set(ADDRESS, MSG_NAME, length == 0 ? MemorySegment.NULL : name);
        return this;
    }

    /** The address area: after {@code recvmsg}, the sender's address; before {@code sendmsg}, the destination. */
    public MemorySegment name() {
        return name;
    }

    /** The address length the kernel reported on the last receive. */
    public int nameLength() {
        return segment.get(JAVA_INT, MSG_NAMELEN);
    }

    /** {@code msg_flags} after a receive, e.g. {@link SocketConstants#MSG_TRUNC}. */
    public int flags() {
        return segment.get(JAVA_INT, MSG_FLAGS);
    }

    /** The native {@code struct msghdr}. */
    MemorySegment segment() {
        return segment;
    }
}
