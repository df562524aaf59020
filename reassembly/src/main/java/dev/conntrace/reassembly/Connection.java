package dev.conntrace.reassembly;

import dev.conntrace.sys.IpAddress;

/**
 * One TCP connection: two {@link StreamHalf}s and the user's {@link Stream}. Assemblers process a
 * connection's segments while holding its monitor, so its stream's callbacks never run concurrently.
 */
public final class Connection {
    final long index;
    final FlowKey key;
    private final StreamHalf[] halves = new StreamHalf[2];
    int clientSide;
    boolean sawSyn;
    boolean completed;
    Stream stream;
    long firstNanos;
    long lastNanos;
    long buffered;
    long resetAt = Long.MIN_VALUE;

    Connection(long index, FlowKey key, TcpSegment first, int senderSide) {
        this.index = index;
        this.key = key;
        IpAddress src = first.src();
        IpAddress dst = first.dst();
        halves[senderSide] = new StreamHalf(this, senderSide, src, first.srcPort, dst, first.dstPort);
        halves[1 - senderSide] = new StreamHalf(this, 1 - senderSide, dst, first.dstPort, src, first.srcPort);
        boolean syn = first.has(TcpFlags.SYN);
        sawSyn = syn;
        clientSide = syn && first.has(TcpFlags.ACK) ? 1 - senderSide : senderSide;
        firstNanos = first.timestampNanos;
        lastNanos = first.timestampNanos;
    }

    /** Index in order of first packet within the pool, from 0. */
    public long index() {
        return index;
    }

    StreamHalf half(int side) {
        return halves[side];
    }

    /** The half for {@code direction}. */
    public StreamHalf half(Direction direction) {
        return direction == Direction.CLIENT_TO_SERVER ? halves[clientSide] : halves[1 - clientSide];
    }

    /** The client endpoint's half (client to server). */
    public StreamHalf clientToServer() {
        return halves[clientSide];
    }

    /** The server endpoint's half (server to client). */
    public StreamHalf serverToClient() {
        return halves[1 - clientSide];
    }

    /** True once both directions ended and the stream was told. */
    public boolean completed() {
        return completed;
    }

    /** True when a SYN was seen, so the client is known rather than guessed from the first packet. */
    public boolean sawSyn() {
        return sawSyn;
    }

    /** Capture time of the first packet. */
    public long firstNanos() {
        return firstNanos;
    }

    /** Capture time of the latest packet. */
    public long lastNanos() {
        return lastNanos;
    }

    /** The user's stream for this connection. */
    public Stream stream() {
        return stream;
    }

    @Override
    public String toString() {
        StreamHalf c = clientToServer();
        return "#" + index + " " + c.src + "." + c.srcPort + " > " + c.dst + "." + c.dstPort;
    }
}
