package dev.conntrace.reassembly;

/**
 * TCP sequence-number arithmetic modulo 2^32 (RFC 9293 section 3.4). Sequence numbers are carried as
 * unsigned 32-bit values in a {@code long}.
 */
public final class Seq {
    private static final long MASK = 0xFFFF_FFFFL;

    private Seq() {}

    /** The signed distance {@code a - b} modulo 2^32, in [-2^31, 2^31). */
    public static int diff(long a, long b) {
        return (int) (a - b);
    }

    /** {@code s + n} modulo 2^32. */
    public static long add(long s, long n) {
        return (s + n) & MASK;
    }

    /** True when {@code a} comes strictly before {@code b} (within half the sequence space). */
    public static boolean before(long a, long b) {
        return diff(a, b) < 0;
    }
}
