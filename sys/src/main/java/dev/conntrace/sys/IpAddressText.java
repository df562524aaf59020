package dev.conntrace.sys;

/** Text form of {@link IpAddress}: parsing dotted IPv4 and IPv6, and RFC 5952 formatting. */
final class IpAddressText {
    private IpAddressText() {}

    static String formatV4(int a) {
        return ((a >>> 24) & 0xFF) + "." + ((a >>> 16) & 0xFF) + "." + ((a >>> 8) & 0xFF) + "." + (a & 0xFF);
    }

    static String formatV6(long high, long low) {
        int[] g = new int[8];
        for (int i = 0; i < 4; i++) {
            g[i] = (int) (high >>> (48 - 16 * i)) & 0xFFFF;
            g[i + 4] = (int) (low >>> (48 - 16 * i)) & 0xFFFF;
        }
        // The longest run of two or more zero groups (the first, on a tie) becomes "::".
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < 8; ) {
            if (g[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        if (high == 0 && (low >>> 32) == 0xFFFFL) {
            return "::ffff:" + formatV4((int) low);
        }
        StringBuilder sb = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(g[i]));
        }
        return sb.toString();
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
