package dev.conntrace.packet;

import java.io.IOException;
import java.lang.foreign.MemorySegment;

/**
 * A sequence of captured packets read in place, one at a time.
 *
 * <p>After {@link #next()} returns true the accessors describe the current packet; its bytes are
 * {@code data()[dataOffset() .. dataOffset() + captureLength())}. Both the segment and the values
 * are only valid until the next call to {@code next()} or {@code close()}: nothing is allocated
 * per packet, so callers that keep bytes must copy them.
 *
 * <p>Not thread-safe: one thread reads a source at a time.
 */
public interface PacketSource extends AutoCloseable {

    /**
     * Advances to the next packet.
     *
     * @return false at the end of the capture (including when the capture ends inside a packet:
     *     see {@link #truncatedTail()})
     * @throws CaptureFormatException when the capture is corrupt at the next record
     * @throws IOException when reading fails
     */
    boolean next() throws IOException;

    /** The current packet's timestamp in nanoseconds since the Unix epoch. */
    long timestampNanos();

    /** False when the record carries no timestamp (a pcapng simple packet block); {@link #timestampNanos()} is then 0. */
    default boolean hasTimestamp() {
        return true;
    }

    /** The current packet's link type, a LINKTYPE_* number (see {@link LinkType}). */
    int linkType();

    /** Bytes of the current packet present in the capture. */
    int captureLength();

    /** Bytes the current packet had on the wire (at least as many as were captured, if sane). */
    int originalLength();

    /** The segment that holds the current packet's bytes (valid until the next {@code next()}). */
    MemorySegment data();

    /** Where the current packet's bytes start in {@link #data()}. */
    long dataOffset();

    /** The current packet's 0-based position in the capture. */
    long packetIndex();

    /** The capture interface the current packet came from: 0 for pcap, the IDB index in its section for pcapng. */
    default int interfaceId() {
        return 0;
    }

    /**
     * The file offset of an incomplete record at the end of the capture, or -1 if the capture ended
     * cleanly (or has not been read to its end yet). A cut-off file is a warning, not an error.
     */
    long truncatedTail();

    /**
     * The warning to show when the capture was cut short (see {@link #truncatedTail()}), or null
     * when it ended cleanly.
     */
    default String truncationWarning() {
        long tail = truncatedTail();
        return tail < 0 ? null
                : name() + ": capture ends inside a record at offset " + tail + "; the packets before it were read";
    }

    /** The name of the capture (its path, or "stdin"). */
    String name();

    @Override
    void close() throws IOException;
}
