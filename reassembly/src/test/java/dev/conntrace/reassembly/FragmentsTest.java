package dev.conntrace.reassembly;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conntrace.packet.CaptureFile;
import dev.conntrace.packet.PacketSource;
import dev.conntrace.packet.PcapWriter;
import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TCP segments split into IPv4 fragments are put back together by both readers, and counted. */
class FragmentsTest {
    @TempDir
    Path dir;

    private record Fragmented(long fragments, long datagrams) {}

    /**
     * Rewrites an Ethernet/IPv4 capture with every TCP segment carrying data split into three fragments, written
     * last first, each with its segment's timestamp.
     */
    private static Fragmented refragment(Path in, Path out) throws IOException {
        long fragments = 0;
        long datagrams = 0;
        try (PacketSource s = CaptureFile.open(in); PcapWriter w = PcapWriter.open(out, 1, 65535, true)) {
            while (s.next()) {
                byte[] frame = s.data().asSlice(s.dataOffset(), s.captureLength()).toArray(ValueLayout.JAVA_BYTE);
                int ihl = (frame[14] & 0x0F) * 4;
                int payload = ((frame[16] & 0xFF) << 8 | frame[17] & 0xFF) - ihl;
                if (payload <= 20 + 16) { // no data to split
                    w.writePacket(s.timestampNanos(), frame);
                    continue;
                }
                int[] cuts = {0, 8, payload / 16 * 8, payload};
                List<byte[]> pieces = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    int from = cuts[i];
                    int length = cuts[i + 1] - from;
                    byte[] f = new byte[14 + ihl + length];
                    System.arraycopy(frame, 0, f, 0, 14 + ihl);
                    System.arraycopy(frame, 14 + ihl + from, f, 14 + ihl, length);
                    int total = ihl + length;
                    f[16] = (byte) (total >>> 8);
                    f[17] = (byte) total;
                    int flags = (i < 2 ? 0x2000 : 0) | from / 8;
                    f[20] = (byte) (flags >>> 8);
                    f[21] = (byte) flags;
                    f[24] = 0;
                    f[25] = 0;
                    int sum = 0;
                    for (int j = 14; j < 14 + ihl; j += 2) {
                        sum += (f[j] & 0xFF) << 8 | f[j + 1] & 0xFF;
                    }
                    sum = (sum & 0xFFFF) + (sum >>> 16);
                    sum = (sum & 0xFFFF) + (sum >>> 16);
                    f[24] = (byte) (~sum >>> 8);
                    f[25] = (byte) ~sum;
                    pieces.add(f);
                }
                for (int i = pieces.size() - 1; i >= 0; i--) {
                    w.writePacket(s.timestampNanos(), pieces.get(i));
                }
                fragments += pieces.size();
                datagrams++;
            }
        }
        return new Fragmented(fragments, datagrams);
    }

    private static List<DirectionSummary> reassemble(Path pcap, CaptureReassembler.Options options,
            CaptureReassembler.Result[] result) throws IOException {
        List<DirectionSummary> out = new ArrayList<>();
        SummarizingStreamFactory summaries = new SummarizingStreamFactory(out::add, null, 0);
        Assembler a = new Assembler(new StreamPool(summaries, AssemblerConfig.defaults()));
        try (PacketSource s = CaptureFile.open(pcap)) {
            result[0] = CaptureReassembler.run(s, a, options, null, null);
        }
        summaries.close();
        return out;
    }

    @Test
    void fragmentedSegmentsGiveTheSameStreamsAndAreCounted() throws Exception {
        Path whole = dir.resolve("whole.pcap");
        Path fragmented = dir.resolve("fragmented.pcap");
        try (var os = Files.newOutputStream(whole)) {
            SyntheticCapture.write(os, 10, 3, 20_000, 5, 0.3, 0.1);
        }
        Fragmented written = refragment(whole, fragmented);
        assertThat(written.datagrams()).isGreaterThan(100);
        CaptureReassembler.Options options = CaptureReassembler.Options.defaults()
                .withChecksums(CaptureReassembler.ChecksumMode.ALWAYS);
        CaptureReassembler.Result[] r = new CaptureReassembler.Result[1];

        List<DirectionSummary> expected = reassemble(whole, options, r);
        assertThat(r[0].fragments()).isEqualTo(CaptureReassembler.Fragments.NONE);
        assertThat(expected).hasSize(20).allMatch(s -> s.missing() == 0 && s.badChecksum() == 0);

        assertThat(reassemble(fragmented, options, r)).isEqualTo(expected);
        assertThat(r[0].fragments()).isEqualTo(new CaptureReassembler.Fragments(written.fragments(), written.datagrams(), 0, 0));
        assertThat(r[0].tcpSegments()).isEqualTo(reassembleCount(whole, options));

        // left out when defragmentation is off: the data is missing, the fragments still counted
        List<DirectionSummary> without = reassemble(fragmented, options.withDefragmentation(null), r);
        assertThat(r[0].fragments()).isEqualTo(new CaptureReassembler.Fragments(written.fragments(), 0, 0, 0));
        assertThat(without.stream().mapToLong(DirectionSummary::bytes).sum()).isZero();
    }

    private static long reassembleCount(Path pcap, CaptureReassembler.Options options) throws IOException {
        CaptureReassembler.Result[] r = new CaptureReassembler.Result[1];
        reassemble(pcap, options, r);
        return r[0].tcpSegments();
    }
}
