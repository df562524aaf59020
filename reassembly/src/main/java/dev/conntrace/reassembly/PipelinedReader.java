package dev.conntrace.reassembly;

import dev.conntrace.packet.DecodedPacket;
import dev.conntrace.packet.PacketDecoder;
import dev.conntrace.packet.PacketSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.Predicate;

/**
 * Reads, decodes and checks a capture on a second thread, handing the TCP segments (payload copied) in
 * bounded batches to the caller's thread, which assembles them: {@value #BATCHES} batches of at most
 * {@value #BYTES} payload bytes and {@value #SEGMENTS} segments are in flight.
 */
final class PipelinedReader {
    static final int BYTES = 4 << 20;
    static final int SEGMENTS = 8192;
    static final int BATCHES = 4;

    private PipelinedReader() {}

    /** Segments decoded from the capture, their payloads copied into one array. */
    static final class Batch {
        final byte[] bytes = new byte[BYTES];
        final MemorySegment segment = MemorySegment.ofArray(bytes);
        int fill;
        int count;
        long packets;
        boolean last;
        Throwable failure;
        final long[] ts = new long[SEGMENTS];
        final long[] index = new long[SEGMENTS];
        final boolean[] v6 = new boolean[SEGMENTS];
        final long[] srcHigh = new long[SEGMENTS];
        final long[] srcLow = new long[SEGMENTS];
        final long[] dstHigh = new long[SEGMENTS];
        final long[] dstLow = new long[SEGMENTS];
        final int[] ports = new int[SEGMENTS];
        final long[] seq = new long[SEGMENTS];
        final long[] ack = new long[SEGMENTS];
        final int[] flagsWindow = new int[SEGMENTS];
        final int[] offset = new int[SEGMENTS];
        final int[] length = new int[SEGMENTS];
        final int[] missing = new int[SEGMENTS];
        final byte[] checksum = new byte[SEGMENTS];

        void add(TcpSegment s) {
            int i = count++;
            ts[i] = s.timestampNanos;
            index[i] = s.packetIndex;
            v6[i] = s.v6;
            srcHigh[i] = s.srcHigh;
            srcLow[i] = s.srcLow;
            dstHigh[i] = s.dstHigh;
            dstLow[i] = s.dstLow;
            ports[i] = s.srcPort << 16 | s.dstPort;
            seq[i] = s.seq;
            ack[i] = s.ack;
            flagsWindow[i] = s.flags << 16 | s.window;
            offset[i] = fill;
            length[i] = s.payloadLength;
            missing[i] = s.missingTail;
            checksum[i] = (byte) s.checksum.ordinal();
            MemorySegment.copy(s.payload, s.payloadOffset, segment, fill, s.payloadLength);
            fill += s.payloadLength;
        }

        void get(int i, TcpSegment s, ChecksumStatus[] statuses) {
            s.capture(ts[i], index[i])
                    .endpoints(v6[i], srcHigh[i], srcLow[i], ports[i] >>> 16, dstHigh[i], dstLow[i], ports[i] & 0xFFFF)
                    .header(seq[i], ack[i], flagsWindow[i] >>> 16, flagsWindow[i] & 0xFFFF)
                    .payload(segment, offset[i], length[i], missing[i])
                    .checksum(statuses[checksum[i]]);
        }

        boolean fits(int n) {
            return count < SEGMENTS && fill + n <= BYTES;
        }
    }

