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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Writes each direction to its own file in a directory, named
 * {@code NNNN-SRC.SPORT-DST.DPORT-DIR} (':' in IPv6 addresses written as '_'). At most
 * {@link #MAX_OPEN} files are open at once; the least recently written is closed and reopened for append
 * when written again. Thread-safe (one lock).
 */
final class FileSinks implements DirectionSink.Opener, AutoCloseable {
    static final int MAX_OPEN = 256;
    private final Path dir;
    private final int maxOpen;
    private final LinkedHashMap<Sink, FileChannel> open = new LinkedHashMap<>(16, 0.75f, true);
    /** Files of directions whose connection was not reported yet, by {@link #key}. */
    private final Map<String, Path> names = new HashMap<>();

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
                eldest.getValue().close();
                open.remove(eldest.getKey());
            }
            ch = FileChannel.open(s.path, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
            open.put(s, ch);
        }
        return ch;
    }

    @Override
    public synchronized void close() throws IOException {
        for (FileChannel ch : open.values()) {
            ch.close();
        }
        open.clear();
    }

    private final class Sink implements DirectionSink {
        private final Connection connection;
        private final StreamHalf half;
        private Path path;

        Sink(Connection connection, StreamHalf half, Path path) {
            this.connection = connection;
            this.half = half;
            this.path = path;
        }

        @Override
        public void write(byte[] buf, int offset, int length) throws IOException {
            synchronized (FileSinks.this) {
                FileChannel ch = channel(this);
                ByteBuffer b = ByteBuffer.wrap(buf, offset, length);
                while (b.hasRemaining()) {
                    ch.write(b);
                }
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
                ch.close();
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
