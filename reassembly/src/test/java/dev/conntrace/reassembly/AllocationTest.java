package dev.conntrace.reassembly;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conntrace.packet.CaptureFile;
import dev.conntrace.packet.PacketSource;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/** In-order segments (and pure ACKs) are reassembled without allocating. */
class AllocationTest {
    @Test
    void inOrderPathAllocatesNothingPerSegment() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long[] delivered = {0};
        Assembler a = countingAssembler(delivered);
        TcpSegment s = new TcpSegment();
        MemorySegment payload = MemorySegment.ofArray(new byte[1448]);
        long seq = 1000;
        s.capture(0, 0).endpoints(false, 0, 1, 40000, 0, 2, 80).header(seq - 1, 0, TcpFlags.SYN, 100).payload(payload, 0, 0, 0);
        a.assemble(s);
        int warmup = 200_000;
        int measured = 200_000;
        long before = 0;
        for (int i = 0; i < warmup + measured; i++) {
            if (i == warmup) {
                before = mx.getCurrentThreadAllocatedBytes();
            }
            s.capture(i, i).endpoints(false, 0, 1, 40000, 0, 2, 80).header(seq, 0, TcpFlags.ACK, 100)
                    .payload(payload, 0, 1448, 0).checksum(ChecksumStatus.GOOD);
            a.assemble(s);
            seq = Seq.add(seq, 1448);
            s.capture(i, i).endpoints(false, 0, 2, 80, 0, 1, 40000).header(77, seq, TcpFlags.ACK, 100)
                    .payload(payload, 0, 0, 0);
            a.assemble(s);
        }
        long allocated = mx.getCurrentThreadAllocatedBytes() - before;
        assertThat(delivered[0]).isEqualTo(1448L * (warmup + measured));
        // a few stray bytes (JIT, counters) are tolerated; one object per segment would be > 6 MB
        assertThat(allocated).isLessThan(measured / 4);
        assertThat(a.stats().pagesAllocated()).isZero();
    }

    /**
     * A capture read from memory through {@link CaptureReassembler#run} (decoding, the fragment check, checksums):
     * a four times longer transfer allocates no more than a few stray bytes more, so nothing is allocated per
     * packet.
     */
    @Test
    void captureReadingAllocatesNothingPerPacket() throws IOException {
        MemorySegment small = capture(2_000_000);
        MemorySegment large = capture(8_000_000);
        long[] delivered = {0};
        for (int i = 0; i < 3; i++) { // warm up
            run(large, delivered);
        }
        long smallBytes = run(small, delivered);
        long largeBytes = run(large, delivered);
        long morePackets = 2 * (8_000_000 - 2_000_000) / SyntheticCapture.MSS; // data segments and their ACKs
        assertThat(largeBytes - smallBytes).isLessThan(morePackets / 4);
    }

    private static MemorySegment capture(int responseBytes) throws IOException {
        ByteArrayOutputStream os = new ByteArrayOutputStream();
        SyntheticCapture.write(os, 1, 1, responseBytes, 3, 0, 0);
        return MemorySegment.ofArray(os.toByteArray());
    }

    /** An assembler whose streams add the bytes delivered to them into {@code delivered[0]}. */
    private static Assembler countingAssembler(long[] delivered) {
        return new Assembler(new StreamPool((c, f) -> new Stream() {
            @Override
            public void reassembled(ScatterGather sg) {
                for (int i = 0; i < sg.chunkCount(); i++) {
                    delivered[0] += sg.chunkLength(i);
                }
            }

            @Override
            public void completed(Connection c) {}
        }));
    }

    /** Bytes this thread allocated reassembling {@code capture}. */
    private static long run(MemorySegment capture, long[] delivered) throws IOException {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Assembler a = countingAssembler(delivered);
        CaptureReassembler.Options options = CaptureReassembler.Options.defaults()
                .withChecksums(CaptureReassembler.ChecksumMode.ALWAYS);
        long before = mx.getCurrentThreadAllocatedBytes();
        try (PacketSource s = CaptureFile.open(capture, "synthetic")) {
            CaptureReassembler.Result r = CaptureReassembler.run(s, a, options, null, null);
            assertThat(r.tcpSegments()).isGreaterThan(1000);
        }
        return mx.getCurrentThreadAllocatedBytes() - before;
    }
}
