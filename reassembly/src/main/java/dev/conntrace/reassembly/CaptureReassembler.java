package dev.conntrace.reassembly;

import dev.conntrace.packet.DecodedPacket;
import dev.conntrace.packet.IpDefragmenter;
import dev.conntrace.packet.PacketDecoder;
import dev.conntrace.packet.PacketSource;
import java.io.IOException;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Reads a capture to its end through one {@link Assembler}: decodes each packet, puts IP fragments back
 * together ({@link IpDefragmenter}, within its bounds), checks checksums per the {@link ChecksumMode}, flushes
 * by capture time and flushes everything at the end.
 */
public final class CaptureReassembler {
    private CaptureReassembler() {}

    /** Whether segments' checksums are verified. */
    public enum ChecksumMode {
        /** Verify unless the capture looks taken with checksum offload ({@link ChecksumAutoDetector}). */
        AUTO,
        ALWAYS,
        NEVER
    }

    /**
     * @param checksums checksum mode
     * @param stopWaitingNanos gaps whose oldest buffered segment is older than this (capture time) are skipped;
     *     completed connections older than this are forgotten (later segments of them start new connections)
     * @param closeIdleNanos connections idle longer than this end with {@link EndReason#TIMEOUT}
     * @param flushIntervalNanos how often (capture time) the ages are applied
     * @param defragmentation bounds for putting IP fragments back together before reassembly, or null to leave
     *     fragmented segments out (counted only)
     */
    public record Options(ChecksumMode checksums, long stopWaitingNanos, long closeIdleNanos, long flushIntervalNanos,
            IpDefragmenter.Limits defragmentation) {
        public Options {
            Objects.requireNonNull(checksums);
            if (stopWaitingNanos <= 0 || closeIdleNanos <= 0 || flushIntervalNanos <= 0) {
                throw new IllegalArgumentException("ages must be positive");
            }
        }

        /** These ages, with fragments put back together within {@link IpDefragmenter.Limits#defaults()}. */
        public Options(ChecksumMode checksums, long stopWaitingNanos, long closeIdleNanos, long flushIntervalNanos) {
            this(checksums, stopWaitingNanos, closeIdleNanos, flushIntervalNanos, IpDefragmenter.Limits.defaults());
        }

        /**
         * AUTO checksums; stop waiting after 120 s; close after 3600 s idle; apply every 10 s; fragments put back
         * together (1024 datagrams, 16 MiB, 30 s).
         */
        public static Options defaults() {
            return new Options(ChecksumMode.AUTO, 120_000_000_000L, 3_600_000_000_000L, 10_000_000_000L);
        }

        public Options withChecksums(ChecksumMode mode) {
            return new Options(mode, stopWaitingNanos, closeIdleNanos, flushIntervalNanos, defragmentation);
        }

        /** These options with other defragmentation bounds (null: fragmented segments are left out). */
        public Options withDefragmentation(IpDefragmenter.Limits limits) {
            return new Options(checksums, stopWaitingNanos, closeIdleNanos, flushIntervalNanos, limits);
        }
    }

    /**
     * The IP fragments of a run.
     *
     * @param fragments IP fragments read (of any protocol)
     * @param datagrams datagrams put back together from them
     * @param incomplete datagrams given up: timed out, evicted to stay within the bounds, invalid (too long,
     *     misaligned, inconsistent ends), or still incomplete at the end
     * @param overlapBytes bytes received again in overlapping fragments (the first copy was kept)
     */
    public record Fragments(long fragments, long datagrams, long incomplete, long overlapBytes) {
        /** No fragments. */
        public static final Fragments NONE = new Fragments(0, 0, 0, 0);
    }

    /**
     * What a run saw.
     *
     * @param packets packets read
     * @param tcpSegments TCP segments given to the assembler (a segment put back together from fragments counts once)
     * @param notTcp packets that were not TCP segments (other protocols, cut headers, fragments but the one
     *     completing a segment), or that the filter rejected
     * @param checksumsChecked whether checksums were verified (after the AUTO decision)
     * @param truncatedTail file offset of an incomplete last record, or -1
     * @param fragments what became of the IP fragments
     */
    public record Result(long packets, long tcpSegments, long notTcp, boolean checksumsChecked, long truncatedTail,
            Fragments fragments) {}

