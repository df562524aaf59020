package dev.conntrace.packet;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.MemorySegment;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Seeded random input for the BPF interpreter and the defragmenter: whatever the program or the fragments,
 * neither throws, and the defragmenter stays inside its bounds.
 */
class RandomInputTest {
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void anyProgramOverAnyPacketEndsWithAVerdict(long seed) {
        Random r = new Random(seed);
        int[] classes = {0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07};
        for (int round = 0; round < 2000; round++) {
            int n = 1 + r.nextInt(12);
            long[] insns = new long[n];
            for (int i = 0; i < n; i++) {
                long code = classes[r.nextInt(8)] | r.nextInt(256) & 0xF8; // a class and random mode/op bits
                long k = r.nextBoolean() ? r.nextInt(64) : r.nextInt();
                insns[i] = code << 48 | (long) r.nextInt(4) << 40 | (long) r.nextInt(4) << 32 | (k & 0xFFFF_FFFFL);
            }
            byte[] packet = new byte[r.nextInt(80)];
            r.nextBytes(packet);
            BpfProgram p = BpfProgram.of(insns);
            p.accepts(MemorySegment.ofArray(packet), 0, packet.length, packet.length + r.nextInt(3)); // must not throw
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void randomFragmentsStayWithinTheBounds(long seed) {
        Random r = new Random(seed);
        IpDefragmenter.Limits limits = new IpDefragmenter.Limits(8, 4 * 65535, 1_000_000);
        IpDefragmenter defrag = new IpDefragmenter(limits);
        DecodedPacket d = new DecodedPacket();
        for (int i = 0; i < 3000; i++) {
            int len = 8 * r.nextInt(200) + (r.nextInt(4) == 0 ? r.nextInt(8) : 0);
            byte[] h = new byte[20];
            h[0] = 0x45;
            int total = 20 + len;
            h[2] = (byte) (total >>> 8);
            h[3] = (byte) total;
            h[5] = (byte) r.nextInt(12); // a few identifications, so fragments meet
            int frag = (r.nextBoolean() ? 0x2000 : 0) | r.nextInt(r.nextBoolean() ? 16 : 8192);
            h[6] = (byte) (frag >>> 8);
            h[7] = (byte) frag;
            h[9] = 17;
            h[15] = 1;
            h[19] = 2;
            byte[] ip = Frames.cat(h, new byte[len]);
            PacketDecoder.decode(LinkType.RAW, MemorySegment.ofArray(ip), 0, ip.length, ip.length, d);
            if (defrag.offer(d, i * 1000L)) {
                assertThat(defrag.datagramLength()).isBetween(20, 20 + 65535);
            }
            assertThat(defrag.pendingDatagrams()).isLessThanOrEqualTo(limits.maxDatagrams());
            assertThat(defrag.bufferedBytes()).isBetween(0L, limits.maxBytes());
        }
        assertThat(defrag.fragments()).isPositive();
    }
}