    /** Runs the reader; see {@link CaptureReassembler#run}. */
    static CaptureReassembler.Result run(PacketSource source, Assembler assembler, CaptureReassembler.Options options,
            ChecksumAutoDetector detector, CaptureReassembler.Progress progress, Predicate<TcpSegment> filter)
            throws IOException {
        BlockingQueue<Batch> full = new ArrayBlockingQueue<>(BATCHES);
        BlockingQueue<Batch> empty = new ArrayBlockingQueue<>(BATCHES);
        for (int i = 0; i < BATCHES; i++) {
            empty.add(new Batch());
        }
        ChecksumAutoDetector auto = detector != null ? detector : new ChecksumAutoDetector();
        FragmentJoiner joiner = new FragmentJoiner(options.defragmentation()); // the reader's; read after its last batch
        Thread reader = Thread.ofPlatform().name("conntrace-reader").daemon(true)
                .start(() -> read(source, options, auto, joiner, progress, filter, full, empty));
        TcpSegment seg = new TcpSegment();
        ChecksumStatus[] statuses = ChecksumStatus.values();
        long tcp = 0;
        long packets = 0;
        long lastFlush = Long.MIN_VALUE;
        try {
            while (true) {
                Batch b = full.take();
                for (int i = 0; i < b.count; i++) {
                    b.get(i, seg, statuses);
                    tcp++;
                    assembler.assemble(seg);
                    long ts = seg.timestampNanos;
                    if (lastFlush == Long.MIN_VALUE) {
                        lastFlush = ts;
                    } else if (ts - lastFlush >= options.flushIntervalNanos()) {
                        lastFlush = ts;
                        assembler.flushOlderThan(ts - options.stopWaitingNanos(), ts - options.closeIdleNanos());
                    }
                }
                packets = b.packets;
                boolean last = b.last;
                Throwable failure = b.failure;
                b.count = 0;
                b.fill = 0;
                empty.put(b);
                if (failure instanceof IOException e) {
                    throw e;
                }
                if (failure instanceof RuntimeException e) {
                    throw e;
                }
                if (failure instanceof Error e) {
                    throw e;
                }
                if (last) {
                    break;
                }
            }
        } catch (InterruptedException e) {
            reader.interrupt();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while reassembling", e);
        } catch (IOException | RuntimeException | Error e) {
            reader.interrupt();
            throw e;
        }
        assembler.flushAll();
        boolean checked = switch (options.checksums()) {
            case ALWAYS -> true;
            case NEVER -> false;
            case AUTO -> auto.checking();
        };
        return new CaptureReassembler.Result(packets, tcp, packets - tcp, checked, source.truncatedTail(), joiner.counts());
    }

    private static void read(PacketSource source, CaptureReassembler.Options options, ChecksumAutoDetector auto,
            FragmentJoiner joiner, CaptureReassembler.Progress progress, Predicate<TcpSegment> filter, BlockingQueue<Batch> full,
            BlockingQueue<Batch> empty) {
        DecodedPacket p = new DecodedPacket();
        TcpSegment seg = new TcpSegment();
        long packets = 0;
        Batch b;
        try {
            b = empty.take();
        } catch (InterruptedException e) {
            return;
        }
        try {
            while (source.next()) {
                packets++;
                if (progress != null && (packets & 0xFFFF) == 0) {
                    progress.packets(packets);
                }
                PacketDecoder.decode(source.linkType(), source.data(), source.dataOffset(), source.captureLength(),
                        source.originalLength(), p);
                DecodedPacket whole = p;
                if (p.isFragment() && (whole = joiner.offer(p, source.timestampNanos())) == null) {
                    continue;
                }
                boolean check = switch (options.checksums()) {
                    case ALWAYS -> true;
                    case NEVER -> false;
                    case AUTO -> auto.checking();
                };
                if (!PacketAdapter.fill(whole, source.timestampNanos(), source.packetIndex(), check, seg)
                        || (filter != null && !filter.test(seg))) {
                    continue;
                }
                if (options.checksums() == CaptureReassembler.ChecksumMode.AUTO && !auto.decided()
                        && seg.checksum() != ChecksumStatus.UNCHECKED) {
                    auto.record(seg.checksum() == ChecksumStatus.GOOD);
                }
                if (seg.payloadLength > BYTES) {
                    // larger than a batch (jumbograms): the excess is treated as cut off
                    seg.payload(seg.payload, seg.payloadOffset, BYTES, seg.missingTail + seg.payloadLength - BYTES);
                }
                if (!b.fits(seg.payloadLength)) {
                    b.packets = packets;
                    full.put(b);
                    b = empty.take();
                }
                b.add(seg);
            }
            b.packets = packets;
            b.last = true;
            full.put(b);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException | Error e) {
            b.packets = packets;
            b.last = true;
            b.failure = e instanceof UncheckedIOException u ? u.getCause() : e;
            try {
                full.put(b);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
