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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PcapReaderTest {
    @TempDir
    Path tmp;

    static final byte[] P0 = CaptureBytes.payload(60, 1);
    static final byte[] P1 = CaptureBytes.payload(1, 2);
    static final byte[] P2 = CaptureBytes.payload(0, 3);

    static byte[] sample(ByteOrder order, int magic) {
        return new CaptureBytes(order).pcapHeader(magic, 113)
                .pcapRecord(1_700_000_000, 123_456, P0, 1500)
                .pcapRecord(1_700_000_001, 999_999, P1, 1)
                .pcapRecord(0, 0, P2, 0)
                .bytes();
    }

    @ParameterizedTest
    @CsvSource({"LITTLE,micro", "BIG,micro", "LITTLE,nano", "BIG,nano"})
    void readsBothMagicsInBothOrders(String orderName, String res) throws IOException {
        ByteOrder order = orderName.equals("BIG") ? BIG_ENDIAN : LITTLE_ENDIAN;
        boolean nanos = res.equals("nano");
        byte[] bytes = sample(order, nanos ? PcapReader.MAGIC_NANOS : PcapReader.MAGIC_MICROS);
        Packets.Read r = Packets.readBytes(tmp, bytes);
        long scale = nanos ? 1 : 1000;
        assertThat(r.packets()).hasSize(3);
        assertThat(r.truncatedTail()).isEqualTo(-1);
        Packets.Rec a = r.packets().get(0);
        assertThat(a.ts()).isEqualTo(1_700_000_000L * 1_000_000_000L + 123_456 * scale);
        assertThat(a.link()).isEqualTo(113);
        assertThat(a.cap()).isEqualTo(60);
        assertThat(a.orig()).isEqualTo(1500);
        assertThat(a.hex()).isEqualTo(HexFormat.of().formatHex(P0));
        assertThat(r.packets().get(1).ts()).isEqualTo(1_700_000_001L * 1_000_000_000L + 999_999 * scale);
        assertThat(r.packets().get(1).hex()).isEqualTo(HexFormat.of().formatHex(P1));
        assertThat(r.packets().get(2).cap()).isZero();
        assertThat(r.packets().stream().map(Packets.Rec::index).toList()).containsExactly(0L, 1L, 2L);
        assertThat(Packets.readStream(new ByteArrayInputStream(bytes))).isEqualTo(r);
    }

    @Test
    void readsModifiedPcapWithLongerRecordHeaders() throws IOException {
        CaptureBytes b = new CaptureBytes(LITTLE_ENDIAN).pcapHeader(PcapReader.MAGIC_MODIFIED, 1);
        b.i32(5).i32(6).i32(P0.length).i32(P0.length).i32(7).i16(0x0800).i16(0).raw(P0);
        Packets.Read r = Packets.readBytes(tmp, b.bytes());
        assertThat(r.packets()).singleElement().satisfies(p -> {
            assertThat(p.ts()).isEqualTo(5_000_006_000L);
            assertThat(p.hex()).isEqualTo(HexFormat.of().formatHex(P0));
        });
    }

    @Test
    void linkTypeIgnoresFcsFlagBits() throws IOException {
        byte[] bytes = new CaptureBytes(LITTLE_ENDIAN).pcapHeader(PcapReader.MAGIC_MICROS, 0x1400_0001).bytes();
        try (PacketSource s = CaptureFile.open(new ByteArrayInputStream(bytes))) {
            assertThat(s.next()).isFalse();
            assertThat(s.linkType()).isEqualTo(1);
        }
    }

    @Test
    void everyCutPointYieldsTheCompletePacketsThenATailWarning() throws IOException {
        byte[] full = sample(BIG_ENDIAN, PcapReader.MAGIC_NANOS);
        List<Integer> boundaries = List.of(24, 24 + 16 + 60, 24 + 16 + 60 + 16 + 1, full.length);
        for (int cut = 0; cut <= full.length; cut++) {
            byte[] part = Arrays.copyOf(full, cut);
            if (cut < 24) {
                int c = cut;
                assertThatThrownBy(() -> Packets.readBytes(tmp, part))
                        .as("cut at %d", c).isInstanceOf(CaptureFormatException.class);
                continue;
            }
            int complete = 0;
            long lastBoundary = 24;
            for (int i = 1; i < boundaries.size(); i++) {
                if (boundaries.get(i) <= cut) {
                    complete = i;
                    lastBoundary = boundaries.get(i);
                }
            }
            Packets.Read mapped = Packets.readBytes(tmp, part);
            assertThat(mapped.packets()).as("cut at %d", cut).hasSize(complete);
            assertThat(mapped.truncatedTail()).as("cut at %d", cut).isEqualTo(cut == lastBoundary ? -1 : lastBoundary);
            assertThat(Packets.readStream(Packets.chunked(part, 7, 3))).isEqualTo(mapped);
            try (PacketSource s = CaptureFile.open(new java.io.ByteArrayInputStream(part), "cut")) {
                while (s.next()) {
                    assertThat(s.truncationWarning()).isNull();
                }
                if (cut == lastBoundary) {
                    assertThat(s.truncationWarning()).isNull();
                } else {
                    assertThat(s.truncationWarning()).isEqualTo("cut: capture ends inside a record at offset "
                            + lastBoundary + "; the packets before it were read");
                }
            }
        }
    }

    @Test
    void rejectsUnknownMagicAtOffsetZero() {
        byte[] bytes = new CaptureBytes(LITTLE_ENDIAN).pcapHeader(0x12345678, 1).bytes();
        assertThatThrownBy(() -> Packets.readBytes(tmp, bytes))
                .isInstanceOf(CaptureFormatException.class)
                .hasMessageContaining("offset 0")
                .hasMessageContaining("0x12345678");
    }

    @Test
    void rejectsUnsupportedVersion() {
        byte[] bytes = new CaptureBytes(LITTLE_ENDIAN).i32(PcapReader.MAGIC_MICROS).i16(3).i16(0)
                .i32(0).i32(0).i32(0).i32(1).bytes();
        assertThatThrownBy(() -> Packets.readBytes(tmp, bytes))
                .isInstanceOf(CaptureFormatException.class)
                .hasMessageContaining("version 3.0");
    }

    @Test
    void rejectsAbsurdRecordLengthNamingTheRecord() {
        byte[] bytes = new CaptureBytes(LITTLE_ENDIAN).pcapHeader(PcapReader.MAGIC_MICROS, 1)
                .pcapRecord(1, 2, P1, 1)
                .i32(1).i32(2).i32(0x7FFF_0000).i32(10).bytes();
        try (PacketSource s = CaptureFile.open(new ByteArrayInputStream(bytes))) {
            assertThat(s.next()).isTrue();
            assertThatThrownBy(s::next).isInstanceOf(CaptureFormatException.class)
                    .satisfies(e -> assertThat(((CaptureFormatException) e).offset()).isEqualTo(24 + 17));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aPathThatIsNotARegularFileIsReadAsAStream() throws Exception {
        dev.conntrace.sys.testing.Prerequisites.requireTool("mkfifo");
        Path fifo = tmp.resolve("fifo");
        Process mk = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertThat(mk.waitFor()).isZero();
        byte[] bytes = sample(LITTLE_ENDIAN, PcapReader.MAGIC_NANOS);
        Thread writer = Thread.ofPlatform().start(() -> {
            try {
                java.nio.file.Files.write(fifo, bytes);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        try {
            Packets.Read r = Packets.readFile(fifo);
            assertThat(r).isEqualTo(Packets.readStream(new ByteArrayInputStream(bytes)));
            assertThat(r.packets()).hasSize(3);
        } finally {
            writer.join(10_000);
        }
    }

    @Test
    void rejectsEmptyAndTinyFiles() {
        assertThatThrownBy(() -> Packets.readBytes(tmp, new byte[0])).isInstanceOf(CaptureFormatException.class)
                .hasMessageContaining("too short");
        assertThatThrownBy(() -> Packets.readBytes(tmp, new byte[] {(byte) 0xd4, (byte) 0xc3}))
                .isInstanceOf(CaptureFormatException.class);
    }
}
