package dev.conntrace.reassembly;

import dev.conntrace.sys.IpAddress;
import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * One TCP segment handed to an {@link Assembler}: a mutable, reusable holder filled by the caller for
 * each packet (no allocation per packet). The payload is a view into the caller's memory; the assembler
 * copies what it must keep before {@link Assembler#assemble(TcpSegment)} returns.
 *
 * <p>Addresses use the {@link IpAddress} layout: for IPv4, {@code high == 0} and the address is in the
 * low 32 bits of {@code low}.
 */
public final class TcpSegment {
    private static final MemorySegment EMPTY = MemorySegment.ofArray(new byte[0]);

    long timestampNanos;
    long packetIndex;
    boolean v6;
    long srcHigh;
    long srcLow;
    long dstHigh;
    long dstLow;
    int srcPort;
    int dstPort;
    long seq;
    long ack;
    int flags;
    int window;
    MemorySegment payload = EMPTY;
    long payloadOffset;
    int payloadLength;
    int missingTail;
    ChecksumStatus checksum = ChecksumStatus.UNCHECKED;

    /** An empty segment to fill. */
    public TcpSegment() {}

    /** Capture time and index of the packet in its capture. */
    public TcpSegment capture(long timestampNanos, long packetIndex) {
        this.timestampNanos = timestampNanos;
        this.packetIndex = packetIndex;
        return this;
    }

    /** Source and destination addresses in {@link IpAddress} layout, and ports. */
    public TcpSegment endpoints(boolean v6, long srcHigh, long srcLow, int srcPort, long dstHigh, long dstLow, int dstPort) {
        this.v6 = v6;
        this.srcHigh = srcHigh;
        this.srcLow = srcLow;
        this.srcPort = srcPort & 0xFFFF;
        this.dstHigh = dstHigh;
        this.dstLow = dstLow;
        this.dstPort = dstPort & 0xFFFF;
        return this;
    }

    /** Sequence and acknowledgement numbers (unsigned 32-bit), flags ({@link TcpFlags}) and window. */
    public TcpSegment header(long seq, long ack, int flags, int window) {
        this.seq = seq & 0xFFFF_FFFFL;
        this.ack = ack & 0xFFFF_FFFFL;
        this.flags = flags & 0xFF;
        this.window = window & 0xFFFF;
        return this;
    }

    /**
     * The payload bytes present in the capture: {@code length} bytes of {@code data} at {@code offset};
     * {@code missingTail} more bytes were in the packet but cut off by the snapshot length.
     */
    public TcpSegment payload(MemorySegment data, long offset, int length, int missingTail) {
        Objects.checkFromIndexSize(offset, length, data.byteSize());
        if (missingTail < 0) {
            throw new IllegalArgumentException("negative missing tail " + missingTail);
        }
        this.payload = data;
        this.payloadOffset = offset;
        this.payloadLength = length;
        this.missingTail = missingTail;
        return this;
    }

    /** What is known about the checksums. */
    public TcpSegment checksum(ChecksumStatus status) {
        this.checksum = Objects.requireNonNull(status);
        return this;
    }

    public long timestampNanos() {
        return timestampNanos;
    }

    public long packetIndex() {
        return packetIndex;
    }

    public boolean v6() {
        return v6;
    }

    public IpAddress src() {
        return new IpAddress(v6, srcHigh, srcLow);
    }

    public IpAddress dst() {
        return new IpAddress(v6, dstHigh, dstLow);
    }

    public int srcPort() {
        return srcPort;
    }

    public int dstPort() {
        return dstPort;
    }

    public long seq() {
        return seq;
    }

    public long ack() {
        return ack;
    }

    public int flags() {
        return flags;
    }

    public boolean has(int flag) {
        return (flags & flag) != 0;
    }

    public int window() {
        return window;
    }

    public MemorySegment payloadSegment() {
        return payload;
    }

    public long payloadOffset() {
        return payloadOffset;
    }

    public int payloadLength() {
        return payloadLength;
    }

    public int missingTail() {
        return missingTail;
    }

    public ChecksumStatus checksum() {
        return checksum;
    }

    @Override
    public String toString() {
        return src() + "." + srcPort + " > " + dst() + "." + dstPort + " seq " + seq + " flags 0x"
                + Integer.toHexString(flags) + " len " + payloadLength + (missingTail > 0 ? "+" + missingTail : "");
    }
}
