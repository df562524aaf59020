package dev.conntrace.packet;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** Reads every packet of a source into comparable text lines (test helper). */
final class Packets {
    private Packets() {}

    /** One record as read. */
    record Rec(long index, long ts, boolean hasTs, int link, int iface, int cap, int orig, String hex) {}

    /** The packets and how the capture ended. */
    record Read(List<Rec> packets, long truncatedTail) {}

    static Read read(PacketSource src) throws IOException {
        List<Rec> out = new ArrayList<>();
        while (src.next()) {
            MemorySegment d = src.data();
            byte[] b = new byte[src.captureLength()];
            MemorySegment.copy(d, ValueLayout.JAVA_BYTE, src.dataOffset(), b, 0, b.length);
            out.add(new Rec(src.packetIndex(), src.timestampNanos(), src.hasTimestamp(), src.linkType(),
                    src.interfaceId(), src.captureLength(), src.originalLength(), HexFormat.of().formatHex(b)));
        }
        return new Read(out, src.truncatedTail());
    }

    static Read readFile(Path file) throws IOException {
        try (PacketSource src = CaptureFile.open(file)) {
            return read(src);
        }
    }

    static Read readBytes(Path dir, byte[] bytes) throws IOException {
        Path f = Files.createTempFile(dir, "cap", ".bin");
        Files.write(f, bytes);
        return readFile(f);
    }

    static Read readStream(InputStream in) throws IOException {
        try (PacketSource src = CaptureFile.open(in)) {
            return read(src);
        }
    }

    /** A stream that hands out at most {@code first} bytes on its first read, then {@code chunk} bytes per read. */
    static InputStream chunked(byte[] bytes, int first, int chunk) {
        return new InputStream() {
            int pos;
            boolean started;

            @Override
            public int read() {
                return pos < bytes.length ? bytes[pos++] & 0xFF : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (pos >= bytes.length) {
                    return -1;
                }
                int n = Math.min(len, Math.min(bytes.length - pos, started ? chunk : Math.max(1, first)));
                started = true;
                System.arraycopy(bytes, pos, b, off, n);
                pos += n;
                return n;
            }
        };
    }
}
