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
 * at 40, {@code msg_flags} at 48; 56 bytes. The iovec (base, len) follows at 56, then the address
 * area and the optional ancillary-data (cmsg) area.
 *
 * <p>Not thread-safe: one per socket and thread.
 */
public final class MsgHdr {
    private static final long MSG_NAME = 0;
    private static final long MSG_NAMELEN = 8;
    private static final long MSG_IOV = 16;
    private static final long MSG_IOVLEN = 24;
    private static final long MSG_CONTROL = 32;
    private static final long MSG_CONTROLLEN = 40;
    private static final long MSG_FLAGS = 48;
    private static final long IOV = 56;
    private static final long NAME = 72;

    private final MemorySegment segment;
    private final MemorySegment name;
    private final int nameCapacity;
    private final MemorySegment control;

    private MsgHdr(MemorySegment segment, int nameCapacity, int controlCapacity) {
        this.segment = segment;
        this.nameCapacity = nameCapacity;
        this.name = segment.asSlice(NAME, nameCapacity);
        long controlAt = (NAME + nameCapacity + 7) & ~7L;
        this.control = segment.asSlice(controlAt, controlCapacity);
        segment.set(ADDRESS, MSG_NAME, name);
        segment.set(JAVA_INT, MSG_NAMELEN, nameCapacity);
        segment.set(ADDRESS, MSG_IOV, segment.asSlice(IOV, 16));
        segment.set(JAVA_LONG, MSG_IOVLEN, 1);
        segment.set(ADDRESS, MSG_CONTROL, controlCapacity == 0 ? MemorySegment.NULL : control);
        segment.set(JAVA_LONG, MSG_CONTROLLEN, controlCapacity);
    }

    /** A message header in {@code arena} with room for a {@code nameCapacity}-byte address (e.g. 12 for sockaddr_nl). */
    public static MsgHdr allocate(Arena arena, int nameCapacity) {
        return allocate(arena, nameCapacity, 0);
    }

    /**
     * A message header with room for a {@code nameCapacity}-byte address and {@code controlCapacity}
     * bytes of ancillary data (cmsg; e.g. NETLINK_PKTINFO, PACKET_AUXDATA).
     */
    public static MsgHdr allocate(Arena arena, int nameCapacity, int controlCapacity) {
        if (nameCapacity < 0 || nameCapacity > 128) {
            throw new IllegalArgumentException("address capacity " + nameCapacity + " outside 0..128");
        }
        if (controlCapacity < 0 || controlCapacity > 65536) {
            throw new IllegalArgumentException("control capacity " + controlCapacity + " outside 0..65536");
        }
        long controlAt = (NAME + nameCapacity + 7) & ~7L;
        return new MsgHdr(arena.allocate(controlAt + controlCapacity, 8), nameCapacity, controlCapacity);
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
        segment.set(JAVA_LONG, MSG_CONTROLLEN, control.byteSize());
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

    /**
     * The ancillary-data area: after {@code recvmsg}, {@link #controlLength()} bytes of
     * {@code struct cmsghdr} records (len u64, level s32, type s32, data aligned to 8).
     */
    public MemorySegment control() {
        return control;
    }

    /** Bytes of ancillary data the kernel stored on the last receive. */
    public long controlLength() {
        return segment.get(JAVA_LONG, MSG_CONTROLLEN);
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
