package dev.conntrace.packet;

import java.io.IOException;
import dev.conntrace.sys.Memory;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The bytes of a capture: either a whole file mapped read-only, or a window over a stream that
 * slides forward as records are consumed. Readers ask for ranges by file offset with
 * {@link #ensure}; {@link #seg} and {@link #base} then locate them.
 *
 * <p>A mapped file keeps at most about {@link #KEEP_BEHIND} + 2 * {@link #RELEASE_STEP} bytes resident around
 * the reader: pages behind it are dropped ({@code madvise(MADV_DONTNEED)}) so a large capture does not grow
 * the resident set, and the next step's pages are mapped in one call ({@code MADV_POPULATE_READ}).
 * The stream window holds at most one record plus read-ahead; it grows only as far as the
 * largest record the reader allows (its readers cap record lengths).
 */
final class CaptureInput implements AutoCloseable {
    static final ValueLayout.OfInt INT_LE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfShort SHORT_LE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfLong LONG_LE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private static final int INITIAL_STREAM_BUFFER = 1 << 20;
    /** A mapped file's pages further than this behind the read position are dropped from the resident set. */
    static final long KEEP_BEHIND = 16L << 20;
    /** How far the read position moves between two such drops. */
    static final long RELEASE_STEP = 32L << 20;

    final String name;
    private final Arena arena;
    private final InputStream in;
    private byte[] buf;
    /** Current bytes; for a mapped file the whole file. */
    MemorySegment seg;
    /** File offset of seg's byte 0. */
    long base;
    /** Number of valid bytes in seg. */
    long limit;
    private boolean eof;
    /** Mapped file: bytes before this were released; the next release happens at {@link #releaseAt}. */
    private long released;
    private long releaseAt = Long.MAX_VALUE;
    private long populated;

    private CaptureInput(String name, Arena arena, MemorySegment seg, InputStream in) {
        this.name = name;
        this.arena = arena;
        this.seg = seg;
        this.in = in;
        this.limit = in == null ? seg.byteSize() : 0;
    }

    static CaptureInput map(Path path) throws IOException {
        Arena arena = Arena.ofShared();
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            MemorySegment seg = Memory.plainView(ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena), arena);
            Memory.advise(seg, 0, seg.byteSize(), Memory.MADV_SEQUENTIAL);
            CaptureInput c = new CaptureInput(path.toString(), arena, seg, null);
            c.releaseAt = 0;
            return c;
        } catch (IOException | RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    /** Reads a segment the caller owns (and keeps alive while reading). */
    static CaptureInput segment(MemorySegment seg, String name) {
        return new CaptureInput(name, null, seg, null);
    }

    static CaptureInput stream(InputStream in, String name) {
        CaptureInput c = new CaptureInput(name, null, MemorySegment.NULL, in);
        c.buf = new byte[INITIAL_STREAM_BUFFER];
        c.seg = MemorySegment.ofArray(c.buf);
        return c;
    }

    /**
     * Makes the file bytes {@code [pos, pos + n)} available in {@link #seg}. For a stream, bytes
     * before {@code pos} may be discarded, so callers never look back before the last {@code pos}.
     *
     * @return false if the input ends first
     */
    boolean ensure(long pos, long n) throws IOException {
        if (pos - base + n <= limit) {
            if (pos >= releaseAt) {
                releaseBehind(pos);
            }
            return true;
        }
        return in != null && fill(pos, n);
    }

    /**
     * Drops the mapped pages well behind the reader from this process's resident set, so reading a large
     * file keeps only a window of it resident (the page cache keeps the file; a reader that looks back
     * faults the pages in again, with the same bytes).
     */
    private void releaseBehind(long pos) {
        long upTo = pos - KEEP_BEHIND;
        if (upTo > released) {
            Memory.advise(seg, released, upTo - released, Memory.MADV_DONTNEED);
            released = upTo;
        }
        // map the next step's pages in one call: far cheaper than a page fault per page as the reader goes
        long ahead = Math.max(pos, populated);
        long aheadEnd = Math.min(seg.byteSize(), pos + RELEASE_STEP + (1 << 20));
        if (aheadEnd > ahead) {
            Memory.advise(seg, ahead, aheadEnd - ahead, Memory.MADV_POPULATE_READ);
            populated = aheadEnd;
        }
        releaseAt = pos + RELEASE_STEP;
    }

    /** The file offset just past the last byte available (the file size once the input has ended). */
    long end() {
        return base + limit;
    }

    private boolean fill(long pos, long n) throws IOException {
        int keepFrom = (int) (pos - base);
        int kept = (int) (limit - keepFrom);
        if (n > buf.length) {
            byte[] bigger = new byte[(int) Math.min(Integer.MAX_VALUE - 16, Math.max(n, 2L * buf.length))];
            System.arraycopy(buf, keepFrom, bigger, 0, kept);
            buf = bigger;
            seg = MemorySegment.ofArray(buf);
        } else if (keepFrom > 0) {
            System.arraycopy(buf, keepFrom, buf, 0, kept);
        }
        base = pos;
        limit = kept;
        while (limit < n && !eof) {
            int r = in.read(buf, (int) limit, buf.length - (int) limit);
            if (r < 0) {
                eof = true;
            } else {
                limit += r;
            }
        }
        return limit >= n;
    }

    int intLe(long pos) {
        return seg.get(INT_LE, pos - base);
    }

    short shortLe(long pos) {
        return seg.get(SHORT_LE, pos - base);
    }

    byte byteAt(long pos) {
        return seg.get(ValueLayout.JAVA_BYTE, pos - base);
    }

    @Override
    public void close() throws IOException {
        if (arena != null) {
            arena.close();
        }
        if (in != null) {
            in.close();
        }
    }
}
