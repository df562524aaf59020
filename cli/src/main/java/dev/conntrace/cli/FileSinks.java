package dev.conntrace.cli;

import dev.conntrace.reassembly.Connection;
import dev.conntrace.reassembly.DirectionSink;
import dev.conntrace.reassembly.StreamHalf;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Writes each direction to its own file in a directory, named
 * {@code NNNN-SRC.SPORT-DST.DPORT-DIR} (':' in IPv6 addresses written as '_'). At most
 * {@link #MAX_OPEN} files are open at once; the least recently written is closed and reopened for append
 * when written again. Each open file has a {@link #BUFFER}-byte write buffer (so at most
 * {@code MAX_OPEN * BUFFER} bytes are buffered), written out when full, when the file is closed, or when it
 * leaves the open set. Thread-safe (one lock).
 */
final class FileSinks implements DirectionSink.Opener, AutoCloseable {
    static final int MAX_OPEN = 256;
    static final int BUFFER = 64 * 1024;
    private final Path dir;
    private final int maxOpen;
    private final LinkedHashMap<Sink, FileChannel> open = new LinkedHashMap<>(16, 0.75f, true);
    /** Files of directions whose connection was not reported yet, by {@link #key}. */
    private final Map<String, Path> names = new HashMap<>();
    /** Write buffers of closed files, for reuse: never more than the open-file limit exist. */
    private final ArrayDeque<ByteBuffer> spare = new ArrayDeque<>();

    FileSinks(Path dir) throws IOException {
        this(dir, MAX_OPEN);
    }

    FileSinks(Path dir, int maxOpen) throws IOException {
        this.dir = Files.createDirectories(dir);
        this.maxOpen = maxOpen;
    }

    static String name(long stream, StreamHalf h) {
        return String.format(Locale.ROOT, "%04d-%s.%d-%s.%d-%s", stream, h.src().toString().replace(':', '_'), h.srcPort(),
                h.dst().toString().replace(':', '_'), h.dstPort(), h.direction().label());
    }

    private static String key(long stream, String dir) {
        return stream + "/" + dir;
    }

    /** The file written for a direction (and forgets it), or null if it carried no bytes. */
    synchronized Path take(long stream, String dir) {
        return names.remove(key(stream, dir));
    }

    @Override
    public synchronized DirectionSink open(Connection connection, StreamHalf half) throws IOException {
        Path p = dir.resolve(name(connection.index(), half));
        Files.deleteIfExists(p);
        return new Sink(connection, half, p);
    }

    private FileChannel channel(Sink s) throws IOException {
        FileChannel ch = open.get(s);
        if (ch == null) {
            if (open.size() >= maxOpen) {
                var eldest = open.entrySet().iterator().next();
                Sink e = eldest.getKey();
                e.flushTo(eldest.getValue());
                eldest.getValue().close();
                open.remove(e);
                spare.push(e.buffer);
                e.buffer = null;
            }
            ch = FileChannel.open(s.path, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
            open.put(s, ch);
        }
        return ch;
    }

    /** A write buffer: one a closed file gave up, or a new one (direct: written without a temporary copy). */
    private ByteBuffer buffer() {
        ByteBuffer b = spare.poll();
        return b != null ? b.clear() : ByteBuffer.allocateDirect(BUFFER);
    }

    private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    @Override
    public synchronized void close() throws IOException {
        IOException first = null;
        for (var e : open.entrySet()) {
            try {
                e.getKey().flushTo(e.getValue());
            } catch (IOException x) {
                first = first == null ? x : first;
            }
            e.getValue().close();
            e.getKey().buffer = null;
        }
        open.clear();
        if (first != null) {
            throw first;
        }
    }

    private final class Sink implements DirectionSink {
        private final Connection connection;
        private final StreamHalf half;
        private Path path;
        /** Bytes not yet written; only while the file is open. */
        ByteBuffer buffer;

        Sink(Connection connection, StreamHalf half, Path path) {
            this.connection = connection;
            this.half = half;
            this.path = path;
        }

        @Override
        public void write(byte[] buf, int offset, int length) throws IOException {
            synchronized (FileSinks.this) {
                FileChannel ch = channel(this);
                if (buffer == null) {
                    buffer = buffer();
                }
                if (length > buffer.remaining()) {
                    flushTo(ch);
                }
                if (length >= BUFFER) {
                    writeFully(ch, ByteBuffer.wrap(buf, offset, length));
                } else {
                    buffer.put(buf, offset, length);
                }
            }
        }

        void flushTo(FileChannel ch) throws IOException {
            if (buffer != null && buffer.position() > 0) {
                buffer.flip();
                writeFully(ch, buffer);
                buffer.clear();
            }
        }

        @Override
        public void close() throws IOException {
            synchronized (FileSinks.this) {
                closeLocked();
            }
        }

        private void closeLocked() throws IOException {
            FileChannel ch = open.remove(this);
            if (ch != null) {
                try {
                    flushTo(ch);
                } finally {
                    ch.close();
                    if (buffer != null) {
                        spare.push(buffer);
                        buffer = null;
                    }
                }
            } else if (!Files.exists(path)) {
                Files.createFile(path);
            }
            // The client may have become known after the file was named (a SYN seen late).
            Path now = dir.resolve(name(connection.index(), half));
            if (!now.equals(path)) {
                Files.move(path, now);
                path = now;
            }
            names.put(key(connection.index(), half.direction().label()), path);
        }
    }
}
