package dev.conntrace.reassembly;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.Consumer;

/**
 * Streams that hash each direction (SHA-256, gaps as zero bytes so an offset in the output is the
 * stream offset; missing bytes at the very end, followed by no data, are counted but not written, as
 * tshark and tcpflow do), optionally write it to a
 * {@link DirectionSink}, and report a {@link DirectionSummary} per direction (client to server first)
 * when the connection completes. One factory per assembler thread: it reuses a copy buffer.
 */
public final class SummarizingStreamFactory implements StreamFactory {
    private static final int SCRATCH = 64 * 1024;
    private final Consumer<DirectionSummary> out;
    private final DirectionSink.Opener sinks;
    private final byte[] scratch = new byte[SCRATCH];
    private final byte[] zeros = new byte[SCRATCH];
    private final MemorySegment scratchSegment = MemorySegment.ofArray(scratch);

    /** @param sinks opens a sink per direction, or null to only hash */
    public SummarizingStreamFactory(Consumer<DirectionSummary> out, DirectionSink.Opener sinks) {
        this.out = out;
        this.sinks = sinks;
    }

    @Override
    public Stream newStream(Connection connection, TcpSegment first) {
        return new Summary(connection);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }

    private final class Summary implements Stream {
        private final Connection connection;
        private final MessageDigest[] digests = new MessageDigest[2];
        private final DirectionSink[] open = new DirectionSink[2];
        /** Missing bytes not yet written: written as zeros only once data follows them. */
        private final long[] pendingZeros = new long[2];

        Summary(Connection connection) {
            this.connection = connection;
        }

        private int slot(StreamHalf h) {
            return h.side;
        }

        @Override
        public void reassembled(ScatterGather sg) {
            StreamHalf h = sg.half();
            int i = slot(h);
            MessageDigest d = digests[i];
            if (d == null) {
                d = digests[i] = sha256();
            }
            try {
                pendingZeros[i] += sg.skip();
                int from = sg.keptLength();
                int total = sg.length();
                DirectionSink sink = open[i];
                if (from < total) {
                    if (sink == null && sinks != null) {
                        sink = open[i] = sinks.open(connection, h);
                    }
                    writeZeros(d, sink, pendingZeros[i]);
                    pendingZeros[i] = 0;
                }
                while (from < total) {
                    int n = Math.min(SCRATCH, total - from);
                    sg.copyTo(from, scratchSegment, 0, n);
                    d.update(scratch, 0, n);
                    if (sink != null) {
                        sink.write(scratch, n);
                    }
                    from += n;
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private void writeZeros(MessageDigest d, DirectionSink sink, long gap) throws IOException {
            while (gap > 0) {
                int n = (int) Math.min(gap, SCRATCH);
                d.update(zeros, 0, n);
                if (sink != null) {
                    sink.write(zeros, n);
                }
                gap -= n;
            }
        }

        @Override
        public void halfClosed(StreamHalf half, EndReason reason) {
            DirectionSink sink = open[slot(half)];
            if (sink != null) {
                open[slot(half)] = null;
                try {
                    sink.close();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }

        @Override
        public void completed(Connection c) {
            report(c.clientToServer());
            report(c.serverToClient());
        }

        private void report(StreamHalf h) {
            MessageDigest d = digests[slot(h)];
            String sha = HexFormat.of().formatHex((d != null ? d : sha256()).digest());
            long first = h.firstNanos() == Long.MIN_VALUE ? connection.firstNanos() : h.firstNanos();
            long last = h.lastNanos() == Long.MIN_VALUE ? connection.firstNanos() : h.lastNanos();
            out.accept(new DirectionSummary(connection.index(), h.direction(), h.src(), h.srcPort(), h.dst(), h.dstPort(),
                    h.packets(), first, last, h.bytes(), h.missing(), h.overlap(), h.lateBytes(), h.badChecksum(), sha,
                    h.endReason()));
        }
    }
}
