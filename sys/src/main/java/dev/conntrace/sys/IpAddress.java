package dev.conntrace.sys;

import java.util.Locale;

/**
 * A compact IPv4 or IPv6 address: two longs and a family, no {@code InetAddress}, no array.
 *
 * <p>IPv4 addresses are held in the low 32 bits of {@link #low()} with {@link #high()} zero, so an
 * IPv4 address and its IPv4-mapped IPv6 form ({@code ::ffff:a.b.c.d}) are different values;
 * {@link #toV4Mapped()} and {@link #fromV4Mapped()} convert between them.
 *
 * @param v6 true for IPv6
 * @param high the first 8 bytes of an IPv6 address in network order; 0 for IPv4
 * @param low the last 8 bytes of an IPv6 address in network order, or the IPv4 address in its low 32 bits
 */
public record IpAddress(boolean v6, long high, long low) implements Comparable<IpAddress> {

    public IpAddress {
        if (!v6 && (high != 0 || (low >>> 32) != 0)) {
            throw new IllegalArgumentException("IPv4 address with bits above 32");
        }
    }

    /** The IPv4 address whose network-order value is {@code address}. */
    public static IpAddress ipv4(int address) {
        return new IpAddress(false, 0, address & 0xFFFF_FFFFL);
    }

    /** The IPv6 address whose network-order halves are {@code high} and {@code low}. */
    public static IpAddress ipv6(long high, long low) {
        return new IpAddress(true, high, low);
    }

    /** The address in {@code bytes[offset..]}: 4 bytes for IPv4, 16 for IPv6, network order. */
    public static IpAddress of(byte[] bytes, int offset, int length) {
        return switch (length) {
            case 4 -> ipv4((int) readBe(bytes, offset, 4));
            case 16 -> ipv6(readBe(bytes, offset, 8), readBe(bytes, offset + 8, 8));
            default -> throw new IllegalArgumentException("address length " + length + " is neither 4 nor 16");
        };
    }

    /** Parses dotted IPv4 or RFC 4291 / RFC 5952 IPv6 text; throws {@link IllegalArgumentException} naming the text. */
    public static IpAddress parse(String text) {
        IpAddress a = IpAddressText.parse(text);
        if (a == null) {
            throw new IllegalArgumentException("invalid IP address: '" + text + "'");
        }
        return a;
    }

    /** The IPv4 address as a network-order int; only for IPv4. */
    public int v4() {
        if (v6) {
            throw new IllegalStateException("not an IPv4 address: " + this);
        }
        return (int) low;
    }

    /** The address length in bytes: 4 or 16. */
    public int length() {
        return v6 ? 16 : 4;
    }

    /** Writes the address in network order into {@code out[offset..]}. */
    public void write(byte[] out, int offset) {
        if (v6) {
            writeBe(out, offset, high, 8);
            writeBe(out, offset + 8, low, 8);
        } else {
            writeBe(out, offset, low, 4);
        }
    }

    /** True for 0.0.0.0 and ::. */
    public boolean isAny() {
        return high == 0 && low == 0;
    }

    /** True for 127.0.0.0/8 and ::1. */
    public boolean isLoopback() {
        return v6 ? high == 0 && low == 1 : (low >>> 24) == 127;
    }

    /** True for an IPv6 address of the form ::ffff:a.b.c.d. */
    public boolean isV4Mapped() {
        return v6 && high == 0 && (low >>> 32) == 0xFFFFL;
    }

    /** This IPv4 address as ::ffff:a.b.c.d; IPv6 addresses are returned unchanged. */
    public IpAddress toV4Mapped() {
        return v6 ? this : ipv6(0, 0xFFFF_0000_0000L | low);
    }

    /** The IPv4 address inside ::ffff:a.b.c.d; other addresses are returned unchanged. */
    public IpAddress fromV4Mapped() {
        return isV4Mapped() ? ipv4((int) low) : this;
    }

    @Override
    public int compareTo(IpAddress o) {
        if (v6 != o.v6) {
            return v6 ? 1 : -1;
        }
        int c = Long.compareUnsigned(high, o.high);
        return c != 0 ? c : Long.compareUnsigned(low, o.low);
    }

    /** Dotted quad for IPv4; RFC 5952 canonical text for IPv6 (lower case, longest zero run as ::). */
    @Override
    public String toString() {
        return v6 ? IpAddressText.formatV6(high, low) : IpAddressText.formatV4((int) low);
    }

    /** The most bytes {@link #writeAscii} writes. */
    public static final int MAX_TEXT_BYTES = IpAddressText.MAX_BYTES;

    /**
     * Writes {@link #toString()}'s text as ASCII bytes at {@code pos}, allocating nothing, for byte-level
     * formatters; the caller leaves room for {@link #MAX_TEXT_BYTES}. Returns the position after the text.
     */
    public int writeAscii(byte[] buf, int pos) {
        return v6 ? IpAddressText.writeV6(buf, pos, high, low) : IpAddressText.writeV4(buf, pos, (int) low);
    }

    private static long readBe(byte[] b, int off, int n) {
        long v = 0;
        for (int i = 0; i < n; i++) {
            v = (v << 8) | (b[off + i] & 0xFF);
        }
        return v;
    }

    private static void writeBe(byte[] b, int off, long v, int n) {
        for (int i = n - 1; i >= 0; i--) {
            b[off + i] = (byte) v;
            v >>>= 8;
        }
    }

    static String hex(long v) {
        return Long.toHexString(v).toLowerCase(Locale.ROOT);
    }
}
