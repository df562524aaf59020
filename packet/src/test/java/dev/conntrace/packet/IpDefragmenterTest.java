package dev.conntrace.packet;

import static dev.conntrace.packet.Frames.DST4;
import static dev.conntrace.packet.Frames.DST6;
import static dev.conntrace.packet.Frames.SRC4;
import static dev.conntrace.packet.Frames.SRC6;
import static dev.conntrace.packet.Frames.be16;
import static dev.conntrace.packet.Frames.be32;
import static dev.conntrace.packet.Frames.bytes;
import static dev.conntrace.packet.Frames.cat;
import static dev.conntrace.packet.Frames.ipv4;
import static dev.conntrace.packet.Frames.ipv6;
import static dev.conntrace.packet.Frames.udp;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Crafted IPv4 and IPv6 fragments: flagged by the decoder, never read as transport headers, put back together. */
class IpDefragmenterTest {
    private final DecodedPacket p = new DecodedPacket();

    private static byte[] payload(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** Splits a whole IPv4 packet (20-byte header) into fragments of at most {@code size} data bytes (a multiple of 8). */
    static List<byte[]> fragments4(byte[] whole, int size) {
        List<byte[]> out = new ArrayList<>();
        byte[] data = Arrays.copyOfRange(whole, 20, whole.length);
        for (int off = 0; off < data.length; off += size) {
            int n = Math.min(size, data.length - off);
            boolean more = off + n < data.length;
            byte[] h = Arrays.copyOf(whole, 20);
            h[2] = (byte) ((20 + n) >>> 8);
            h[3] = (byte) (20 + n);
            int frag = (more ? 0x2000 : 0) | off / 8;
            h[6] = (byte) (frag >>> 8);
            h[7] = (byte) frag;
            h[10] = 0;
            h[11] = 0;
            int c = Frames.checksum(h);
            h[10] = (byte) (c >>> 8);
            h[11] = (byte) c;
            out.add(cat(h, Arrays.copyOfRange(data, off, off + n)));
        }
        return out;
    }

    /** Splits an IPv6 packet without extension headers into fragments with a fragment header (id 0x5eed). */
    static List<byte[]> fragments6(byte[] whole, int size) {
        List<byte[]> out = new ArrayList<>();
        int next = whole[6] & 0xFF;
        byte[] data = Arrays.copyOfRange(whole, 40, whole.length);
        for (int off = 0; off < data.length; off += size) {
            int n = Math.min(size, data.length - off);
            boolean more = off + n < data.length;
            byte[] h = Arrays.copyOf(whole, 40);
            h[4] = (byte) ((8 + n) >>> 8);
            h[5] = (byte) (8 + n);
            h[6] = 44; // IPPROTO_FRAGMENT
            byte[] fh = cat(bytes(next, 0), be16(off | (more ? 1 : 0)), be32(0x5eed));
            out.add(cat(h, fh, Arrays.copyOfRange(data, off, off + n)));
        }
        return out;
    }

    private DecodedPacket decodeRaw(byte[] ip) {
        assertThat(PacketDecoder.decode(LinkType.RAW, MemorySegment.ofArray(ip), 0, ip.length, ip.length, p)).isTrue();
        return p;
    }

    @Test
    void ipv4FragmentsAreFlaggedAndNeverReadAsUdp() {
        byte[] whole = ipv4(SRC4, DST4, 17, udp(40000, 53, payload(3000, 1)));
        List<byte[]> f = fragments4(whole, 1480);
        assertThat(f).hasSize(3);
        for (int i = 0; i < f.size(); i++) {
            DecodedPacket d = decodeRaw(f.get(i));
            assertThat(d.status()).isEqualTo(DecodeStatus.OK);
            assertThat(d.isFragment()).isTrue();
            assertThat(d.fragmentOffset()).isEqualTo(1480 * i);
            assertThat(d.moreFragments()).isEqualTo(i < 2);
            assertThat(d.isUdp()).isFalse();
            assertThat(d.srcPort()).isZero();
            assertThat(d.ipId()).isEqualTo(0x1234);
        }
        DecodeStats stats = new DecodeStats();
        for (byte[] b : f) {
            stats.add(decodeRaw(b));
        }
        stats.add(decodeRaw(whole));
        assertThat(stats.fragments()).isEqualTo(3);
        assertThat(stats.udp()).isEqualTo(1);
    }

    @Test
    void ipv6NonFirstFragmentIsNotParsedAsExtensionHeaders() {
        // the fragmentable part starts with destination options (60); a later fragment's bytes must not be
        // read as headers, whatever they hold
        byte[] later = cat(bytes(0x60, 0, 0, 0), be16(8 + 16), bytes(44, 64), SRC6, DST6,
                bytes(60, 0), be16(1480 | 0), be32(9), bytes(0xFF, 0xFF), new byte[14]);
        DecodedPacket d = decodeRaw(later);
        assertThat(d.status()).isEqualTo(DecodeStatus.OK);
        assertThat(d.isFragment()).isTrue();
        assertThat(d.fragmentOffset()).isEqualTo(1480);
        assertThat(d.ipProtocol()).isEqualTo(60);
        assertThat(d.ipHeaderLength()).isEqualTo(48);
        assertThat(d.isUdp() || d.isTcp()).isFalse();
    }

    @Test
    void ipv4DatagramComesBackWholeInAnyOrder() {
        byte[] whole = ipv4(SRC4, DST4, 17, udp(40000, 53, payload(3000, 2)));
        List<byte[]> f = fragments4(whole, 1480);
        IpDefragmenter defrag = new IpDefragmenter(IpDefragmenter.Limits.defaults());
        assertThat(defrag.offer(decodeRaw(f.get(2)), 1)).isFalse();
        assertThat(defrag.offer(decodeRaw(f.get(0)), 2)).isFalse();
        assertThat(defrag.pendingDatagrams()).isEqualTo(1);
        assertThat(defrag.offer(decodeRaw(f.get(0)), 2)).isFalse(); // a duplicate: counted as overlap
        assertThat(defrag.offer(decodeRaw(f.get(1)), 3)).isTrue();
        byte[] got = defrag.datagram().asSlice(0, defrag.datagramLength()).toArray(ValueLayout.JAVA_BYTE);
        assertThat(got).isEqualTo(whole);
        DecodedPacket d = decodeRaw(got);
        assertThat(d.isUdp()).isTrue();
        assertThat(d.dstPort()).isEqualTo(53);
        assertThat(d.ipChecksumValid()).isTrue();
        assertThat(defrag.completed()).isEqualTo(1);
        assertThat(defrag.fragments()).isEqualTo(4);
        assertThat(defrag.overlapBytes()).isEqualTo(1480);
        assertThat(defrag.pendingDatagrams()).isZero();
        assertThat(defrag.bufferedBytes()).isZero();
    }

    @Test
    void ipv6DatagramComesBackWhole() {
        byte[] whole = ipv6(SRC6, DST6, 17, new byte[0], 17, udp(5353, 53, payload(2500, 3)), false);
        List<byte[]> f = fragments6(whole, 1232);
        assertThat(f).hasSize(3);
        IpDefragmenter defrag = new IpDefragmenter(IpDefragmenter.Limits.defaults());
        assertThat(defrag.offer(decodeRaw(f.get(1)), 1)).isFalse();
        assertThat(defrag.offer(decodeRaw(f.get(2)), 1)).isFalse();
        assertThat(defrag.offer(decodeRaw(f.get(0)), 1)).isTrue();
        byte[] got = defrag.datagram().asSlice(0, defrag.datagramLength()).toArray(ValueLayout.JAVA_BYTE);
        got[7] = whole[7]; // the hop limit is not carried over
        assertThat(got).isEqualTo(whole);
        DecodedPacket d = decodeRaw(got);
        assertThat(d.isUdp()).isTrue();
        assertThat(d.srcPort()).isEqualTo(5353);
    }

    @Test
    void incompleteDatagramsExpireAndLimitsHold() {
        byte[] whole = ipv4(SRC4, DST4, 17, udp(40000, 53, payload(3000, 4)));
        List<byte[]> f = fragments4(whole, 1480);
        IpDefragmenter defrag = new IpDefragmenter(new IpDefragmenter.Limits(2, 1 << 20, 1_000));
        defrag.offer(decodeRaw(f.get(0)), 0);
        defrag.expire(999);
        assertThat(defrag.pendingDatagrams()).isEqualTo(1);
        assertThat(defrag.offer(decodeRaw(f.get(1)), 1_000)).isFalse(); // the first part expired first
        assertThat(defrag.expired()).isEqualTo(1);
        // three datagrams at once with room for two: the oldest is evicted
        for (int id = 0; id < 3; id++) {
            byte[] frag = f.get(0).clone();
            frag[5] = (byte) id;
            frag[10] = 0;
            frag[11] = 0;
            int c = Frames.checksum(Arrays.copyOf(frag, 20));
            frag[10] = (byte) (c >>> 8);
            frag[11] = (byte) c;
            defrag.offer(decodeRaw(frag), 2_000);
        }
        assertThat(defrag.pendingDatagrams()).isEqualTo(2);
        assertThat(defrag.evicted()).isGreaterThanOrEqualTo(1);
        assertThat(defrag.bufferedBytes()).isLessThanOrEqualTo(2L * 65535);
    }

    @Test
    void aDatagramBeyond65535BytesIsDroppedAsInvalid() {
        byte[] h = Arrays.copyOf(ipv4(SRC4, DST4, 17, udp(1, 2, new byte[8])), 20);
        byte[] last = cat(h, new byte[100]);
        last[2] = 0;
        last[3] = 120;
        int frag = 8189; // offset 65512: 65512 + 100 > 65535
        last[6] = (byte) (frag >>> 8);
        last[7] = (byte) frag;
        IpDefragmenter defrag = new IpDefragmenter(IpDefragmenter.Limits.defaults());
        assertThat(defrag.offer(decodeRaw(last), 0)).isFalse();
        assertThat(defrag.invalid()).isEqualTo(1);
        assertThat(defrag.pendingDatagrams()).isZero();
    }
}
