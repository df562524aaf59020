package dev.conntrace.packet;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** A little-endian output buffer in front of a stream, for the capture writers. Bounded to its capacity plus one record. */
final class RecordBuffer implements AutoCloseable {
    private static final int CAPACITY = 1 << 20;

    private final OutputStream out;
    private byte[] buf = new byte[CAPACITY];
    private MemorySegment seg = MemorySegment.ofArray(buf);
    private int n;
    private boolean closed;

    RecordBuffer(OutputStream out) {
        this.out = out;
    }

    /** Makes room for {@code bytes} more bytes. */
    void reserve(long bytes) throws IOException {
        if (closed) {
            throw new IOException("capture writer is closed");
        }
        if (n + bytes <= buf.length) {
            return;
        }
        flushBuffer();
        if (bytes > buf.length) {
            buf = new byte[(int) bytes];
            seg = MemorySegment.ofArray(buf);
        }
    }

    void i32(int v) {
        seg.set(CaptureInput.INT_LE, n, v);
        n += 4;
    }

    void i16(int v) {
        seg.set(CaptureInput.SHORT_LE, n, (short) v);
        n += 2;
    }

    void i8(int v) {
        buf[n++] = (byte) v;
    }

    void i64(long v) {
        seg.set(CaptureInput.LONG_LE, n, v);
        n += 8;
    }

    void bytes(MemorySegment src, long offset, int length) {
        MemorySegment.copy(src, ValueLayout.JAVA_BYTE, offset, buf, n, length);
        n += length;
    }

    void zeros(int count) {
        for (int i = 0; i < count; i++) {
            buf[n++] = 0;
        }
    }

    private void flushBuffer() throws IOException {
        out.write(buf, 0, n);
        n = 0;
    }

    void flush() throws IOException {
        flushBuffer();
        out.flush();
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        try {
            flush();
        } finally {
            closed = true;
            out.close();
        }
    }
}
