package dev.conntrace.packet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every shared public capture reads without a crash, with the packet count the manifest states. */
class SharedCapturesTest {
    static final String INVALID = "gopacket--pcapgo_tests_le_test901.pcapng";

    static List<Path> captures() {
        return SharedPcaps.all().stream().filter(p -> !p.getFileName().toString().equals(INVALID)).toList();
    }

    @Test
    void manifestListsTheCaptures() {
        org.junit.jupiter.api.Assumptions.assumeTrue(SharedPcaps.dir() != null, "shared captures not found");
        Map<String, String> manifest = SharedPcaps.manifestPackets();
        assertThat(manifest).hasSizeGreaterThan(100);
        assertThat(SharedPcaps.all()).hasSizeGreaterThan(100);
    }

    @ParameterizedTest
    @MethodSource("captures")
    void readsEveryPacketAndDecodes(Path file) throws IOException {
        Map<String, String> manifest = SharedPcaps.manifestPackets();
        DecodedPacket d = new DecodedPacket();
        DecodeStats stats = new DecodeStats();
        long count = 0;
        try (PacketSource src = CaptureFile.open(file)) {
            while (src.next()) {
                assertThat(src.packetIndex()).isEqualTo(count);
                assertThat(src.dataOffset() + src.captureLength()).isLessThanOrEqualTo(src.data().byteSize());
                PacketDecoder.decode(src.linkType(), src.data(), src.dataOffset(), src.captureLength(),
                        src.originalLength(), d);
                stats.add(d);
                count++;
            }
            assertThat(src.truncatedTail()).as("truncated tail").isEqualTo(-1);
        }
        String expected = manifest.get(file.getFileName().toString());
        if (expected != null && expected.matches("\\d+")) {
            assertThat(count).as("packets in " + file.getFileName()).isEqualTo(Long.parseLong(expected));
        }
        // the stream path yields the same packets
        long streamed = 0;
        try (InputStream in = Files.newInputStream(file); PacketSource src = CaptureFile.open(in)) {
            while (src.next()) {
                streamed++;
            }
        }
        assertThat(streamed).isEqualTo(count);
    }

    /** The stream path split at every offset, and one byte at a time, yields what the mapped path does. */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {
        "gopacket--pcap_test_ethernet.pcap", "gopacket--pcapgo_tests_le_test202.pcapng",
        "gopacket--pcapgo_tests_be_test101.pcapng", "tcpdump--tcp-handshake-nano.pcap"})
    void everySplitOfASharedCaptureMatchesTheMappedRead(String name) throws IOException {
        Path file = SharedPcaps.file(name);
        byte[] bytes = Files.readAllBytes(file);
        Packets.Read mapped = Packets.readFile(file);
        assertThat(mapped.packets()).isNotEmpty();
        for (int first = 1; first <= bytes.length; first++) {
            assertThat(Packets.readStream(Packets.chunked(bytes, first, 4096))).as("split at %d", first)
                    .isEqualTo(mapped);
        }
        assertThat(Packets.readStream(Packets.chunked(bytes, 1, 1))).isEqualTo(mapped);
    }

    @Test
    void test902TakesItsTimestampResolutionAsAPowerOfTwo() throws IOException {
        Packets.Read r = Packets.readFile(SharedPcaps.file("gopacket--pcapgo_tests_le_test902.pcapng"));
        assertThat(r.packets()).singleElement().satisfies(p -> {
            assertThat(p.ts()).isEqualTo(1_519_128_000_195_312_500L); // 0x5A8C0DC032 units of 2^-8 s
            assertThat(p.link()).isEqualTo(LinkType.ETHERNET);
            assertThat(p.cap()).isEqualTo(314);
        });
    }

    @Test
    void sectionsWithoutPacketsEndCleanly() throws IOException {
        // test002: a section header only; test017: custom blocks only; test003/013/014/015/200: interfaces, no packets
        for (String n : List.of("002", "017", "003", "013", "014", "015", "200")) {
            Packets.Read r = Packets.readFile(SharedPcaps.file("gopacket--pcapgo_tests_le_test" + n + ".pcapng"));
            assertThat(r.packets()).as("test%s", n).isEmpty();
            assertThat(r.truncatedTail()).as("test%s", n).isEqualTo(-1);
        }
    }

    @Test
    void test901IsRejectedAtItsSecondSection() throws IOException {
        Path file = SharedPcaps.file(INVALID);
        try (PacketSource src = CaptureFile.open(file)) {
            assertThat(src.next()).isTrue();
            assertThatThrownBy(src::next)
                    .isInstanceOf(CaptureFormatException.class)
                    .hasMessageContaining("offset 480")
                    .hasMessageContaining("version 2.0")
                    .satisfies(e -> assertThat(((CaptureFormatException) e).offset()).isEqualTo(480));
        }
    }
}
