package dev.conntrace.packet;

import static dev.conntrace.packet.Frames.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.conntrace.sys.IpAddress;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PacketDecoderTest {
    final DecodedPacket d = new DecodedPacket();

    boolean decode(int link, byte[] frame) {
        return PacketDecoder.decode(link, MemorySegment.ofArray(frame), 0, frame.length, frame.length, d);
    }

    boolean decode(int link, byte[] frame, int captured) {
        return PacketDecoder.decode(link, MemorySegment.ofArray(frame), 0, captured, frame.length, d);
    }

    static final byte[] PAYLOAD = "GET / HTTP/1.1\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    @Test
    void ethernetIpv4TcpWithEveryOption() {
        byte[] sack = bytes(1, 1, 5, 18, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 4);
        byte[] tcp = tcp(40000, 80, 0xFFFFFFF0L, 0x12345678L, TcpFlags.ACK | TcpFlags.PSH, 512,
                cat(SYN_OPTIONS, sack), PAYLOAD);
        byte[] frame = ethernet(0x0800, ipv4(SRC4, DST4, 6, tcp));
        assertThat(decode(LinkType.ETHERNET, frame)).isTrue();
        assertThat(d.status()).isEqualTo(DecodeStatus.OK);
        assertThat(d.problemLayer()).isNull();
        assertThat(d.ipVersion()).isEqualTo(4);
        assertThat(d.src()).isEqualTo(IpAddress.parse("10.0.0.1"));
        assertThat(d.dst()).isEqualTo(IpAddress.parse("192.168.1.2"));
        assertThat(d.srcHigh()).isZero();
        assertThat(d.srcLow()).isEqualTo(0x0A000001L);
        assertThat(d.ipOffset()).isEqualTo(14);
        assertThat(d.ttl()).isEqualTo(64);
        assertThat(d.ipId()).isEqualTo(0x1234);
        assertThat(d.isTcp()).isTrue();
        assertThat(d.isUdp()).isFalse();
        assertThat(d.srcPort()).isEqualTo(40000);
        assertThat(d.dstPort()).isEqualTo(80);
        assertThat(d.seq()).isEqualTo(0xFFFFFFF0L);
        assertThat(d.ack()).isEqualTo(0x12345678L);
        assertThat(d.tcpFlags()).isEqualTo(TcpFlags.ACK | TcpFlags.PSH);
        assertThat(d.hasFlags(TcpFlags.ACK)).isTrue();
        assertThat(d.hasFlags(TcpFlags.SYN)).isFalse();
        assertThat(d.window()).isEqualTo(512);
        assertThat(d.mss()).isEqualTo(1460);
        assertThat(d.windowScale()).isEqualTo(7);
        assertThat(d.sackPermitted()).isTrue();
        assertThat(d.hasTimestamps()).isTrue();
        assertThat(d.tsVal()).isEqualTo(7);
        assertThat(d.tsEcr()).isEqualTo(9);
        assertThat(d.sackBlockCount()).isEqualTo(2);
        assertThat(d.sackLeft(0)).isEqualTo(1);
        assertThat(d.sackRight(0)).isEqualTo(2);
        assertThat(d.sackLeft(1)).isEqualTo(3);
        assertThat(d.sackRight(1)).isEqualTo(4);
        assertThat(d.tcpOptionsMalformed()).isFalse();
        assertThat(d.tcpHeaderLength()).isEqualTo(20 + 40);
        assertThat(d.payloadOffset()).isEqualTo(14 + 20 + 60);
        assertThat(d.payloadLength()).isEqualTo(PAYLOAD.length);
        assertThat(d.payloadMissing()).isZero();
        assertThat(d.verifyIpChecksum()).isTrue();
        assertThat(d.transportChecksumVerifiable()).isTrue();
        assertThat(d.verifyTransportChecksum()).isTrue();
    }

    @Test
    void checksumsDetectAFlippedBit() {
        byte[] frame = ethernet(0x0800, ipv4(SRC4, DST4, 6, tcpSegment(PAYLOAD)));
        frame[frame.length - 1] ^= 1;
        decode(LinkType.ETHERNET, frame);
        assertThat(d.verifyIpChecksum()).isTrue();
        assertThat(d.verifyTransportChecksum()).isFalse();
        frame[frame.length - 1] ^= 1;
        frame[14 + 8] ^= 1; // TTL
        decode(LinkType.ETHERNET, frame);
        assertThat(d.verifyIpChecksum()).isFalse();
        assertThat(d.ipChecksumValid()).isFalse();
    }

    @Test
    void udpOverIpv6ChecksumAndFields() {
        byte[] frame = ethernet(0x86DD, ipv6(SRC6, DST6, 17, new byte[0], 17, udp(5353, 53, PAYLOAD), false));
        assertThat(decode(LinkType.ETHERNET, frame)).isTrue();
        assertThat(d.ipVersion()).isEqualTo(6);
        assertThat(d.src()).isEqualTo(IpAddress.parse("2001:db8::1"));
        assertThat(d.dstHigh()).isEqualTo(0x20010DB800000000L);
        assertThat(d.dstLow()).isEqualTo(2);
        assertThat(d.isUdp()).isTrue();
        assertThat(d.srcPort()).isEqualTo(5353);
        assertThat(d.dstPort()).isEqualTo(53);
        assertThat(d.payloadLength()).isEqualTo(PAYLOAD.length);
        assertThat(d.verifyIpChecksum()).isTrue();
        assertThat(d.verifyTransportChecksum()).isTrue();
        frame[frame.length - 3] ^= 0x40;
        decode(LinkType.ETHERNET, frame);
        assertThat(d.verifyTransportChecksum()).isFalse();
    }

    @Test
    void icmpAndIcmpv6Checksums() {
        byte[] echo = bytes(8, 0, 0, 0, 0, 1, 0, 2, 'h', 'i');
        decode(LinkType.RAW, ipv4(SRC4, DST4, 1, echo));
        assertThat(d.isIcmp()).isTrue();
        assertThat(d.icmpType()).isEqualTo(8);
        assertThat(d.payloadLength()).isEqualTo(2);
        assertThat(d.verifyTransportChecksum()).isTrue();
        byte[] echo6 = bytes(128, 0, 0, 0, 0, 1, 0, 2, 'h', 'i', '!');
        decode(LinkType.RAW, ipv6(SRC6, DST6, 58, new byte[0], 58, echo6, false));
        assertThat(d.isIcmp()).isTrue();
        assertThat(d.icmpType()).isEqualTo(128);
        assertThat(d.verifyTransportChecksum()).isTrue();
    }

    @Test
    void udpOverIpv4WithZeroChecksumVerifies() {
        byte[] ip = ipv4(SRC4, DST4, 17, udp(1, 2, PAYLOAD));
        ip[20 + 6] = 0;
        ip[20 + 7] = 0;
        decode(LinkType.IPV4, ip);
        assertThat(d.verifyTransportChecksum()).isTrue();
    }

    @Test
    void vlanQinQAndOldQinQTagsAreRecorded() {
        byte[] ip = ipv4(SRC4, DST4, 6, tcpSegment(PAYLOAD));
        byte[] frame = ethernet(0x88A8, cat(be16(0x2000 | 100), be16(0x8100), be16(200), be16(0x9100),
                be16(300), be16(0x0800), ip));
        assertThat(decode(LinkType.ETHERNET, frame)).isTrue();
        assertThat(d.vlanCount()).isEqualTo(3);
        assertThat(d.vlanId(0)).isEqualTo(100);
        assertThat(d.vlanId(1)).isEqualTo(200);
        assertThat(d.vlanId(2)).isEqualTo(300);
        assertThat(d.networkProtocol()).isEqualTo(0x0800);
        assertThat(d.ipOffset()).isEqualTo(14 + 12);
        assertThat(d.isTcp()).isTrue();
        assertThat(d.verifyTransportChecksum()).isTrue();
    }

    @Test
    void tooManyVlanTagsIsMalformedNotALoop() {
        byte[] tags = new byte[0];
        for (int i = 0; i < 40; i++) {
            tags = cat(tags, be16(i), be16(0x8100));
        }
        byte[] frame = ethernet(0x8100, tags);
        assertThat(decode(LinkType.ETHERNET, frame)).isFalse();
        assertThat(d.status()).isEqualTo(DecodeStatus.MALFORMED);
        assertThat(d.problemLayer()).isEqualTo(Layer.LINK);
    }

    @Test
    void mplsLabelStackThenIpv6() {
        byte[] ip = ipv6(SRC6, DST6, 6, new byte[0], 6, tcpSegment(PAYLOAD), false);
        byte[] frame = ethernet(0x8847, cat(be32(0x00010000L), be32(0x00020100L), ip));
        assertThat(decode(LinkType.ETHERNET, frame)).isTrue();
        assertThat(d.mplsCount()).isEqualTo(2);
        assertThat(d.ipVersion()).isEqualTo(6);
        assertThat(d.isTcp()).isTrue();
    }

    @Test
    void pppoeSessionCarriesIp() {
        byte[] ip = ipv4(SRC4, DST4, 17, udp(1, 2, PAYLOAD));
        byte[] frame = ethernet(0x8864, cat(bytes(0x11, 0), be16(1), be16(ip.length + 2), be16(0x0021), ip));
        assertThat(decode(LinkType.ETHERNET, frame)).isTrue();
        assertThat(d.isUdp()).isTrue();
    }

    @Test
    void llcSnapCarriesAnEtherType() {
        byte[] ip = ipv4(SRC4, DST4, 17, udp(1, 2, PAYLOAD));
        byte[] frame = cat(bytes(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11), be16(8 + ip.length),
                bytes(0xAA, 0xAA, 3, 0, 0, 0), be16(0x0800), ip);
        assertThat(decode(LinkType.ETHERNET, frame)).isTrue();
        assertThat(d.isUdp()).isTrue();
        byte[] stp = cat(bytes(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11), be16(38), bytes(0x42, 0x42, 3), new byte[35]);
        assertThat(decode(LinkType.ETHERNET, stp)).isFalse();
        assertThat(d.status()).isEqualTo(DecodeStatus.NOT_IP);
    }

    @Test
    void linuxCookedV1AndV2() {
        byte[] ip = ipv4(SRC4, DST4, 6, tcpSegment(PAYLOAD));
        byte[] sll = cat(be16(0), be16(1), be16(6), new byte[8], be16(0x0800), ip);
        assertThat(decode(LinkType.LINUX_SLL, sll)).isTrue();
        assertThat(d.ipOffset()).isEqualTo(16);
        assertThat(d.isTcp()).isTrue();
        byte[] sll2 = cat(be16(0x86DD), be16(0), be32(3), be16(1), bytes(0, 6), new byte[8],
                ipv6(SRC6, DST6, 6, new byte[0], 6, tcpSegment(PAYLOAD), false));
        assertThat(decode(LinkType.LINUX_SLL2, sll2)).isTrue();
        assertThat(d.ipOffset()).isEqualTo(20);
        assertThat(d.ipVersion()).isEqualTo(6);
        assertThat(d.verifyTransportChecksum()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(ints = {LinkType.RAW, LinkType.RAW_DLT12, LinkType.RAW_DLT14})
    void rawIpPicksTheVersionFromTheFirstNibble(int link) {
        assertThat(decode(link, ipv4(SRC4, DST4, 6, tcpSegment(PAYLOAD)))).isTrue();
        assertThat(d.ipVersion()).isEqualTo(4);
        assertThat(decode(link, ipv6(SRC6, DST6, 6, new byte[0], 6, tcpSegment(PAYLOAD), false))).isTrue();
        assertThat(d.ipVersion()).isEqualTo(6);
        assertThat(decode(link, bytes(0x50, 1, 2, 3))).isFalse();
        assertThat(d.status()).isEqualTo(DecodeStatus.NOT_IP);
    }

    @Test
    void ipv4AndIpv6LinkTypesInsistOnTheirVersion() {
        assertThat(decode(LinkType.IPV4, ipv6(SRC6, DST6, 6, new byte[0], 6, tcpSegment(PAYLOAD), false))).isFalse();
        assertThat(d.status()).isEqualTo(DecodeStatus.MALFORMED);
        assertThat(decode(LinkType.IPV6, ipv6(SRC6, DST6, 6, new byte[0], 6, tcpSegment(PAYLOAD), false))).isTrue();
    }

    @ParameterizedTest
    @ValueSource(ints = {24, 28, 30, 10})
    void loopbackFamiliesInBothByteOrders(int family) {
        byte[] ip6 = ipv6(SRC6, DST6, 6, new byte[0], 6, tcpSegment(PAYLOAD), false);
        for (int link : new int[] {LinkType.NULL, LinkType.LOOP}) {
            assertThat(decode(link, cat(bytes(family, 0, 0, 0), ip6))).isTrue();
            assertThat(d.ipVersion()).isEqualTo(6);
            assertThat(decode(link, cat(bytes(0, 0, 0, family), ip6))).isTrue();
            assertThat(d.ipVersion()).isEqualTo(6);
            assertThat(decode(link, cat(bytes(2, 0, 0, 0), ipv4(SRC4, DST4, 6, tcpSegment(PAYLOAD))))).isTrue();
            assertThat(d.ipVersion()).isEqualTo(4);
        }
        assertThat(decode(LinkType.NULL, cat(bytes(0, 0, 0, 7), ip6))).isFalse();
        assertThat(d.status()).isEqualTo(DecodeStatus.NOT_IP);
        assertThat(d.unknownCode()).isEqualTo(7);
    }

    static byte[] nflogTlv(int type, byte[] value) {
        int len = 4 + value.length;
        byte[] tlv = cat(bytes(len, len >>> 8, type, type >>> 8), value);
        return cat(tlv, new byte[(4 - len % 4) % 4]);
    }

    @Test
    void nflogFindsThePayloadTlv() {
        byte[] ip = ipv4(SRC4, DST4, 6, tcpSegment(PAYLOAD));
        byte[] frame = cat(bytes(2, 0, 0, 42), nflogTlv(1, bytes(8, 0, 3, 0)), nflogTlv(10, bytes(0)),
                nflogTlv(9, ip));
        assertThat(decode(LinkType.NFLOG, frame)).isTrue();
        assertThat(d.isTcp()).isTrue();
        assertThat(d.payloadLength()).isEqualTo(PAYLOAD.length);
        assertThat(d.verifyTransportChecksum()).isTrue();
        // without a payload TLV there is no packet
        assertThat(decode(LinkType.NFLOG, cat(bytes(2, 0, 0, 42), nflogTlv(1, bytes(8, 0, 3, 0))))).isFalse();
        // a zero TLV length can never be valid
        assertThat(decode(LinkType.NFLOG, cat(bytes(2, 0, 0, 42), bytes(0, 0, 9, 0), ip))).isFalse();
        assertThat(d.status()).isEqualTo(DecodeStatus.MALFORMED);
    }

    @Test
    void ipv6ExtensionHeadersAreWalked() {
        byte[] hbh = bytes(43, 0, 1, 4, 0, 0, 0, 0); // -> routing; PadN
        byte[] routing = bytes(60, 0, 0, 0, 0, 0, 0, 0); // -> dest opts
        byte[] dest = bytes(51, 0, 1, 4, 0, 0, 0, 0); // -> AH
        byte[] ah = cat(bytes(44, 1, 0, 0), new byte[4]); // (1 + 2) * 4 = 12 bytes: -> fragment
        ah = cat(ah, new byte[4]);
        byte[] atomicFragment = cat(bytes(6, 0), be16(0), be32(77)); // offset 0, M=0
        byte[] ext = cat(hbh, routing, dest, ah, atomicFragment);
        byte[] ip = ipv6(SRC6, DST6, 0, ext, 6, tcpSegment(PAYLOAD), false);
        assertThat(decode(LinkType.RAW, ip)).isTrue();
        assertThat(d.ipProtocol()).isEqualTo(6);
        assertThat(d.ipHeaderLength()).isEqualTo(40 + ext.length);
        assertThat(d.isFragment()).isFalse();
        assertThat(d.ipId()).isEqualTo(77);
        assertThat(d.isTcp()).isTrue();
        assertThat(d.verifyTransportChecksum()).isTrue();
    }

    @Test
    void ipv6FragmentsStopAtTheNetworkLayer() {
        byte[] frag = cat(bytes(6, 0), be16(185 * 8 | 1), be32(99));
        byte[] ip = ipv6(SRC6, DST6, 44, frag, 6, tcpSegment(PAYLOAD), false);
        assertThat(decode(LinkType.RAW, ip)).isTrue();
        assertThat(d.isFragment()).isTrue();
        assertThat(d.fragmentOffset()).isEqualTo(185 * 8);
        assertThat(d.moreFragments()).isTrue();
        assertThat(d.ipId()).isEqualTo(99);
        assertThat(d.isTcp()).isFalse();
        assertThat(d.transportChecksumVerifiable()).isFalse();
    }

    @Test
    void ipv4FragmentsAreFlagged() {
        byte[] ip = ipv4(SRC4, DST4, 17, new byte[0], 0x2000, udp(1, 2, PAYLOAD));
        assertThat(decode(LinkType.RAW, ip)).isTrue();
        assertThat(d.isFragment()).isTrue();
        assertThat(d.moreFragments()).isTrue();
        assertThat(d.isUdp()).isFalse();
        byte[] last = ipv4(SRC4, DST4, 17, new byte[0], 3, PAYLOAD);
        assertThat(decode(LinkType.RAW, last)).isTrue();
        assertThat(d.isFragment()).isTrue();
        assertThat(d.fragmentOffset()).isEqualTo(24);
    }

    @Test
    void ipv6JumbogramTakesItsLengthFromTheHopByHopOption() {
        byte[] tcp = tcpSegment(PAYLOAD);
        byte[] hbh = cat(bytes(6, 0, 0xC2, 4), be32(8 + tcp.length));
        byte[] ip = ipv6(SRC6, DST6, 0, hbh, 6, tcp, true);
        byte[] padded = cat(ip, new byte[10]); // trailing bytes beyond the jumbo length
        assertThat(decode(LinkType.RAW, padded)).isTrue();
        assertThat(d.ipLengthFromCapture()).isFalse();
        assertThat(d.ipLength()).isEqualTo(ip.length);
        assertThat(d.payloadLength()).isEqualTo(PAYLOAD.length);
        assertThat(d.verifyTransportChecksum()).isTrue();
    }

    @Test
    void zeroLengthsFromSegmentationOffloadUseTheCapture() {
        byte[] ip = ipv4(SRC4, DST4, 6, tcpSegment(PAYLOAD));
        ip[2] = 0;
        ip[3] = 0;
        assertThat(decode(LinkType.RAW, ip)).isTrue();
        assertThat(d.ipLengthFromCapture()).isTrue();
        assertThat(d.payloadLength()).isEqualTo(PAYLOAD.length);
        byte[] ip6 = ipv6(SRC6, DST6, 6, new byte[0], 6, tcpSegment(PAYLOAD), true);
        assertThat(decode(LinkType.RAW, ip6)).isTrue();
        assertThat(d.ipLengthFromCapture()).isTrue();
        assertThat(d.payloadLength()).isEqualTo(PAYLOAD.length);
        assertThat(d.verifyTransportChecksum()).isTrue();
    }

    @Test
    void ethernetPaddingIsNotPayloadAndIpv4OptionsAreSkipped() {
        byte[] ip = ipv4(SRC4, DST4, 6, bytes(1, 1, 1, 0), 0, tcpSegment(new byte[2]));
        byte[] frame = cat(ethernet(0x0800, ip), new byte[12]);
        assertThat(decode(LinkType.ETHERNET, frame)).isTrue();
        assertThat(d.ipHeaderLength()).isEqualTo(24);
        assertThat(d.payloadLength()).isEqualTo(2);
        assertThat(d.verifyIpChecksum()).isTrue();
        assertThat(d.verifyTransportChecksum()).isTrue();
    }

    @Test
    void anIpLengthBeyondTheWireIsClampedNotMissing() {
        byte[] ip = ipv4(SRC4, DST4, 6, tcpSegment(PAYLOAD));
        ip[3] += 8; // claims 8 bytes that never existed
        assertThat(decode(LinkType.RAW, ip)).isTrue();
        assertThat(d.ipLengthClamped()).isTrue();
        assertThat(d.payloadMissing()).isZero();
        assertThat(d.payloadLength()).isEqualTo(PAYLOAD.length);
    }

    /** Cutting a frame anywhere decodes as far as it can and names the layer that was cut. */
    @Test
    void everySnaplenNamesTheCutLayer() {
        byte[] frame = ethernet(0x0800, ipv4(SRC4, DST4, 6, tcpSegment(PAYLOAD)));
        int tcpEnd = 14 + 20 + 40;
        for (int cap = 0; cap <= frame.length; cap++) {
            boolean ip = decode(LinkType.ETHERNET, frame, cap);
            Layer expected = cap < 14 ? Layer.LINK : cap < 34 ? Layer.NETWORK : cap < tcpEnd ? Layer.TRANSPORT
                    : cap < frame.length ? Layer.PAYLOAD : null;
            assertThat(d.problemLayer()).as("snaplen %d", cap).isEqualTo(expected);
            assertThat(d.status()).as("snaplen %d", cap)
                    .isEqualTo(expected == null ? DecodeStatus.OK : DecodeStatus.TRUNCATED);
            assertThat(ip).as("snaplen %d", cap).isEqualTo(cap >= 34);
            assertThat(d.isTcp()).as("snaplen %d", cap).isEqualTo(cap >= tcpEnd);
            if (cap >= tcpEnd) {
                assertThat(d.payloadLength()).isEqualTo(cap - tcpEnd);
                assertThat(d.payloadMissing()).isEqualTo(frame.length - cap);
                assertThat(d.transportChecksumVerifiable()).isEqualTo(cap == frame.length);
                assertThat(d.verifyTransportChecksum()).isEqualTo(cap == frame.length);
            }
        }
    }

    @Test
    void malformedHeadersAreReportedNotThrown() {
        byte[] good = ipv4(SRC4, DST4, 6, tcpSegment(PAYLOAD));
        byte[] badVersion = good.clone();
        badVersion[0] = 0x55;
        assertMalformed(badVersion, Layer.NETWORK, false);
        byte[] shortIhl = good.clone();
        shortIhl[0] = 0x44;
        assertMalformed(shortIhl, Layer.NETWORK, false);
        byte[] shortTotal = good.clone();
        shortTotal[2] = 0;
        shortTotal[3] = 19;
        assertMalformed(shortTotal, Layer.NETWORK, false);
        byte[] shortDoff = good.clone();
        shortDoff[20 + 12] = 0x40;
        assertMalformed(shortDoff, Layer.TRANSPORT, true);
        byte[] udpLen = ipv4(SRC4, DST4, 17, udp(1, 2, PAYLOAD));
        udpLen[20 + 4] = 0;
        udpLen[20 + 5] = 5;
        assertMalformed(udpLen, Layer.TRANSPORT, true);
        byte[] tcpTooLongForIp = good.clone();
        tcpTooLongForIp[2] = 0;
        tcpTooLongForIp[3] = 30; // IP says 30 bytes: a TCP header cannot fit
        assertMalformed(tcpTooLongForIp, Layer.TRANSPORT, true);
    }

    private void assertMalformed(byte[] ip, Layer layer, boolean reachedIp) {
        assertThat(decode(LinkType.IPV4, ip)).isEqualTo(reachedIp);
        assertThat(d.status()).isEqualTo(DecodeStatus.MALFORMED);
        assertThat(d.problemLayer()).isEqualTo(layer);
    }

    @Test
    void badTcpOptionLengthsKeepEarlierOptions() {
        byte[] opts = bytes(2, 4, 0x05, 0xB4, 3, 0, 0, 0); // MSS, then window scale with length 0
        decode(LinkType.RAW, ipv4(SRC4, DST4, 6, tcp(1, 2, 3, 4, TcpFlags.SYN, 5, opts, new byte[0])));
        assertThat(d.isTcp()).isTrue();
        assertThat(d.mss()).isEqualTo(1460);
        assertThat(d.windowScale()).isEqualTo(-1);
        assertThat(d.tcpOptionsMalformed()).isTrue();
        byte[] overrun = bytes(1, 1, 8, 10); // timestamps claiming 10 bytes in a 4-byte option area
        decode(LinkType.RAW, ipv4(SRC4, DST4, 6, tcp(1, 2, 3, 4, TcpFlags.SYN, 5, overrun, new byte[0])));
        assertThat(d.hasTimestamps()).isFalse();
        assertThat(d.tcpOptionsMalformed()).isTrue();
    }

    @Test
    void unknownCodesAreCarriedAndCounted() {
        DecodeStats stats = new DecodeStats();
        assertThat(decode(4242, new byte[20])).isFalse();
        assertThat(d.status()).isEqualTo(DecodeStatus.UNKNOWN_LINK_TYPE);
        assertThat(d.unknownCode()).isEqualTo(4242);
        stats.add(d);
        assertThat(decode(LinkType.ETHERNET, ethernet(0x0806, new byte[28]))).isFalse();
        assertThat(d.status()).isEqualTo(DecodeStatus.NOT_IP);
        assertThat(d.unknownCode()).isEqualTo(0x0806);
        stats.add(d);
        stats.add(d);
        assertThat(decode(LinkType.RAW, ipv4(SRC4, DST4, 132, new byte[4], 0, new byte[12]))).isTrue();
        assertThat(d.ipProtocol()).isEqualTo(132);
        assertThat(d.payloadOffset()).isEqualTo(24);
        assertThat(d.payloadLength()).isEqualTo(12);
        stats.add(d);
        assertThat(stats.packets()).isEqualTo(4);
        assertThat(stats.unknownLinkTypes()).containsExactly(java.util.Map.entry(4242, 1L));
        assertThat(stats.nonIpProtocols()).containsExactly(java.util.Map.entry(0x0806, 2L));
        assertThat(stats.otherTransport()).isEqualTo(1);
        assertThat(stats.otherIpProtocols()).containsExactly(java.util.Map.entry(132, 1L));
        DecodeStats merged = new DecodeStats();
        merged.merge(stats);
        merged.merge(stats);
        assertThat(merged.nonIpProtocols()).containsExactly(java.util.Map.entry(0x0806, 4L));
        assertThat(merged.packets()).isEqualTo(8);
        assertThat(stats.count(DecodeStatus.OK)).isEqualTo(1);
    }

    @Test
    void decodesAtAnOffsetInsideALargerSegment() {
        byte[] frame = ethernet(0x0800, ipv4(SRC4, DST4, 6, tcpSegment(PAYLOAD)));
        byte[] big = new byte[frame.length + 100];
        System.arraycopy(frame, 0, big, 37, frame.length);
        Arrays.fill(big, 37 + frame.length, big.length, (byte) 0xEE);
        assertThat(PacketDecoder.decode(LinkType.ETHERNET, MemorySegment.ofArray(big), 37, frame.length,
                frame.length, d)).isTrue();
        assertThat(d.payloadOffset()).isEqualTo(37 + 14 + 20 + 40);
        assertThat(d.verifyTransportChecksum()).isTrue();
    }

    @Test
    void rangesOutsideTheSegmentAreMalformedNotThrown() {
        MemorySegment s = MemorySegment.ofArray(new byte[10]);
        assertThat(PacketDecoder.decode(LinkType.ETHERNET, s, 5, 10, 10, d)).isFalse();
        assertThat(d.status()).isEqualTo(DecodeStatus.MALFORMED);
        assertThat(PacketDecoder.decode(LinkType.ETHERNET, s, -1, 2, 2, d)).isFalse();
        assertThat(PacketDecoder.decode(LinkType.ETHERNET, s, 0, -2, 2, d)).isFalse();
    }

    @Test
    void reusingTheViewLeavesNothingFromThePreviousPacket() {
        byte[] sack = bytes(1, 1, 5, 10, 0, 0, 0, 1, 0, 0, 0, 2);
        byte[] tcp = tcp(1, 2, 3, 4, TcpFlags.SYN, 5, cat(SYN_OPTIONS, sack), PAYLOAD);
        decode(LinkType.ETHERNET, ethernet(0x8100, cat(be16(7), be16(0x0800), ipv4(SRC4, DST4, 6, tcp))));
        assertThat(d.mss()).isEqualTo(1460);
        assertThat(d.sackBlockCount()).isEqualTo(1);
        assertThat(decode(LinkType.ETHERNET, ethernet(0x0806, new byte[28]))).isFalse();
        assertThat(d.ipVersion()).isZero();
        assertThat(d.ipOffset()).isEqualTo(-1);
        assertThat(d.srcLow()).isZero();
        assertThat(d.ipProtocol()).isEqualTo(-1);
        assertThat(d.isTcp()).isFalse();
        assertThat(d.srcPort()).isZero();
        assertThat(d.seq()).isZero();
        assertThat(d.tcpFlags()).isZero();
        assertThat(d.mss()).isEqualTo(-1);
        assertThat(d.windowScale()).isEqualTo(-1);
        assertThat(d.sackPermitted()).isFalse();
        assertThat(d.sackBlockCount()).isZero();
        assertThat(d.hasTimestamps()).isFalse();
        assertThat(d.vlanCount()).isZero();
        assertThat(d.payloadOffset()).isEqualTo(-1);
        assertThat(d.payloadLength()).isZero();
        assertThat(d.transportChecksumVerifiable()).isFalse();
        assertThat(d.verifyIpChecksum()).isFalse();
        assertThat(d.status()).isEqualTo(DecodeStatus.NOT_IP);
        decode(LinkType.RAW, ipv6(SRC6, DST6, 17, new byte[0], 17, udp(9, 10, PAYLOAD), false));
        assertThat(d.status()).isEqualTo(DecodeStatus.OK);
        assertThat(d.unknownCode()).isZero();
        assertThat(d.problemLayer()).isNull();
        assertThat(d.isUdp()).isTrue();
        assertThat(d.ack()).isZero();
        assertThat(d.mss()).isEqualTo(-1);
    }

    @Test
    void decodingAllocatesNothing() throws ReflectiveOperationException {
        // reached by reflection: the test is compiled inside the module, which does not read jdk.management
        Object mx = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean").invoke(null);
        java.lang.reflect.Method allocated =
                Class.forName("com.sun.management.ThreadMXBean").getMethod("getCurrentThreadAllocatedBytes");
        byte[] frame = ethernet(0x8100, cat(be16(5), be16(0x0800), ipv4(SRC4, DST4, 6, tcpSegment(PAYLOAD))));
        MemorySegment seg = MemorySegment.ofArray(frame);
        long sink = 0;
        for (int i = 0; i < 200_000; i++) { // warm up past compilation
            PacketDecoder.decode(LinkType.ETHERNET, seg, 0, frame.length, frame.length, d);
            sink += d.seq();
        }
        long before = (long) allocated.invoke(mx);
        for (int i = 0; i < 100_000; i++) {
            PacketDecoder.decode(LinkType.ETHERNET, seg, 0, frame.length, frame.length, d);
            sink += d.seq();
        }
        long bytes = (long) allocated.invoke(mx) - before;
        assertThat(sink).isPositive();
        assertThat(bytes).as("bytes allocated decoding 100000 packets").isLessThan(100_000);
    }
}
