package dev.conntrace.reassembly;

import java.lang.foreign.MemorySegment;

/**
 * A run of buffered bytes of one direction at stream offset {@code start}: either data copied into
 * pages, or a hole of bytes known to be missing (cut by the snapshot length).
 */
final class Piece {
    final long start;
    final int length;
    final boolean hole;
    final long timestampNanos;
    final long packetIndex;
    final Page[] pages;

    private Piece(long start, int length, boolean hole, long timestampNanos, long packetIndex, Page[] pages) {
        this.start = start;
        this.length = length;
        this.hole = hole;
        this.timestampNanos = timestampNanos;
        this.packetIndex = packetIndex;
        this.pages = pages;
    }

    static Piece hole(long start, int length, long ts, long packetIndex) {
        return new Piece(start, length, true, ts, packetIndex, new Page[0]);
    }

    /** Copies {@code length} bytes of {@code src} at {@code offset} into pages from {@code pool}. */
    static Piece copy(long start, MemorySegment src, long offset, int length, long ts, long packetIndex, PagePool pool) {
        int ps = pool.pageSize();
        Page[] pages = new Page[(length + ps - 1) / ps];
        for (int i = 0; i < pages.length; i++) {
            Page p = pool.take();
            int n = Math.min(ps, length - i * ps);
            MemorySegment.copy(src, offset + (long) i * ps, p.segment, 0, n);
            pages[i] = p;
        }
        return new Piece(start, length, false, ts, packetIndex, pages);
    }

    long end() {
        return start + length;
    }

    /** Bytes of pages held, for the buffer budget. */
    long footprint(int pageSize) {
        return (long) pages.length * pageSize;
    }

    void release(PagePool pool) {
        for (Page p : pages) {
            pool.give(p);
        }
    }
}
