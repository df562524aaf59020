package dev.conntrace.packet;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.nio.file.Path;

/**
 * Writes pcapng (draft-ietf-opsawg-pcapng) in little-endian order: one section header, interface
 * description blocks with nanosecond timestamps ({@code if_tsresol} = 9), and enhanced packet
 * blocks. Not thread-safe. Buffers at most 1 MiB plus one packet.
 */
public final class PcapngWriter implements AutoCloseable {
    private final RecordBuffer out;
    private int interfaces;
    private int[] snaplens = new int[4];

    private PcapngWriter(OutputStream stream) throws IOException {
        this(new RecordBuffer(stream));
    }

    private PcapngWriter(RecordBuffer buffer) throws IOException {
        this.out = buffer;
        out.reserve(28);
        out.i32(PcapngReader.BLOCK_SHB);
        out.i32(28);
        out.i32(PcapngReader.BYTE_ORDER_MAGIC);
        out.i16(1); // major version
        out.i16(0); // minor version
        out.i64(-1); // section length: not specified
        out.i32(28);
    }

    /** Creates (or truncates) {@code path} and writes the section header. */
    public static PcapngWriter open(Path path) throws IOException {
        return new PcapngWriter(new RecordBuffer(FileChannel.open(path, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)));
    }

    /** Writes to {@code stream}, which {@link #close()} closes. */
    public static PcapngWriter open(OutputStream stream) throws IOException {
        return new PcapngWriter(stream);
    }

    /**
     * Describes an interface; packets name it by the returned id.
     *
     * @param linkType a LINKTYPE_* number, 0..65535
     * @param snaplen the snapshot length (0 for none)
     */
    public int writeInterface(int linkType, int snaplen) throws IOException {
        if (linkType < 0 || linkType > 0xFFFF) {
            throw new IllegalArgumentException("link type " + linkType + " does not fit 16 bits");
        }
        int length = 32;
        out.reserve(length);
        out.i32(PcapngReader.BLOCK_IDB);
        out.i32(length);
        out.i16(linkType);
        out.i16(0); // reserved
        out.i32(snaplen);
        out.i16(PcapngReader.OPT_IF_TSRESOL);
        out.i16(1);
        out.i8(9); // 10^-9 seconds
        out.zeros(3);
        out.i32(0); // opt_endofopt
        out.i32(length);
        if (interfaces == snaplens.length) {
            snaplens = java.util.Arrays.copyOf(snaplens, interfaces * 2);
        }
        snaplens[interfaces] = snaplen;
        return interfaces++;
    }

    /**
     * Writes one packet as an enhanced packet block.
     *
     * @param interfaceId an id returned by {@link #writeInterface}
     * @param timestampNanos nanoseconds since the Unix epoch
     * @param captureLength bytes taken from {@code data[offset..]}
     * @param originalLength the packet's length on the wire
     */
    public void writePacket(int interfaceId, long timestampNanos, MemorySegment data, long offset,
            int captureLength, int originalLength) throws IOException {
        if (interfaceId < 0 || interfaceId >= interfaces) {
            throw new IllegalArgumentException("interface " + interfaceId + " was not written (have " + interfaces + ")");
        }
        if (captureLength < 0 || captureLength > PcapReader.MAX_RECORD) {
            throw new IllegalArgumentException("capture length " + captureLength + " out of range");
        }
        int padded = (captureLength + 3) & ~3;
        int length = 32 + padded;
        out.reserve(length);
        out.i32(PcapngReader.BLOCK_EPB);
        out.i32(length);
        out.i32(interfaceId);
        out.i32((int) (timestampNanos >>> 32));
        out.i32((int) timestampNanos);
        out.i32(captureLength);
        out.i32(originalLength);
        out.bytes(data, offset, captureLength);
        out.zeros(padded - captureLength);
        out.i32(length);
    }

    /** Writes one packet held in an array, captured whole. */
    public void writePacket(int interfaceId, long timestampNanos, byte[] packet) throws IOException {
        writePacket(interfaceId, timestampNanos, MemorySegment.ofArray(packet), 0, packet.length, packet.length);
    }

    /** Pushes buffered blocks to the stream. */
    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
