package dev.conntrace.packet;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.lang.foreign.MemorySegment;

/**
 * Arbitrary bytes never make the capture readers throw anything but {@link CaptureFormatException},
 * and never make the decoder throw at all. Without JAZZER_FUZZ, runs the seeds in
 * {@code PacketFuzzTestInputs/}.
 */
class PacketFuzzTest {
    /** Link types the first input byte chooses from (the last slot means "the next two bytes"). */
    static final int[] LINKS = {
        LinkType.ETHERNET, LinkType.RAW, LinkType.IPV4, LinkType.IPV6, LinkType.NULL, LinkType.LOOP,
        LinkType.LINUX_SLL, LinkType.LINUX_SLL2, LinkType.NFLOG, LinkType.RAW_DLT12, -1,
    };

    @FuzzTest(maxDuration = "20s")
    void captureReadersReturnPacketsOrFormatErrors(byte[] input) throws IOException {
        Packets.Read fromSegment = null;
        CaptureFormatException segmentError = null;
        try (PacketSource src = CaptureFile.open(MemorySegment.ofArray(input), "fuzz")) {
            fromSegment = readAndDecode(src);
        } catch (CaptureFormatException e) {
            segmentError = e;
        }
        Packets.Read fromStream = null;
        CaptureFormatException streamError = null;
        try (PacketSource src = CaptureFile.open(Packets.chunked(input, 3, 5))) {
            fromStream = readAndDecode(src);
        } catch (CaptureFormatException e) {
            streamError = e;
        }
        // the in-place and the streaming paths agree
        assertThat(fromStream).isEqualTo(fromSegment);
        assertThat(streamError == null).isEqualTo(segmentError == null);
        if (segmentError != null) {
            assertThat(streamError.offset()).isEqualTo(segmentError.offset());
            assertThat(segmentError.offset()).isBetween(0L, (long) input.length);
        }
    }

    private static Packets.Read readAndDecode(PacketSource src) throws IOException {
        DecodedPacket d = new DecodedPacket();
        Packets.Read r = Packets.read(new DecodingSource(src, d));
        if (r.truncatedTail() >= 0) {
            assertThat(r.packets()).isNotNull();
        }
        return r;
    }

    @FuzzTest(maxDuration = "20s")
    void decoderNeverThrows(byte[] input) {
        if (input.length == 0) {
            return;
        }
        int pick = (input[0] & 0xFF) % LINKS.length;
        int link = LINKS[pick];
        int start = 1;
        if (link < 0) {
            link = input.length >= 3 ? ((input[1] & 0xFF) << 8) | (input[2] & 0xFF) : 0;
            start = Math.min(3, input.length);
        }
        DecodedPacket d = new DecodedPacket();
        int captured = input.length - start;
        int original = captured + (input.length > 0 ? input[input.length - 1] & 0x3F : 0);
        boolean ip = PacketDecoder.decode(link, MemorySegment.ofArray(input), start, captured, original, d);
        checkInvariants(d, ip, start, input.length);
    }

    static void checkInvariants(DecodedPacket d, boolean ip, long start, long end) {
        assertThat(ip).isEqualTo(d.ipVersion() != 0);
        assertThat(d.status()).isNotNull();
        assertThat(d.status() == DecodeStatus.OK).isEqualTo(d.problemLayer() == null);
        if (ip) {
            assertThat(d.ipOffset()).isBetween(start, end);
            assertThat(d.src().v6()).isEqualTo(d.ipVersion() == 6);
            d.verifyIpChecksum();
        }
        if (d.isTcp() || d.isUdp() || d.isIcmp()) {
            assertThat(d.transportOffset()).isBetween(start, end);
            assertThat(d.payloadOffset()).isGreaterThanOrEqualTo(d.transportOffset());
            assertThat(d.payloadOffset() + d.payloadLength()).isLessThanOrEqualTo(end);
            assertThat(d.payloadLength()).isNotNegative();
            assertThat(d.payloadMissing()).isNotNegative();
            assertThat(d.sackBlockCount()).isBetween(0, DecodedPacket.MAX_SACK_BLOCKS);
            for (int i = 0; i < d.sackBlockCount(); i++) {
                d.sackLeft(i);
                d.sackRight(i);
            }
            if (!d.transportChecksumVerifiable()) {
                assertThat(d.verifyTransportChecksum()).isFalse();
            } else {
                d.verifyTransportChecksum();
            }
        }
        for (int i = 0; i < Math.min(d.vlanCount(), DecodedPacket.MAX_VLAN_IDS); i++) {
            assertThat(d.vlanId(i)).isBetween(0, 4095);
        }
    }

    /** Passes a source through, decoding and checking every packet on the way. */
    private record DecodingSource(PacketSource src, DecodedPacket d) implements PacketSource {
        @Override
        public boolean next() throws IOException {
            if (!src.next()) {
                return false;
            }
            assertThat(src.captureLength()).isNotNegative();
            assertThat(src.dataOffset() + src.captureLength()).isLessThanOrEqualTo(src.data().byteSize());
            boolean ip = PacketDecoder.decode(src.linkType(), src.data(), src.dataOffset(), src.captureLength(),
                    src.originalLength(), d);
            checkInvariants(d, ip, src.dataOffset(), src.dataOffset() + src.captureLength());
            return true;
        }

        @Override
        public long timestampNanos() {
            return src.timestampNanos();
        }

        @Override
        public boolean hasTimestamp() {
            return src.hasTimestamp();
        }

        @Override
        public int linkType() {
            return src.linkType();
        }

        @Override
        public int captureLength() {
            return src.captureLength();
        }

        @Override
        public int originalLength() {
            return src.originalLength();
        }

        @Override
        public MemorySegment data() {
            return src.data();
        }

        @Override
        public long dataOffset() {
            return src.dataOffset();
        }

        @Override
        public long packetIndex() {
            return src.packetIndex();
        }

        @Override
        public int interfaceId() {
            return src.interfaceId();
        }

        @Override
        public long truncatedTail() {
            return src.truncatedTail();
        }

        @Override
        public String name() {
            return src.name();
        }

        @Override
        public void close() throws IOException {
            src.close();
        }
    }

}
