package dev.conntrace.reassembly;

/**
 * Receives one connection's events. Calls for one connection are serialised (never concurrent) and
 * happen on the thread of the {@link Assembler} that processes the packet or the flush.
 */
public interface Stream {
    /**
     * Told of each segment of the connection before it is used (after the checksum check); return false
     * to ignore it. The segment and its payload are only valid during the call.
     */
    default boolean accept(TcpSegment segment, StreamHalf half) {
        return true;
    }

    /**
     * Reassembled bytes of one direction, in order. The data is only valid during the call; call
     * {@link ScatterGather#keepFrom(int)} to receive bytes again (at the front) in the next call.
     */
    void reassembled(ScatterGather data);

    /** One direction ended; every byte of it was delivered before. */
    default void halfClosed(StreamHalf half, EndReason reason) {}

    /** Both directions ended; no more calls follow for this connection. */
    void completed(Connection connection);
}
