package dev.conntrace.packet;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ChecksumsTest {
    /** RFC 1071's definition, 16-bit big-endian words, odd byte padded with a zero low byte. */
    private static int reference(byte[] b, int off, int len) {
        long sum = 0;
        for (int i = 0; i + 1 < len; i += 2) {
            sum += ((b[off + i] & 0xFF) << 8) | (b[off + i + 1] & 0xFF);
        }
        if ((len & 1) != 0) {
            sum += (b[off + len - 1] & 0xFF) << 8;
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return (int) sum;
    }

    @Test
    void everyLengthAndAlignmentMatchesTheWordByWordDefinition() {
        SplittableRandom rnd = new SplittableRandom(7);
        byte[] b = new byte[4096];
        rnd.nextBytes(b);
        MemorySegment seg = MemorySegment.ofArray(b);
        for (int off = 0; off < 9; off++) {
            for (int len = 0; len < 200; len++) {
                assertThat(Checksums.fold(Checksums.sum(seg, off, len))).as("off %d len %d", off, len)
                        .isEqualTo(reference(b, off, len));
            }
        }
        for (int i = 0; i < 200; i++) {
            int off = rnd.nextInt(64);
            int len = rnd.nextInt(b.length - off);
            assertThat(Checksums.fold(Checksums.sum(seg, off, len))).isEqualTo(reference(b, off, len));
        }
    }

    @Test
    void carriesFromAllOnesBytesFoldCorrectly() {
        byte[] b = new byte[1500];
        java.util.Arrays.fill(b, (byte) 0xFF);
        MemorySegment seg = MemorySegment.ofArray(b);
        for (int len = 1; len < b.length; len += 37) {
            assertThat(Checksums.fold(Checksums.sum(seg, 0, len))).isEqualTo(reference(b, 0, len));
        }
        assertThat(Checksums.sum(MemorySegment.ofArray(new byte[64]), 0, 64)).isZero();
    }

    @Test
    void aPacketWithItsChecksumStoredSumsToAllOnes() {
        SplittableRandom rnd = new SplittableRandom(11);
        for (int len = 2; len < 300; len++) {
            byte[] b = new byte[len];
            rnd.nextBytes(b);
            b[0] = 0;
            b[1] = 0;
            MemorySegment seg = MemorySegment.ofArray(b);
            int c = Checksums.checksum(Checksums.sum(seg, 0, len) + 0x1234);
            b[0] = (byte) (c >>> 8);
            b[1] = (byte) c;
            assertThat(Checksums.fold(Checksums.sum(seg, 0, len) + 0x1234)).isEqualTo(0xFFFF);
        }
    }
}
