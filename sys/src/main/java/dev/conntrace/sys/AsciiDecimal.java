package dev.conntrace.sys;

/**
 * Non-negative numbers written as ASCII decimal digits straight into a byte array, without allocating: the
 * byte-level formatters (conntrack lines, socket JSON) share it. Stateless; thread-safe.
 */
public final class AsciiDecimal {
    private AsciiDecimal() {}

    /** The most digits {@link #write(byte[], int, long)} writes (Long.MAX_VALUE has 19). */
    public static final int MAX_DIGITS = 19;

    /** The most digits {@link #writeUnsigned} writes (2^64 - 1 has 20). */
    public static final int MAX_UNSIGNED_DIGITS = 20;

    /** "00" to "99". */
    private static final byte[] PAIRS = new byte[200];

    static {
        for (int i = 0; i < 100; i++) {
            PAIRS[2 * i] = (byte) ('0' + i / 10);
            PAIRS[2 * i + 1] = (byte) ('0' + i % 10);
        }
    }

    /**
     * Writes non-negative {@code v} at {@code pos} and returns the position after its last digit; the caller
     * leaves room for {@link #MAX_DIGITS} bytes.
     */
    public static int write(byte[] buf, int pos, long v) {
        if (v < 0) {
            throw new IllegalArgumentException("negative: " + v);
        }
        if (v <= Integer.MAX_VALUE) {
            return write(buf, pos, (int) v);
        }
        int digits = 10;
        for (long x = v / 10_000_000_000L; x > 0; x /= 10) {
            digits++;
        }
        int i = pos + digits;
        while (v > Integer.MAX_VALUE) {
            buf[--i] = (byte) ('0' + v % 10);
            v /= 10;
        }
        backwards(buf, i, (int) v);
        return pos + digits;
    }

    /**
     * Writes {@code v} read as an unsigned 64-bit value, as {@link Long#toUnsignedString(long)} gives it, at
     * {@code pos}; returns the position after it. The caller leaves room for {@link #MAX_UNSIGNED_DIGITS} bytes.
     */
    public static int writeUnsigned(byte[] buf, int pos, long v) {
        if (v >= 0) {
            return write(buf, pos, v);
        }
        long q = Long.divideUnsigned(v, 10);
        pos = write(buf, pos, q);
        buf[pos] = (byte) ('0' + (int) (v - q * 10));
        return pos + 1;
    }

    /** Writes non-negative {@code v} (at most 10 digits) at {@code pos}; returns the position after it. */
    public static int write(byte[] buf, int pos, int v) {
        if (v < 0) {
            throw new IllegalArgumentException("negative: " + v);
        }
        int digits = v < 10 ? 1 : v < 100 ? 2 : v < 1000 ? 3 : v < 10_000 ? 4 : v < 100_000 ? 5
                : v < 1_000_000 ? 6 : v < 10_000_000 ? 7 : v < 100_000_000 ? 8 : v < 1_000_000_000 ? 9 : 10;
        backwards(buf, pos + digits, v);
        return pos + digits;
    }

    /** Writes the digits of {@code v} so that the last one lands just before {@code end}: two per division. */
    private static void backwards(byte[] buf, int end, int v) {
        int i = end;
        while (v >= 100) {
            int q = v / 100;
            int r = (v - q * 100) * 2;
            buf[--i] = PAIRS[r + 1];
            buf[--i] = PAIRS[r];
            v = q;
        }
        if (v >= 10) {
            buf[--i] = PAIRS[v * 2 + 1];
            buf[--i] = PAIRS[v * 2];
        } else {
            buf[--i] = (byte) ('0' + v);
        }
    }
}
