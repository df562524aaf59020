package dev.conntrace.packet;

import static java.nio.ByteOrder.BIG_ENDIAN;
import static java.nio.ByteOrder.LITTLE_ENDIAN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PcapngReaderTest {
    @TempDir
    Path tmp;

    static final byte[] P0 = CaptureBytes.payload(61, 1);
    static final byte[] P1 = CaptureBytes.payload(4, 2);
    static final byte[] P2 = CaptureBytes.payload(10, 3);
    static final byte[] P3 = CaptureBytes.payload(7, 4);
    static final byte[] P4 = CaptureBytes.payload(9, 5);

    /** Two sections (little- then big-endian) with interfaces of different link types and resolutions. */
    static byte[] sample() {
        return sample(new java.util.ArrayList<>(), new java.util.ArrayList<>());
    }

    /** Also records each block's end offset, and the end offsets of packet blocks. */
    static byte[] sample(List<Integer> blockEnds, List<Integer> packetEnds) {
        CaptureBytes b = new CaptureBytes(LITTLE_ENDIAN);
        Runnable block = () -> blockEnds.add(b.size());
        Runnable packet = () -> {
            blockEnds.add(b.size());
            packetEnds.add(b.size());
        };
        b.shb();
        block.run();
        b.idb(1, 0, -1, null); // default microseconds
        block.run();
        b.idb(101, 65535, 9, 100L); // nanoseconds, +100 s
        block.run();
        b.block(4, 8); // name resolution: skipped
        block.run();
        b.epb(0, 1_700_000_000_123_456L, P0, 100);
        packet.run();
        b.epb(1, 5_000_000_001L, P1, 4);
        packet.run();
        b.block(0x0BAD, 12); // custom block: skipped
        block.run();
        b.spb(P2, 200);
        packet.run();
        b.order(BIG_ENDIAN).shb();
        block.run();
        b.idb(113, 0, 0x88, null); // 2^-8 seconds
        block.run();
        b.idb(276, 0, 3, -10L); // milliseconds, -10 s
        block.run();
        b.epb(0, 0x5A8C0DC032L, P3, 7);
        packet.run();
        b.pb(1, 20_000L, P4);
        packet.run();
        b.block(5, 16); // interface statistics: skipped
        block.run();
        return b.bytes();
    }

    @Test
    void readsSectionsInterfacesAndResolutions() throws IOException {
        Packets.Read r = Packets.readBytes(tmp, sample());
        List<Packets.Rec> p = r.packets();
        assertThat(p).hasSize(5);
        assertThat(r.truncatedTail()).isEqualTo(-1);

        assertThat(p.get(0)).isEqualTo(new Packets.Rec(0, 1_700_000_000_123_456_000L, true, 1, 0, 61, 100,
                HexFormat.of().formatHex(P0)));
        assertThat(p.get(1)).isEqualTo(new Packets.Rec(1, 105_000_000_001L, true, 101, 1, 4, 4,
                HexFormat.of().formatHex(P1)));
        // simple packet: interface 0, no timestamp, captured length limited by the block, original kept
        assertThat(p.get(2)).isEqualTo(new Packets.Rec(2, 0, false, 1, 0, 12, 200,
                HexFormat.of().formatHex(Arrays.copyOf(P2, 12))));
        // 2^-8 resolution: 0x5A8C0DC032 / 256 s = 1519128000.1953125 s
        assertThat(p.get(3)).isEqualTo(new Packets.Rec(3, 1_519_128_000_195_312_500L, true, 113, 0, 7, 7,
                HexFormat.of().formatHex(P3)));
        // milliseconds with a -10 s offset
        assertThat(p.get(4)).isEqualTo(new Packets.Rec(4, 10_000_000_000L, true, 276, 1, 9, 9,
                HexFormat.of().formatHex(P4)));
        assertThat(Packets.readStream(new ByteArrayInputStream(sample()))).isEqualTo(r);
    }

    @Test
    void everySplitOfTheStreamGivesTheSamePackets() throws IOException {
        byte[] bytes = sample();
        Packets.Read mapped = Packets.readBytes(tmp, bytes);
        for (int first = 1; first <= bytes.length; first++) {
            assertThat(Packets.readStream(Packets.chunked(bytes, first, bytes.length))).as("split at %d", first)
                    .isEqualTo(mapped);
        }
        assertThat(Packets.readStream(Packets.chunked(bytes, 1, 1))).isEqualTo(mapped);
    }

    @Test
    void everyCutPointYieldsCompletePacketsThenATailWarning() throws IOException {
        List<Integer> blockEnds = new java.util.ArrayList<>();
        List<Integer> packetEnds = new java.util.ArrayList<>();
        byte[] full = sample(blockEnds, packetEnds);
        Packets.Read whole = Packets.readBytes(tmp, full);
        for (int cut = 28; cut < full.length; cut++) {
            byte[] part = Arrays.copyOf(full, cut);
            Packets.Read r;
            try {
                r = Packets.readBytes(tmp, part);
            } catch (CaptureFormatException e) {
                throw new AssertionError("cut at " + cut, e);
            }
            int c = cut;
            int complete = (int) packetEnds.stream().filter(e -> e <= c).count();
            int lastBlockEnd = blockEnds.stream().filter(e -> e <= c).max(Integer::compare).orElseThrow();
            assertThat(r.packets()).as("cut at %d", cut).isEqualTo(whole.packets().subList(0, complete));
            assertThat(r.truncatedTail()).as("cut at %d", cut).isEqualTo(lastBlockEnd == cut ? -1 : lastBlockEnd);
            assertThat(Packets.readStream(Packets.chunked(part, 5, 3))).as("cut at %d", cut).isEqualTo(r);
        }
    }

    private static byte[] withFirstEpbPatched(Consumer<byte[]> patch) {
        byte[] b = sample();
        patch.accept(b);
        return b;
    }

    /** Offset of the first EPB in {@link #sample()}: SHB 28, IDB 20+4, IDB 20+8+12+4, NRB 20. */
    static final int EPB = 28 + 24 + 44 + 20;

    private void assertCorrupt(byte[] bytes, long offset, String text) {
        assertThatThrownBy(() -> Packets.readBytes(tmp, bytes))
                .isInstanceOf(CaptureFormatException.class)
                .hasMessageContaining(text)
                .satisfies(e -> assertThat(((CaptureFormatException) e).offset()).isEqualTo(offset));
        assertThatThrownBy(() -> Packets.readStream(new ByteArrayInputStream(bytes)))
                .isInstanceOf(CaptureFormatException.class).hasMessageContaining(text);
    }

    private static void putLe(byte[] b, int at, int v) {
        b[at] = (byte) v;
        b[at + 1] = (byte) (v >>> 8);
        b[at + 2] = (byte) (v >>> 16);
        b[at + 3] = (byte) (v >>> 24);
    }

    @Test
    void rejectsBlockLengthBelowMinimum() {
        assertCorrupt(withFirstEpbPatched(b -> putLe(b, EPB + 4, 8)), EPB, "less than 12");
    }

    @Test
    void rejectsBlockLengthNotMultipleOfFour() {
        assertCorrupt(withFirstEpbPatched(b -> putLe(b, EPB + 4, 98)), EPB, "not a multiple of 4");
    }

    @Test
    void rejectsTrailingLengthMismatch() {
        assertCorrupt(withFirstEpbPatched(b -> putLe(b, EPB + 96 - 4, 100)), EPB, "trailing length 100");
    }

    @Test
    void rejectsAbsurdBlockLength() {
        assertCorrupt(withFirstEpbPatched(b -> putLe(b, EPB + 4, 0x7FFF_FFF0)), EPB, "exceeds");
    }

    @Test
    void rejectsUnknownInterface() {
        assertCorrupt(withFirstEpbPatched(b -> putLe(b, EPB + 8, 7)), EPB, "interface 7");
    }

    @Test
    void rejectsCapturedLengthOverrunningTheBlock() {
        assertCorrupt(withFirstEpbPatched(b -> putLe(b, EPB + 20, 65)), EPB, "overruns");
    }

    @Test
    void rejectsShortEnhancedPacketBlock() {
        byte[] b = new CaptureBytes(LITTLE_ENDIAN).shb().idb(1, 0, -1, null).block(6, 8).bytes();
        assertCorrupt(b, 52, "minimum 32");
    }

    @Test
    void rejectsBadByteOrderMagic() {
        assertCorrupt(withFirstEpbPatched(b -> putLe(b, 8, 0x11223344)), 0, "byte-order magic");
    }

    @Test
    void rejectsUnsupportedSectionVersion() {
        assertCorrupt(withFirstEpbPatched(b -> b[12] = 2), 0, "version 2.0");
    }

    @Test
    void rejectsSimplePacketBeforeAnyInterface() {
        byte[] b = new CaptureBytes(LITTLE_ENDIAN).shb().spb(P1, 4).bytes();
        assertCorrupt(b, 28, "before any interface");
    }

    @Test
    void rejectsInterfaceOptionOverrunningItsBlock() {
        byte[] b = new CaptureBytes(LITTLE_ENDIAN).shb().idb(1, 0, 9, null).bytes();
        putLe(b, 28 + 16, 9 | (200 << 16)); // if_tsresol claiming 200 bytes
        assertCorrupt(b, 28 + 16, "overruns");
    }

    @Test
    void sectionWithoutInterfacesHasNoPackets() throws IOException {
        byte[] b = new CaptureBytes(BIG_ENDIAN).shb().block(0x0BAD, 4).bytes();
        Packets.Read r = Packets.readBytes(tmp, b);
        assertThat(r.packets()).isEmpty();
        assertThat(r.truncatedTail()).isEqualTo(-1);
    }

    @Test
    void decimalResolutionsFinerThanNanosecondsDivide() throws IOException {
        byte[] b = new CaptureBytes(LITTLE_ENDIAN).shb().idb(1, 0, 12, null)
                .epb(0, 1_234_567_891_234_567L, P1, 4).bytes();
        assertThat(Packets.readBytes(tmp, b).packets().getFirst().ts()).isEqualTo(1_234_567_891_234L);
    }

    @Test
    void binaryResolutionsFinerThanThirtyBitsKeepNanoseconds() throws IOException {
        long ts = (1_000L << 40) | (1L << 39); // 1000.5 s in units of 2^-40 s
        byte[] b = new CaptureBytes(BIG_ENDIAN).shb().idb(1, 0, 0x80 | 40, null).epb(0, ts, P1, 4).bytes();
        assertThat(Packets.readBytes(tmp, b).packets().getFirst().ts()).isEqualTo(1_000_500_000_000L);
    }

}
