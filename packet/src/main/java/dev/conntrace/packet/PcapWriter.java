package dev.conntrace.packet;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes the classic libpcap format, little-endian, with the microsecond or nanosecond magic.
 * Not thread-safe. Buffers at most 1 MiB plus one packet.
 */
public final class PcapWriter implements AutoCloseable {
    private final RecordBuffer out;
    private final boolean nanos;

    private PcapWriter(OutputStream stream, int linkType, int snaplen, boolean nanos) throws IOException {
        this.out = new RecordBuffer(stream);
        this.nanos = nanos;
        out.reserve(PcapReader.FILE_HEADER);
        out.i32(nanos ? PcapReader.MAGIC_NANOS : PcapReader.MAGIC_MICROS);
        out.i16(2); // version major
        out.i16(4); // version minor
        out.i32(0); // thiszone
        out.i32(0); // sigfigs
        out.i32(snaplen);
        out.i32(linkType);
    }

    /** Creates (or truncates) {@code path} and writes a nanosecond-resolution header. */
    public static PcapWriter open(Path path, int linkType, int snaplen) throws IOException {
        return open(path, linkType, snaplen, true);
    }

    /** Creates (or truncates) {@code path}; {@code nanos} picks nanosecond rather than microsecond timestamps. */
    public static PcapWriter open(Path path, int linkType, int snaplen, boolean nanos) throws IOException {
        return new PcapWriter(new BufferedOutputStream(Files.newOutputStream(path), 1 << 16), linkType, snaplen, nanos);
    }

    /** Writes to {@code stream}, which {@link #close()} closes. */
    public static PcapWriter open(OutputStream stream, int linkType, int snaplen, boolean nanos) throws IOException {
        return new PcapWriter(stream, linkType, snaplen, nanos);
    }

    /**
     * Writes one packet record.
     *
     * @param timestampNanos nanoseconds since the Unix epoch (truncated to microseconds for a microsecond file)
     */
    public void writePacket(long timestampNanos, MemorySegment data, long offset, int captureLength,
            int originalLength) throws IOException {
        if (captureLength < 0 || captureLength > PcapReader.MAX_RECORD) {
            throw new IllegalArgumentException("capture length " + captureLength + " out of range");
        }
        out.reserve(16L + captureLength);
        long sec = Long.divideUnsigned(timestampNanos, 1_000_000_000L);
        long frac = Long.remainderUnsigned(timestampNanos, 1_000_000_000L);
        out.i32((int) sec);
        out.i32((int) (nanos ? frac : frac / 1000));
        out.i32(captureLength);
        out.i32(originalLength);
        out.bytes(data, offset, captureLength);
    }

    /** Writes one packet held in an array, captured whole. */
    public void writePacket(long timestampNanos, byte[] packet) throws IOException {
        writePacket(timestampNanos, MemorySegment.ofArray(packet), 0, packet.length, packet.length);
    }

    /** Pushes buffered records to the stream. */
    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