    /** Told the packet count every 65,536 packets. */
    @FunctionalInterface
    public interface Progress {
        void packets(long count);
    }

    /**
     * Samples up to {@code maxSegments} TCP checksums from the start of a capture (for {@link ChecksumMode#AUTO}
     * on inputs that can be read twice) and returns the decided detector.
     */
    public static ChecksumAutoDetector sampleChecksums(PacketSource source, int maxSegments) throws IOException {
        ChecksumAutoDetector d = new ChecksumAutoDetector(maxSegments, 10);
        DecodedPacket p = new DecodedPacket();
        while (!d.decided() && source.next()) {
            PacketDecoder.decode(source.linkType(), source.data(), source.dataOffset(), source.captureLength(),
                    source.originalLength(), p);
            if (p.isTcp() && !p.isFragment() && p.transportChecksumVerifiable()) {
                d.record(p.verifyIpChecksum() && p.verifyTransportChecksum());
            }
        }
        d.decideNow();
        return d;
    }

    /**
     * Reassembles {@code source} to its end and then calls {@link Assembler#flushAll()}.
     *
     * @param detector for AUTO: a detector, decided already by {@link #sampleChecksums} or deciding as it goes
     *     (then segments with bad checksums before the decision are not used); ignored otherwise
     */
    public static Result run(PacketSource source, Assembler assembler, Options options, ChecksumAutoDetector detector,
            Progress progress) throws IOException {
        return run(source, assembler, options, detector, progress, null);
    }

    /** As {@link #run(PacketSource, Assembler, Options, ChecksumAutoDetector, Progress)}, keeping only segments {@code filter} accepts (null: all). */
    public static Result run(PacketSource source, Assembler assembler, Options options, ChecksumAutoDetector detector,
            Progress progress, Predicate<TcpSegment> filter) throws IOException {
        DecodedPacket p = new DecodedPacket();
        TcpSegment seg = new TcpSegment();
        FragmentJoiner joiner = new FragmentJoiner(options.defragmentation());
        ChecksumAutoDetector auto = detector != null ? detector : new ChecksumAutoDetector();
        long packets = 0;
        long tcp = 0;
        long lastFlush = Long.MIN_VALUE;
        while (source.next()) {
            packets++;
            if (progress != null && (packets & 0xFFFF) == 0) {
                progress.packets(packets);
            }
            long ts = source.timestampNanos();
            PacketDecoder.decode(source.linkType(), source.data(), source.dataOffset(), source.captureLength(),
                    source.originalLength(), p);
            DecodedPacket whole = p;
            if (p.isFragment() && (whole = joiner.offer(p, ts)) == null) { // rare: whole packets cost this flag test
                continue;
            }
            boolean check = switch (options.checksums()) {
                case ALWAYS -> true;
                case NEVER -> false;
                case AUTO -> auto.checking();
            };
            if (!PacketAdapter.fill(whole, ts, source.packetIndex(), check, seg) || (filter != null && !filter.test(seg))) {
                continue;
            }
            if (options.checksums() == ChecksumMode.AUTO && !auto.decided() && seg.checksum() != ChecksumStatus.UNCHECKED) {
                auto.record(seg.checksum() == ChecksumStatus.GOOD);
            }
            tcp++;
            assembler.assemble(seg);
            if (lastFlush == Long.MIN_VALUE) {
                lastFlush = ts;
            } else if (ts - lastFlush >= options.flushIntervalNanos()) {
                lastFlush = ts;
                assembler.flushOlderThan(ts - options.stopWaitingNanos(), ts - options.closeIdleNanos());
            }
        }
        assembler.flushAll();
        boolean checked = switch (options.checksums()) {
            case ALWAYS -> true;
            case NEVER -> false;
            case AUTO -> auto.checking();
        };
        return new Result(packets, tcp, packets - tcp, checked, source.truncatedTail(), joiner.counts());
    }
}
