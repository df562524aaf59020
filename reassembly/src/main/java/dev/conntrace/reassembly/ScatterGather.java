package dev.conntrace.reassembly;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.Objects;

/**
 * The bytes of one {@link Stream#reassembled} call: a list of chunks (views into packet memory or into
 * buffer pages) that together form contiguous stream bytes. Reused by its assembler: valid only during
 * the call. Reading the chunks through {@link #chunkSegment}/{@link #chunkOffset}/{@link #chunkLength}
 * allocates nothing.
 *
 * <p>The first {@link #keptLength()} bytes are those kept by {@link #keepFrom(int)} in the previous call
 * of the same direction; they were already counted then. {@link #skip()} bytes were missing just before
 * the new bytes (after the kept ones).
 */
public final class ScatterGather {
    private MemorySegment[] segs = new MemorySegment[8];
    private long[] offs = new long[8];
    private int[] lens = new int[8];
    private long[] times = new long[8];
    private long[] indexes = new long[8];
    private int count;
    private int length;
    private int keptLength;
    private long skip;
    private long offset;
    private boolean start;
    private boolean end;
    private StreamHalf half;
    private int keepFrom;
    private long keepBudget;
    private int pageSize = 1;

    ScatterGather() {}

    void reset(StreamHalf half, long offset) {
        for (int i = 0; i < count; i++) {
            segs[i] = null;
        }
        this.count = 0;
        this.length = 0;
        this.keptLength = 0;
        this.skip = 0;
        this.offset = offset;
        this.start = false;
        this.end = false;
        this.half = half;
        this.keepFrom = -1;
    }

    void add(MemorySegment seg, long off, int len, long ts, long index) {
        if (len == 0) {
            return;
        }
        if (count == segs.length) {
            int n = count * 2;
            segs = Arrays.copyOf(segs, n);
            offs = Arrays.copyOf(offs, n);
            lens = Arrays.copyOf(lens, n);
            times = Arrays.copyOf(times, n);
            indexes = Arrays.copyOf(indexes, n);
        }
        segs[count] = seg;
        offs[count] = off;
        lens[count] = len;
        times[count] = ts;
        indexes[count] = index;
        count++;
        length += len;
    }

    void kept(int n) {
        keptLength = n;
    }

    void skip(long n) {
        skip = n;
    }

    void start(boolean s) {
        start = s;
    }

    void end(boolean e) {
        end = e;
    }

    void keepLimits(long budget, int pageSize) {
        this.keepBudget = budget;
        this.pageSize = pageSize;
    }

    /** Page bytes needed to keep {@code [from, length)}: each chunk's part is copied into its own pages. */
    long keepFootprint(int from) {
        long need = 0;
        int pos = 0;
        for (int i = 0; i < count; i++) {
            int a = Math.max(from, pos);
            int b = pos + lens[i];
            if (a < b) {
                need += (long) (b - a + pageSize - 1) / pageSize * pageSize;
            }
            pos = b;
        }
        return need;
    }

    int keepRequest() {
        return keepFrom;
    }

    boolean isEmpty() {
        return count == 0 && skip == 0;
    }

    /** Number of chunks. */
    public int chunkCount() {
        return count;
    }

    /** The memory holding chunk {@code i}. */
    public MemorySegment chunkSegment(int i) {
        Objects.checkIndex(i, count);
        return segs[i];
    }

    /** Offset of chunk {@code i} in {@link #chunkSegment(int)}. */
    public long chunkOffset(int i) {
        Objects.checkIndex(i, count);
        return offs[i];
    }

    /** Length of chunk {@code i}. */
    public int chunkLength(int i) {
        Objects.checkIndex(i, count);
        return lens[i];
    }

    /** Chunk {@code i} as its own slice (allocates a view). */
    public MemorySegment chunk(int i) {
        Objects.checkIndex(i, count);
        return segs[i].asSlice(offs[i], lens[i]);
    }

    /** Total bytes in this call, kept ones included. */
    public int length() {
        return length;
    }

    /** Bytes at the front that were kept from the previous call. */
    public int keptLength() {
        return keptLength;
    }

    /** Missing bytes skipped just before the new bytes of this call; 0 when contiguous. */
    public long skip() {
        return skip;
    }

    /**
     * Stream offset of the first new byte of this call. The kept bytes come before it, and before the
     * skipped ones: they sit at {@code [streamOffset() - skip() - keptLength(), streamOffset() - skip())}.
     */
    public long streamOffset() {
        return offset;
    }

    /** True when this call starts the direction (its first bytes). */
    public boolean start() {
        return start;
    }

    /** True when the direction's FIN follows these bytes; {@link Stream#halfClosed} is authoritative. */
    public boolean end() {
        return end;
    }

    /** The direction these bytes belong to. */
    public StreamHalf half() {
        return half;
    }

    /** Shorthand for {@code half().direction()}. */
    public Direction direction() {
        return half.direction();
    }

    /** Copies the first {@code n} bytes into a new array. */
    public byte[] fetch(int n) {
        Objects.checkFromIndexSize(0, n, length);
        byte[] out = new byte[n];
        copyTo(0, MemorySegment.ofArray(out), 0, n);
        return out;
    }

    /** Copies bytes {@code [from, from+n)} of this call into {@code dst} at {@code dstOffset}. */
    public void copyTo(int from, MemorySegment dst, long dstOffset, int n) {
        Objects.checkFromIndexSize(from, n, length);
        int pos = 0;
        for (int i = 0; i < count && n > 0; i++) {
            int l = lens[i];
            if (from < pos + l) {
                int in = from - pos;
                int take = Math.min(l - in, n);
                MemorySegment.copy(segs[i], offs[i] + in, dst, dstOffset, take);
                dstOffset += take;
                from += take;
                n -= take;
            }
            pos += l;
        }
    }

    /** The byte at {@code at}. */
    public byte byteAt(int at) {
        int i = chunkOf(at);
        return segs[i].get(ValueLayout.JAVA_BYTE, offs[i] + at - chunkStart(i));
    }

    /**
     * Asks to receive bytes {@code [offset, length())} again at the front of this direction's next call.
     * They are copied into buffer pages and count against the connection's buffer cap.
     *
     * @throws IllegalArgumentException if {@code offset} is outside [0, length()]
     * @throws IllegalStateException if keeping them would exceed the per-connection buffer cap
     */
    public void keepFrom(int offset) {
        if (offset < 0 || offset > length) {
            throw new IllegalArgumentException("keepFrom " + offset + " outside [0, " + length + "]");
        }
        if (keepFootprint(offset) > keepBudget) {
            throw new IllegalStateException("keeping " + (length - offset) + " bytes exceeds the per-connection buffer cap");
        }
        keepFrom = offset;
    }

    /** Capture time of the packet that carried byte {@code at}. */
    public long captureNanos(int at) {
        return times[chunkOf(at)];
    }

    /** Capture index of the packet that carried byte {@code at}. */
    public long capturePacketIndex(int at) {
        return indexes[chunkOf(at)];
    }

    private int chunkOf(int at) {
        Objects.checkIndex(at, length);
        int pos = 0;
        for (int i = 0; i < count; i++) {
            pos += lens[i];
            if (at < pos) {
                return i;
            }
        }
        throw new AssertionError();
    }

    private int chunkStart(int i) {
        int pos = 0;
        for (int j = 0; j < i; j++) {
            pos += lens[j];
        }
        return pos;
    }
}
