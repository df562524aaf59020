package dev.conntrace.sys;

import java.nio.charset.StandardCharsets;

/** Text form of {@link IpAddress}: parsing dotted IPv4 and IPv6, and RFC 5952 formatting. */
final class IpAddressText {
    private IpAddressText() {}

    /** The longest text {@link #writeV6} produces: eight groups of four hex digits and seven colons. */
    static final int MAX_BYTES = 39;

    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] V4_MAPPED = "::ffff:".getBytes(StandardCharsets.US_ASCII);

    static String formatV4(int a) {
        byte[] b = new byte[MAX_BYTES];
        return new String(b, 0, writeV4(b, 0, a), StandardCharsets.US_ASCII);
    }

    static String formatV6(long high, long low) {
        byte[] b = new byte[MAX_BYTES];
        return new String(b, 0, writeV6(b, 0, high, low), StandardCharsets.US_ASCII);
    }

    /** Dotted decimal at {@code pos}; returns the position after it. */
    static int writeV4(byte[] buf, int pos, int a) {
        pos = AsciiDecimal.write(buf, pos, (a >>> 24) & 0xFF);
        buf[pos++] = '.';
        pos = AsciiDecimal.write(buf, pos, (a >>> 16) & 0xFF);
        buf[pos++] = '.';
        pos = AsciiDecimal.write(buf, pos, (a >>> 8) & 0xFF);
        buf[pos++] = '.';
        return AsciiDecimal.write(buf, pos, a & 0xFF);
    }

    /**
     * RFC 5952 text at {@code pos} (lower-case hex, the longest run of two or more zero groups as {@code ::}, the
     * first on a tie; IPv4-mapped addresses as {@code ::ffff:a.b.c.d}); returns the position after it.
     */
    static int writeV6(byte[] buf, int pos, long high, long low) {
        if (high == 0 && (low >>> 32) == 0xFFFFL) {
            System.arraycopy(V4_MAPPED, 0, buf, pos, V4_MAPPED.length);
            return writeV4(buf, pos + V4_MAPPED.length, (int) low);
        }
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < 8; ) {
            if (group(high, low, i) != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && group(high, low, j) == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        int start = pos;
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                buf[pos++] = ':';
                buf[pos++] = ':';
                i += bestLen - 1;
                continue;
            }
            if (pos > start && buf[pos - 1] != ':') {
                buf[pos++] = ':';
            }
            int g = group(high, low, i);
            for (int shift = g < 0x10 ? 0 : g < 0x100 ? 4 : g < 0x1000 ? 8 : 12; shift >= 0; shift -= 4) {
                buf[pos++] = HEX[(g >>> shift) & 0xF];
            }
        }
        return pos;
    }

    /** Group {@code i} (0..7) of the address whose halves are {@code high} and {@code low}. */
    private static int group(long high, long low, int i) {
        return (int) ((i < 4 ? high : low) >>> (48 - 16 * (i & 3))) & 0xFFFF;
    }

    /** The address in {@code s}, or null when it is not a valid IPv4 or IPv6 address. */
    static IpAddress parse(String s) {
        if (s == null || s.isEmpty()) {
            return null;
        }
        if (s.indexOf(':') < 0) {
            long v = parseV4(s, 0, s.length());
            return v < 0 ? null : IpAddress.ipv4((int) v);
        }
        return parseV6(s);
    }

    /** The IPv4 value of {@code s[from, to)}, or -1. */
    private static long parseV4(String s, int from, int to) {
        long v = 0;
        int parts = 0;
        int i = from;
        while (parts < 4) {
            int start = i;
            int n = 0;
            while (i < to && Character.isDigit(s.charAt(i)) && i - start < 3) {
                n = n * 10 + (s.charAt(i) - '0');
                i++;
            }
            if (i == start || n > 255 || (i - start > 1 && s.charAt(start) == '0')) {
                return -1;
            }
            v = (v << 8) | n;
            parts++;
            if (parts < 4) {
                if (i >= to || s.charAt(i) != '.') {
                    return -1;
                }
                i++;
            }
        }
        return i == to ? v : -1;
    }

    private static IpAddress parseV6(String s) {
        int[] g = new int[8];
        int n = 0;
        int gap = -1;
        int i = 0;
        int len = s.length();
        if (s.startsWith("::")) {
            gap = 0;
            i = 2;
            if (len == 2) {
                return IpAddress.ipv6(0, 0);
            }
        } else if (s.charAt(0) == ':') {
            return null;
        }
        while (i < len) {
            if (n == 8) {
                return null;
            }
            int start = i;
            int v = 0;
            while (i < len && Character.digit(s.charAt(i), 16) >= 0 && i - start < 4) {
                v = (v << 4) | Character.digit(s.charAt(i), 16);
                i++;
            }
            if (i < len && s.charAt(i) == '.') {
                // Embedded IPv4 in the last 32 bits.
                if (n > 6) {
                    return null;
                }
                long v4 = parseV4(s, start, len);
                if (v4 < 0) {
                    return null;
                }
                g[n++] = (int) (v4 >>> 16);
                g[n++] = (int) (v4 & 0xFFFF);
                i = len;
                break;
            }
            if (i == start) {
                return null;
            }
            g[n++] = v;
            if (i == len) {
                break;
            }
            if (s.charAt(i) != ':') {
                return null;
            }
            i++;
            if (i < len && s.charAt(i) == ':') {
                if (gap >= 0) {
                    return null;
                }
                gap = n;
                i++;
                if (i == len) {
                    break;
                }
            } else if (i == len) {
                return null;
            }
        }
        if (gap < 0 && n != 8 || gap >= 0 && n == 8) {
            return null;
        }
        int[] full = new int[8];
        if (gap < 0) {
            full = g;
        } else {
            System.arraycopy(g, 0, full, 0, gap);
            int tail = n - gap;
            System.arraycopy(g, gap, full, 8 - tail, tail);
        }
        long high = 0;
        long low = 0;
        for (int k = 0; k < 4; k++) {
            high = (high << 16) | full[k];
            low = (low << 16) | full[k + 4];
        }
        return IpAddress.ipv6(high, low);
    }
}
