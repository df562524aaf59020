package dev.conntrace.packet;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The Internet checksum (RFC 1071) over bytes in place, and the IPv4 / IPv6 pseudo-headers
 * (RFC 9293 section 3.1, RFC 8200 section 8.1). Sums are longs that callers may add before folding;
 * 32-bit words may be added directly because 2^32 and 2^16 are both 1 modulo 0xFFFF.
 */
public final class Checksums {
    private Checksums() {}

    private static final ValueLayout.OfLong I64_LE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /**
     * The ones'-complement sum of {@code length} bytes at {@code offset} (odd tail padded with zero), folded
     * to 16 bits; zero only when every byte is zero.
     *
     * <p>Reads eight bytes at a time in little-endian order (no byte swapping on x86 or ARM) and swaps the
     * folded result once: the ones'-complement sum is the same in either byte order up to that swap
     * (RFC 1071 section 2 (B)).
     */
    public static long sum(MemorySegment data, long offset, int length) {
        long a = 0;
        long b = 0;
        long p = offset;
        long end = offset + length;
        // two accumulators of 33-bit halves: no overflow below 2^30 words
        while (p + 16 <= end) {
            long w1 = data.get(I64_LE, p);
            long w2 = data.get(I64_LE, p + 8);
            a += (w1 & 0xFFFF_FFFFL) + (w1 >>> 32);
            b += (w2 & 0xFFFF_FFFFL) + (w2 >>> 32);
            p += 16;
        }
        if (p + 8 <= end) {
            long w = data.get(I64_LE, p);
            a += (w & 0xFFFF_FFFFL) + (w >>> 32);
            p += 8;
        }
        if (p + 4 <= end) {
            b += data.get(Bytes.I32_LE, p) & 0xFFFF_FFFFL;
            p += 4;
        }
        if (p + 2 <= end) {
            a += data.get(Bytes.U16_LE, p) & 0xFFFF;
            p += 2;
        }
        if (p < end) {
            b += data.get(Bytes.U8, p) & 0xFF; // the low byte of a little-endian word is the high byte on the wire
        }
        int le = fold(a + b);
        return Integer.reverseBytes(le) >>> 16;
    }

    /** The unfolded sum of the pseudo-header for an upper-layer packet of {@code length} bytes. */
    public static long pseudoHeader(int ipVersion, long srcHigh, long srcLow, long dstHigh, long dstLow,
            int protocol, long length) {
        long sum = (srcLow >>> 32) + (srcLow & 0xFFFF_FFFFL) + (dstLow >>> 32) + (dstLow & 0xFFFF_FFFFL);
        if (ipVersion == 6) {
            sum += (srcHigh >>> 32) + (srcHigh & 0xFFFF_FFFFL) + (dstHigh >>> 32) + (dstHigh & 0xFFFF_FFFFL);
        }
        return sum + protocol + length;
    }

    /** Folds a sum to 16 bits; a correct checksum region folds to 0xFFFF. */
    public static int fold(long sum) {
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return (int) sum;
    }

    /** The checksum value to store: the complement of the folded sum. */
    public static int checksum(long sum) {
        return ~fold(sum) & 0xFFFF;
    }
}
