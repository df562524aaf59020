package dev.conntrace.reassembly;

import dev.conntrace.sys.IpAddress;
import java.util.ArrayList;

/**
 * One direction of a connection: the bytes one endpoint sent to the other, with its reassembly state
 * and counters. Read its getters from the callbacks of the owning {@link Stream} (or after the
 * connection completed); the state is guarded by the {@link Connection}'s lock.
 *
 * <p>Offsets are stream offsets: byte 0 is the byte after the SYN, or the first byte seen when the
 * capture has no SYN. Invariant: {@link #bytes()} + {@link #missing()} == {@link #span()}.
 */
public final class StreamHalf {
    private final Connection connection;
    final int side;
    final IpAddress src;
    final int srcPort;
    final IpAddress dst;
    final int dstPort;

    // sequence state
    boolean started;
    boolean synSeen;
    long base;
    long next;
    long finAt = -1;
    boolean closed;
    EndReason endReason;
    boolean startDelivered;
    long unreportedSkip;
    int outOfWindowRun;
    final ArrayList<Piece> pending = new ArrayList<>();
    final ArrayList<Piece> kept = new ArrayList<>();
    final ArrayList<Suspect> suspects = new ArrayList<>();
    int keptLength;

    // counters
    long packets;
    long bytes;
    long missing;
    long overlap;
    long lateBytes;
    long latePackets;
    long badChecksum;
    long outOfWindow;
    long badChecksumBytesUsed;
    long invalidRst;
    long firstNanos = Long.MIN_VALUE;
    long lastNanos = Long.MIN_VALUE;

    StreamHalf(Connection connection, int side, IpAddress src, int srcPort, IpAddress dst, int dstPort) {
        this.connection = connection;
        this.side = side;
        this.src = src;
        this.srcPort = srcPort;
        this.dst = dst;
        this.dstPort = dstPort;
    }

    /** Sequence number of stream offset {@code next}. */
    long nextSeq() {
        return Seq.add(base, next);
    }

    /** Stream offset of {@code seq}, taken as the nearest to the next expected byte. */
    long offsetOf(long seq) {
        return next + Seq.diff(seq, nextSeq());
    }

    public Connection connection() {
        return connection;
    }

    /** The direction, by the connection's current idea of who the client is. */
    public Direction direction() {
        return connection.clientSide == side ? Direction.CLIENT_TO_SERVER : Direction.SERVER_TO_CLIENT;
    }

    /** The other direction of the same connection. */
    public StreamHalf reverse() {
        return connection.half(1 - side);
    }

    public IpAddress src() {
        return src;
    }

    public int srcPort() {
        return srcPort;
    }

    public IpAddress dst() {
        return dst;
    }

    public int dstPort() {
        return dstPort;
    }

    /** True once this direction ended; see {@link #endReason()}. */
    public boolean closed() {
        return closed;
    }

    /** Why it ended, or null while open. */
    public EndReason endReason() {
        return endReason;
    }

    /** True when a SYN of this direction was seen (so offset 0 is the byte after the SYN). */
    public boolean synSeen() {
        return synSeen;
    }

    /** Segments of this direction seen, including ignored ones. */
    public long packets() {
        return packets;
    }

    /** Data bytes delivered. */
    public long bytes() {
        return bytes;
    }

    /** Bytes skipped: gaps given up on and bytes cut by the snapshot length. */
    public long missing() {
        return missing;
    }

    /** Bytes received again for offsets already covered (first copy wins); retransmissions count here. */
    public long overlap() {
        return overlap;
    }

    /** Stream offset reached: bytes + missing. */
    public long span() {
        return next;
    }

    /** Data bytes that arrived after this direction ended, or before its first byte; not delivered. */
    public long lateBytes() {
        return lateBytes;
    }

    /** Segments that arrived after the connection completed. */
    public long latePackets() {
        return latePackets;
    }

    /** Segments dropped for a bad checksum. */
    public long badChecksum() {
        return badChecksum;
    }

    /** Segments dropped because they started too far past the next expected byte. */
    public long outOfWindow() {
        return outOfWindow;
    }

    /** Bytes taken from bad-checksum segments because no good copy came before the gap had to be closed. */
    public long badChecksumBytesUsed() {
        return badChecksumBytesUsed;
    }

    /** RST segments ignored because their sequence (or acknowledgement) did not fit the connection. */
    public long invalidRst() {
        return invalidRst;
    }

    /** Bytes currently buffered out of order. */
    public long bufferedBytes() {
        long n = 0;
        for (Piece p : pending) {
            n += p.hole ? 0 : p.length;
        }
        return n;
    }

    /** Capture time of the first segment of this direction, or {@link Long#MIN_VALUE} if none. */
    public long firstNanos() {
        return firstNanos;
    }

    /** Capture time of the last segment of this direction, or {@link Long#MIN_VALUE} if none. */
    public long lastNanos() {
        return lastNanos;
    }

    @Override
    public String toString() {
        return src + "." + srcPort + "-" + dst + "." + dstPort + " " + direction().label();
    }
}
