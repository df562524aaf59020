package dev.conntrace.sockets.proc;

import dev.conntrace.sockets.AddressFamily;
import dev.conntrace.sockets.Protocol;
import dev.conntrace.sockets.SocketEntry;
import dev.conntrace.sockets.SocketState;
import dev.conntrace.sockets.V6Only;
import dev.conntrace.sys.IpAddress;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Parses one data row of {@code /proc/net/{tcp,tcp6,udp,udp6}} (kernel {@code tcp4_seq_show},
 * {@code tcp6_seq_show}, {@code udp4_format_sock}, {@code __udp6_seq_show_dgram}).
 *
 * <p>Row layout: {@code sl: local remote st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode ...}.
 * Addresses are the kernel's in-memory words printed with {@code %08X}: an IPv4 address is one
 * u32 and an IPv6 address four, each in host byte order, so on a little-endian host every 32-bit
 * word is byte-reversed relative to network order. Ports are printed in host order (plain hex).
 *
 * <p>Not thread-safe (holds the last error); cheap to create. Parsing allocates only the result.
 */
public final class ProcNetParser {
    private final boolean swapWords;
    private final Cursor c = new Cursor();
    private String lastError;

    /** A parser for rows written by a host with the given byte order. */
    public ProcNetParser(ByteOrder hostOrder) {
        this.swapWords = hostOrder == ByteOrder.LITTLE_ENDIAN;
    }

    /** A parser for rows written by this machine's kernel. */
    public ProcNetParser() {
        this(ByteOrder.nativeOrder());
    }

    /** Why the last {@link #parse} returned null. */
    public String lastError() {
        return lastError;
    }

    /** Parses a row given as text; see {@link #parse(byte[], int, int, long, Protocol, AddressFamily)}. */
    public SocketEntry parse(String row, long netns, Protocol protocol, AddressFamily family) {
        byte[] b = row.getBytes(StandardCharsets.ISO_8859_1);
        return parse(b, 0, b.length, netns, protocol, family);
    }

    /**
     * Parses {@code line[off, off+len)} (no line terminator). Returns null when the row is malformed
     * and leaves the reason in {@link #lastError()}; never throws on bad input.
     */
    public SocketEntry parse(byte[] line, int off, int len, long netns, Protocol protocol, AddressFamily family) {
        c.reset(line, off, off + len);
        int addrHex = family == AddressFamily.INET ? 8 : 32;
        if (!c.skipSlot()) {
            return fail("no 'sl:' column");
        }
        if (!c.address(addrHex, swapWords)) {
            return fail("bad local address");
        }
        IpAddress local = c.toAddress(family);
        int localPort = c.hexField(4, ' ');
        if (localPort < 0) {
            return fail("bad local port");
        }
        if (!c.address(addrHex, swapWords)) {
            return fail("bad remote address");
        }
        IpAddress remote = c.toAddress(family);
        int remotePort = c.hexField(4, ' ');
        if (remotePort < 0) {
            return fail("bad remote port");
        }
        long st = c.hexLong(2, ' ');
        if (st < 0) {
            return fail("bad state");
        }
        long tx = c.hexLong(16, ':');
        long rx = c.hexLong(16, ' ');
        if (tx < 0 || rx < 0) {
            return fail("bad tx_queue:rx_queue");
        }
        if (!c.skipToken() || !c.skipToken()) { // tr:tm->when, retrnsmt
            return fail("missing timer columns");
        }
        long uid = c.decimal();
        if (uid < 0 || uid > 0xFFFF_FFFFL) {
            return fail("bad uid");
        }
        if (!c.skipToken()) { // timeout
            return fail("missing timeout column");
        }
        long inode = c.decimal();
        if (inode < 0) {
            return fail("bad inode");
        }
        lastError = null;
        return new SocketEntry(netns, protocol, family, SocketState.of((int) st), local, localPort, remote,
                remotePort, tx, rx, (int) uid, inode, -1, 0, V6Only.UNKNOWN, 0, null);
    }

    private SocketEntry fail(String why) {
        lastError = why;
        return null;
    }

    /** A forward-only reader of space-separated columns. Every method consumes one column. */
    private static final class Cursor {
        private byte[] b;
        private int p;
        private int end;
        private long hi;
        private long lo;

        void reset(byte[] bytes, int from, int to) {
            this.b = bytes;
            this.p = from;
            this.end = to;
        }

        IpAddress toAddress(AddressFamily family) {
            return family == AddressFamily.INET ? IpAddress.ipv4((int) lo) : IpAddress.ipv6(hi, lo);
        }

        private void skipSpaces() {
            while (p < end && b[p] == ' ') {
                p++;
            }
        }

        boolean skipSlot() {
            skipSpaces();
            int start = p;
            while (p < end && b[p] != ':' && b[p] != ' ') {
                p++;
            }
            if (p == start || p >= end || b[p] != ':') {
                return false;
            }
            p++;
            return true;
        }

        boolean skipToken() {
            skipSpaces();
            int start = p;
            while (p < end && b[p] != ' ') {
                p++;
            }
            return p > start;
        }

        /** Reads {@code digits} hex digits of an address then ':', leaving it in network order in hi/lo. */
        boolean address(int digits, boolean swap) {
            skipSpaces();
            if (end - p < digits + 1 || b[p + digits] != ':') {
                return false;
            }
            hi = 0;
            lo = 0;
            int n = digits / 8;
            for (int w = 0; w < n; w++) {
                long v = 0;
                for (int i = 0; i < 8; i++) {
                    int d = hex(b[p++]);
                    if (d < 0) {
                        return false;
                    }
                    v = (v << 4) | d;
                }
                long word = swap ? Integer.reverseBytes((int) v) & 0xFFFF_FFFFL : v;
                hi = (hi << 32) | (lo >>> 32);
                lo = (lo << 32) | word;
            }
            p++; // ':'
            return true;
        }

        /** Exactly {@code digits} hex digits followed by {@code stop} or end; -1 otherwise. */
        int hexField(int digits, char stop) {
            if (end - p < digits) {
                return -1;
            }
            int v = 0;
            for (int i = 0; i < digits; i++) {
                int d = hex(b[p++]);
                if (d < 0) {
                    return -1;
                }
                v = (v << 4) | d;
            }
            if (p < end && b[p] != stop) {
                return -1;
            }
            return v;
        }

        /** 1..maxDigits hex digits (after spaces) then {@code stop} (consumed) or end; -1 otherwise. */
        long hexLong(int maxDigits, char stop) {
            skipSpaces();
            int start = p;
            long v = 0;
            while (p < end && b[p] != stop && b[p] != ' ') {
                int d = hex(b[p++]);
                if (d < 0 || p - start > maxDigits) {
                    return -1;
                }
                v = (v << 4) | d;
            }
            if (p == start || (p < end && b[p] != stop)) {
                return -1;
            }
            if (p < end) {
                p++;
            }
            return v;
        }

        /** A non-negative decimal column; -1 when absent or not a number (or longer than 19 digits). */
        long decimal() {
            skipSpaces();
            int start = p;
            long v = 0;
            while (p < end && b[p] != ' ') {
                int d = b[p] - '0';
                if (d < 0 || d > 9 || p - start >= 19) {
                    return -1;
                }
                v = v * 10 + d;
                p++;
            }
            return p == start ? -1 : v;
        }

        private static int hex(byte c) {
            if (c >= '0' && c <= '9') {
                return c - '0';
            }
            if (c >= 'A' && c <= 'F') {
                return c - 'A' + 10;
            }
            if (c >= 'a' && c <= 'f') {
                return c - 'a' + 10;
            }
            return -1;
        }
    }
}
