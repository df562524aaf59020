package dev.conntrace.packet;

import java.lang.foreign.MemorySegment;

/**
 * The Internet checksum (RFC 1071) over bytes in place, and the IPv4 / IPv6 pseudo-headers
 * (RFC 9293 section 3.1, RFC 8200 section 8.1). Sums are kept unfolded in a long; 32-bit words
 * may be added directly because 2^32 and 2^16 are both 1 modulo 0xFFFF.
 */
public final class Checksums {
    private Checksums() {}

    /** The unfolded ones'-complement sum of {@code length} bytes at {@code offset} (odd tail padded with zero). */
    public static long sum(MemorySegment data, long offset, int length) {
        long sum = 0;
        long p = offset;
        long end = offset + length;
        while (p + 4 <= end) {
            sum += data.get(Bytes.I32, p) & 0xFFFF_FFFFL;
            p += 4;
        }
        if (p + 2 <= end) {
            sum += data.get(Bytes.U16, p) & 0xFFFF;
            p += 2;
        }
        if (p < end) {
            sum += (data.get(Bytes.U8, p) & 0xFF) << 8;
        }
        return sum;
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
