package dev.conntrace.packet;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;

/**
 * A little-endian output buffer in front of a stream or a channel, for the capture writers. Bounded to its
 * capacity plus one record. In front of a channel the buffer is native memory, written by the channel
 * without the extra copy a heap array costs (a live capture's packets go ring, buffer, file).
 */
final class RecordBuffer implements AutoCloseable {
    private static final int CAPACITY = 1 << 20;

    private final OutputStream out; // one of out and channel
    private final WritableByteChannel channel;
    private byte[] buf; // heap buffer, when writing to a stream
    private MemorySegment seg;
    private ByteBuffer view; // seg as a ByteBuffer, when writing to a channel
    private int n;
    private boolean closed;

    RecordBuffer(OutputStream out) {
        this.out = out;
        this.channel = null;
        this.buf = new byte[CAPACITY];
        this.seg = MemorySegment.ofArray(buf);
    }

    RecordBuffer(WritableByteChannel channel) {
        this.out = null;
        this.channel = channel;
        nativeBuffer(CAPACITY);
    }

    private void nativeBuffer(long size) {
        seg = Arena.ofAuto().allocate(size, 4096); // freed with this buffer
        view = seg.asByteBuffer();
    }

    /** Makes room for {@code bytes} more bytes. */
    void reserve(long bytes) throws IOException {
        if (closed) {
            throw new IOException("capture writer is closed");
        }
        if (n + bytes <= seg.byteSize()) {
            return;
        }
        flushBuffer();
        if (bytes > seg.byteSize()) {
            if (channel != null) {
                nativeBuffer(bytes);
            } else {
                buf = new byte[(int) bytes];
                seg = MemorySegment.ofArray(buf);
            }
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
        seg.set(ValueLayout.JAVA_BYTE, n++, (byte) v);
    }

    void i64(long v) {
        seg.set(CaptureInput.LONG_LE, n, v);
        n += 8;
    }

    void bytes(MemorySegment src, long offset, int length) {
        MemorySegment.copy(src, ValueLayout.JAVA_BYTE, offset, seg, ValueLayout.JAVA_BYTE, n, length);
        n += length;
    }

    void zeros(int count) {
        seg.asSlice(n, count).fill((byte) 0);
        n += count;
    }

    private void flushBuffer() throws IOException {
        if (channel == null) {
            out.write(buf, 0, n);
        } else {
            view.clear().limit(n);
            while (view.hasRemaining()) {
                channel.write(view);
            }
        }
        n = 0;
    }

    void flush() throws IOException {
        flushBuffer();
        if (out != null) {
            out.flush();
        }
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
            if (out != null) {
                out.close();
            } else {
                channel.close();
            }
        }
    }
}
