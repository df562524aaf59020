package dev.conntrace.packet;

import java.io.IOException;
import java.lang.foreign.MemorySegment;

/**
 * What the pcap and pcapng readers share: the input, the byte order of the fields being read, the
 * read position, and the current record's timestamp, lengths and place, with the getters that hand
 * them out. Each subclass parses its own format in {@link #next()}. Not thread-safe.
 */
abstract class CaptureFileReader implements PacketSource {
    final CaptureInput in;
    /** Fields are in the other byte order than little-endian. */
    boolean swap;
    long pos;
    boolean done;
    long truncatedTail = -1;
    long index = -1;
    long timestamp;
    int capLen;
    int origLen;
    long dataPos;

    CaptureFileReader(CaptureInput in, long start) {
        this.in = in;
        this.pos = start;
    }

    final int i32(long p) {
        int v = in.intLe(p);
        return swap ? Integer.reverseBytes(v) : v;
    }

    final int u16(long p) {
        short v = in.shortLe(p);
        return (swap ? Short.reverseBytes(v) : v) & 0xFFFF;
    }

    final long u32(long p) {
        return i32(p) & 0xFFFF_FFFFL;
    }

    /** The input ends at {@code p}: no more records, and any bytes from there on are a cut-off tail. */
    final void finish(long p) {
        done = true;
        if (in.end() > p) {
            truncatedTail = p;
        }
    }

    @Override
    public final long timestampNanos() {
        return timestamp;
    }

    @Override
    public final int captureLength() {
        return capLen;
    }

    @Override
    public final int originalLength() {
        return origLen;
    }

    @Override
    public final MemorySegment data() {
        return in.seg;
    }

    @Override
    public final long dataOffset() {
        return dataPos - in.base;
    }

    @Override
    public final long packetIndex() {
        return index;
    }

    @Override
    public final long truncatedTail() {
        return truncatedTail;
    }

    @Override
    public final String name() {
        return in.name;
    }

    @Override
    public final void close() throws IOException {
        in.close();
    }
}
