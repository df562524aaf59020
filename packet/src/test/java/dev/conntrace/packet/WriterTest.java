package dev.conntrace.packet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conntrace.sys.testing.Prerequisites;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the writers produce reads back identically, and tshark opens it with the same timestamps. */
class WriterTest {
    @TempDir
    Path tmp;

    /** A capture with packets from several link types, copied from a shared capture. */
    private static Packets.Read source() throws IOException {
        return Packets.readFile(SharedPcaps.file("gopacket--pcapgo_tests_le_test202.pcapng"));
    }

    @Test
    void pcapngRoundTripKeepsEveryField() throws IOException {
        Packets.Read in = source();
        assertThat(in.packets()).hasSizeGreaterThan(3);
        Path out = tmp.resolve("out.pcapng");
        List<Integer> links = new ArrayList<>();
        try (PcapngWriter w = PcapngWriter.open(out)) {
            for (Packets.Rec r : in.packets()) {
                int id = links.indexOf(r.link());
                if (id < 0) {
                    id = w.writeInterface(r.link(), 65535);
                    links.add(r.link());
                }
                byte[] b = java.util.HexFormat.of().parseHex(r.hex());
                w.writePacket(id, r.ts(), MemorySegment.ofArray(b), 0, b.length, r.orig());
            }
        }
        Packets.Read back = Packets.readFile(out);
        assertThat(back.packets()).hasSameSizeAs(in.packets());
        for (int i = 0; i < back.packets().size(); i++) {
            Packets.Rec a = in.packets().get(i);
            Packets.Rec b = back.packets().get(i);
            assertThat(b.ts()).isEqualTo(a.ts());
            assertThat(b.link()).isEqualTo(a.link());
            assertThat(b.hex()).isEqualTo(a.hex());
            assertThat(b.orig()).isEqualTo(a.orig());
            assertThat(b.iface()).isEqualTo(links.indexOf(a.link()));
        }
        assertTsharkAgrees(out, back);
    }

    @Test
    void pcapRoundTripInBothResolutions() throws IOException {
        byte[] p0 = CaptureBytes.payload(54, 9);
        byte[] p1 = CaptureBytes.payload(3, 8);
        long t0 = 1_600_000_000_123_456_789L;
        long t1 = 1_600_000_001_000_000_001L;
        for (boolean nanos : new boolean[] {true, false}) {
            Path out = tmp.resolve("out-" + nanos + ".pcap");
            try (PcapWriter w = PcapWriter.open(out, LinkType.ETHERNET, 262144, nanos)) {
                w.writePacket(t0, MemorySegment.ofArray(p0), 0, p0.length, 1514);
                w.writePacket(t1, p1);
            }
            Packets.Read back = Packets.readFile(out);
            long cut = nanos ? 1 : 1000;
            assertThat(back.packets()).extracting(Packets.Rec::ts).containsExactly(t0 / cut * cut, t1 / cut * cut);
            assertThat(back.packets()).extracting(Packets.Rec::orig).containsExactly(1514, 3);
            assertThat(back.packets()).extracting(Packets.Rec::link).containsOnly(LinkType.ETHERNET);
            assertTsharkAgrees(out, back);
        }
    }

    @Test
    void writesToAStream() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PcapngWriter w = PcapngWriter.open(bytes)) {
            int a = w.writeInterface(LinkType.RAW, 0);
            int b = w.writeInterface(LinkType.ETHERNET, 128);
            w.writePacket(b, 42, new byte[] {1, 2, 3, 4, 5});
            w.writePacket(a, 43, new byte[] {6});
            assertThatThrownBy(() -> w.writePacket(2, 0, new byte[1])).isInstanceOf(IllegalArgumentException.class);
        }
        Packets.Read back = Packets.readStream(new java.io.ByteArrayInputStream(bytes.toByteArray()));
        assertThat(back.packets()).containsExactly(
                new Packets.Rec(0, 42, true, LinkType.ETHERNET, 1, 5, 5, "0102030405"),
                new Packets.Rec(1, 43, true, LinkType.RAW, 0, 1, 1, "06"));
    }

    /** tshark reads the file with the same number of packets, timestamps and lengths. */
    private static void assertTsharkAgrees(Path file, Packets.Read ours) throws IOException {
        Prerequisites.requireTool("tshark");
        Process p = new ProcessBuilder("tshark", "-n", "-r", file.toString(), "-T", "fields",
                "-e", "frame.time_epoch", "-e", "frame.cap_len", "-e", "frame.len")
                .redirectErrorStream(false).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        assertThat(p.exitValue()).as("tshark exit status for " + file).isZero();
        List<String> expected = new ArrayList<>();
        for (Packets.Rec r : ours.packets()) {
            expected.add(String.format("%d.%09d\t%d\t%d", r.ts() / 1_000_000_000L, r.ts() % 1_000_000_000L,
                    r.cap(), r.orig()));
        }
        assertThat(out.lines().toList()).isEqualTo(expected);
        assertThat(Files.size(file)).isPositive();
    }
}
