package dev.conntrace.cli;

import dev.conntrace.sockets.AddressFamily;
import dev.conntrace.sockets.Protocol;
import dev.conntrace.sockets.SocketEntry;
import dev.conntrace.sockets.SocketState;
import dev.conntrace.sockets.TcpInfo;
import dev.conntrace.sockets.V6Only;
import dev.conntrace.sockets.process.ProcessInfo;
import dev.conntrace.sys.AsciiDecimal;
import dev.conntrace.sys.IpAddress;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON line of {@code conntrace sockets -o json} for one socket, written as UTF-8 bytes into one
 * growable buffer: field names are constants, numbers and IPv4 addresses are formatted in place, and
 * each process's object is encoded once per listing and then copied. Numbers, IPv4 and IPv6 addresses
 * are formatted in place: nothing is allocated per row but the name of an unknown socket state.
 *
 * <p>The bytes are those Jackson's default generator wrote for the same row (compact, no spaces):
 * strings escape {@code "}, {@code \}, {@code \b \t \n \f \r} and other control characters as
 * {@code \}{@code u00XX} with upper-case hex; everything else, non-ASCII included, is UTF-8. The one
 * difference is a lone UTF-16 surrogate (which text decoded from {@code /proc} cannot hold), which
 * Jackson refused with an exception and this writes as a {@code \}{@code uXXXX} escape.
 *
 * <p>Memory: the buffer grows to the longest run of lines between {@link #writeTo} calls (callers
 * write it out once it passes their threshold, see {@link #length()}); the process cache holds one
 * encoded object per distinct {@link ProcessInfo} (by identity) of a listing, so a writer lives for
 * one listing. Not thread-safe.
 */
final class SocketJsonLine {
    private static final byte[] NETNS = ascii("{\"netns\":");
    private static final byte[] PROTO_TCP = ascii(",\"proto\":\"tcp\"");
    private static final byte[] PROTO_UDP = ascii(",\"proto\":\"udp\"");
    private static final byte[] FAMILY_INET = ascii(",\"family\":\"inet\"");
    private static final byte[] FAMILY_INET6 = ascii(",\"family\":\"inet6\"");
    private static final byte[] STATE = ascii(",\"state\":\"");
    private static final byte[] LOCAL_IP = ascii("\",\"local\":{\"ip\":\"");
    private static final byte[] PORT = ascii("\",\"port\":");
    private static final byte[] REMOTE_IP = ascii("},\"remote\":{\"ip\":\"");
    private static final byte[] INODE = ascii("},\"inode\":");
    private static final byte[] UID = ascii(",\"uid\":");
    private static final byte[] RX_QUEUE = ascii(",\"rx_queue\":");
    private static final byte[] TX_QUEUE = ascii(",\"tx_queue\":");
    private static final byte[] COOKIE = ascii(",\"cookie\":");
    private static final byte[] V6ONLY_TRUE = ascii(",\"v6only\":true");
    private static final byte[] V6ONLY_FALSE = ascii(",\"v6only\":false");
    private static final byte[] PROCESSES = ascii(",\"processes\":[");
    private static final byte[] TCP = ascii(",\"tcp\":{\"rtt_us\":");
    private static final byte[] RTTVAR_US = ascii(",\"rttvar_us\":");
    private static final byte[] MIN_RTT_US = ascii(",\"min_rtt_us\":");
    private static final byte[] RTO_US = ascii(",\"rto_us\":");
    private static final byte[] RETRANS = ascii(",\"retrans\":");
    private static final byte[] RETRANSMITS = ascii(",\"retransmits\":");
    private static final byte[] TOTAL_RETRANS = ascii(",\"total_retrans\":");
    private static final byte[] LOST = ascii(",\"lost\":");
    private static final byte[] UNACKED = ascii(",\"unacked\":");
    private static final byte[] BYTES_ACKED = ascii(",\"bytes_acked\":");
    private static final byte[] BYTES_RECEIVED = ascii(",\"bytes_received\":");
    private static final byte[] BYTES_SENT = ascii(",\"bytes_sent\":");
    private static final byte[] BYTES_RETRANS = ascii(",\"bytes_retrans\":");
    private static final byte[] SEGS_IN = ascii(",\"segs_in\":");
    private static final byte[] SEGS_OUT = ascii(",\"segs_out\":");
    private static final byte[] SND_CWND = ascii(",\"snd_cwnd\":");
    private static final byte[] SND_SSTHRESH = ascii(",\"snd_ssthresh\":");
    private static final byte[] SND_MSS = ascii(",\"snd_mss\":");
    private static final byte[] RCV_MSS = ascii(",\"rcv_mss\":");
    private static final byte[] PMTU = ascii(",\"pmtu\":");
    private static final byte[] DELIVERY_RATE = ascii(",\"delivery_rate\":");
    private static final byte[] PACING_RATE = ascii(",\"pacing_rate\":");
    private static final byte[] NOTSENT_BYTES = ascii(",\"notsent_bytes\":");
    private static final byte[] LAST_DATA_SENT_MS = ascii(",\"last_data_sent_ms\":");
    private static final byte[] LAST_DATA_RECV_MS = ascii(",\"last_data_recv_ms\":");
    private static final byte[] LAST_ACK_RECV_MS = ascii(",\"last_ack_recv_ms\":");
    private static final byte[] PID = ascii("{\"pid\":");
    private static final byte[] COMM = ascii(",\"comm\":");
    private static final byte[] CMDLINE = ascii(",\"cmdline\":");
    private static final byte[] EXE = ascii(",\"exe\":");
    private static final byte[] USER = ascii(",\"user\":");
    private static final byte[] CONTAINER = ascii(",\"container\":");
    private static final byte[] UNIT = ascii(",\"unit\":");
    private static final byte[] NULL = ascii("null");
    private static final byte[] HEX = ascii("0123456789ABCDEF");
    /** The escape after a backslash for {@code "}, {@code \} and the control characters with a short one. */
    private static final byte[] SHORT_ESCAPES = new byte[128];
    /** The names of the known socket states, by code. */
    private static final byte[][] STATES = new byte[SocketState.MAX_KNOWN + 1][];

    static {
        SHORT_ESCAPES['"'] = '"';
        SHORT_ESCAPES['\\'] = '\\';
        SHORT_ESCAPES['\b'] = 'b';
        SHORT_ESCAPES['\t'] = 't';
        SHORT_ESCAPES['\n'] = 'n';
        SHORT_ESCAPES['\f'] = 'f';
        SHORT_ESCAPES['\r'] = 'r';
        for (int code = 1; code <= SocketState.MAX_KNOWN; code++) {
            STATES[code] = ascii(SocketState.of(code).name());
        }
    }

    // a listing reads each process once, so one pid is one ProcessInfo object
    private final Map<ProcessInfo, byte[]> processes = new IdentityHashMap<>();
    private byte[] buf;
    private int pos;

    /** A writer whose buffer starts at {@code capacity} bytes. */
    SocketJsonLine(int capacity) {
        this.buf = new byte[Math.max(capacity, 1024)];
    }

    /** Bytes buffered. */
    int length() {
        return pos;
    }

    /** The buffered bytes as text (for writers that take characters, and tests). */
    @Override
    public String toString() {
        return new String(buf, 0, pos, StandardCharsets.UTF_8);
    }

    /** Writes the buffered bytes to {@code out} and empties the buffer. */
    void writeTo(OutputStream out) throws IOException {
        out.write(buf, 0, pos);
        pos = 0;
    }

    /** Empties the buffer. */
    void clear() {
        pos = 0;
    }

    /** Appends the JSON object of socket {@code e} held by {@code owners}, and a newline. */
    void append(SocketEntry e, List<ProcessInfo> owners) {
        put(NETNS);
        signed(e.netns());
        put(e.protocol() == Protocol.TCP ? PROTO_TCP : PROTO_UDP);
        put(e.family() == AddressFamily.INET ? FAMILY_INET : FAMILY_INET6);
        put(STATE);
        SocketState state = e.state();
        if (state.isKnown()) {
            put(STATES[state.code()]);
        } else {
            putAscii(state.name()); // "unknown(n)"
        }
        put(LOCAL_IP);
        address(e.localAddress());
        put(PORT);
        signed(e.localPort());
        put(REMOTE_IP);
        address(e.remoteAddress());
        put(PORT);
        signed(e.remotePort());
        put(INODE);
        signed(e.inode());
        put(UID);
        signed(Integer.toUnsignedLong(e.uid()));
        put(RX_QUEUE);
        signed(e.rxQueue());
        put(TX_QUEUE);
        signed(e.txQueue());
        if (e.cookie() != -1) {
            put(COOKIE);
            signed(e.cookie());
        }
        if (e.v6Only() != V6Only.UNKNOWN) {
            put(e.v6Only() == V6Only.V6_ONLY ? V6ONLY_TRUE : V6ONLY_FALSE);
        }
        put(PROCESSES);
        for (int i = 0; i < owners.size(); i++) {
            if (i > 0) {
                put(',');
            }
            process(owners.get(i));
        }
        put(']');
        TcpInfo t = e.tcpInfo();
        if (t != null) {
            tcp(t);
        }
        put('}');
        put('\n');
    }

    private void tcp(TcpInfo t) {
        put(TCP);
        signed(t.rttUs());
        put(RTTVAR_US);
        signed(t.rttVarUs());
        put(MIN_RTT_US);
        signed(t.minRttUs());
        put(RTO_US);
        signed(t.rtoUs());
        put(RETRANS);
        signed(t.retrans());
        put(RETRANSMITS);
        signed(t.retransmits());
        put(TOTAL_RETRANS);
        signed(t.totalRetrans());
        put(LOST);
        signed(t.lost());
        put(UNACKED);
        signed(t.unacked());
        put(BYTES_ACKED);
        unsigned(t.bytesAcked());
        put(BYTES_RECEIVED);
        unsigned(t.bytesReceived());
        put(BYTES_SENT);
        unsigned(t.bytesSent());
        put(BYTES_RETRANS);
        unsigned(t.bytesRetrans());
        put(SEGS_IN);
        signed(t.segsIn());
        put(SEGS_OUT);
        signed(t.segsOut());
        put(SND_CWND);
        signed(t.sndCwnd());
        put(SND_SSTHRESH);
        signed(t.sndSsthresh());
        put(SND_MSS);
        signed(t.sndMss());
        put(RCV_MSS);
        signed(t.rcvMss());
        put(PMTU);
        signed(t.pmtu());
        put(DELIVERY_RATE);
        unsigned(t.deliveryRate());
        put(PACING_RATE);
        unsigned(t.pacingRate());
        put(NOTSENT_BYTES);
        signed(t.notsentBytes());
        put(LAST_DATA_SENT_MS);
        signed(t.lastDataSentMs());
        put(LAST_DATA_RECV_MS);
        signed(t.lastDataRecvMs());
        put(LAST_ACK_RECV_MS);
        signed(t.lastAckRecvMs());
        put('}');
    }

    /** The object of process {@code p}: encoded in place the first time, copied from the cache after. */
    private void process(ProcessInfo p) {
        byte[] done = processes.get(p);
        if (done != null) {
            put(done);
            return;
        }
        int start = pos;
        put(PID);
        signed(p.pid());
        put(COMM);
        string(p.comm());
        put(CMDLINE);
        string(p.cmdline());
        put(EXE);
        string(p.exe());
        put(USER);
        string(p.user());
        put(CONTAINER);
        string(p.containerId());
        put(UNIT);
        string(p.unit());
        put('}');
        processes.put(p, Arrays.copyOfRange(buf, start, pos));
    }

    /** A JSON string, or {@code null}. */
    private void string(String s) {
        if (s == null) {
            put(NULL);
            return;
        }
        int n = s.length();
        ensure(n * 6 + 2); // the longest a UTF-16 unit becomes is a six-byte escape
        buf[pos++] = '"';
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                if (c >= 0x20 && c != '"' && c != '\\') {
                    buf[pos++] = (byte) c;
                } else if (SHORT_ESCAPES[c] != 0) {
                    buf[pos++] = '\\';
                    buf[pos++] = SHORT_ESCAPES[c];
                } else {
                    escape(c);
                }
            } else if (c < 0x800) {
                buf[pos++] = (byte) (0xC0 | (c >> 6));
                buf[pos++] = (byte) (0x80 | (c & 0x3F));
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, s.charAt(++i));
                buf[pos++] = (byte) (0xF0 | (cp >> 18));
                buf[pos++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
                buf[pos++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                buf[pos++] = (byte) (0x80 | (cp & 0x3F));
            } else if (Character.isSurrogate(c)) {
                escape(c); // a lone half has no UTF-8 form
            } else {
                buf[pos++] = (byte) (0xE0 | (c >> 12));
                buf[pos++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                buf[pos++] = (byte) (0x80 | (c & 0x3F));
            }
        }
        buf[pos++] = '"';
    }

    /** {@code \}{@code uXXXX} with upper-case hex, as Jackson writes it. */
    private void escape(char c) {
        buf[pos++] = '\\';
        buf[pos++] = 'u';
        buf[pos++] = HEX[c >> 12];
        buf[pos++] = HEX[(c >> 8) & 0xF];
        buf[pos++] = HEX[(c >> 4) & 0xF];
        buf[pos++] = HEX[c & 0xF];
    }

    private void address(IpAddress a) {
        ensure(IpAddress.MAX_TEXT_BYTES);
        pos = a.writeAscii(buf, pos);
    }

    /** A signed 64-bit value in decimal, as {@link Long#toString(long)} writes it. */
    private void signed(long v) {
        if (v < 0) {
            put('-');
            unsigned(-v); // Long.MIN_VALUE negates to itself, whose unsigned value is its magnitude
        } else {
            decimal(v);
        }
    }

    /** An unsigned 64-bit value in decimal, as {@link Long#toUnsignedString(long)} writes it. */
    private void unsigned(long v) {
        ensure(AsciiDecimal.MAX_UNSIGNED_DIGITS);
        pos = AsciiDecimal.writeUnsigned(buf, pos, v);
    }

    /** A non-negative value in decimal, without allocating. */
    private void decimal(long v) {
        ensure(AsciiDecimal.MAX_DIGITS);
        pos = AsciiDecimal.write(buf, pos, v);
    }

    /** Text known to be ASCII with nothing to escape. */
    private void putAscii(String s) {
        int n = s.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            buf[pos++] = (byte) s.charAt(i);
        }
    }

    private void put(char c) {
        ensure(1);
        buf[pos++] = (byte) c;
    }

    private void put(byte[] b) {
        ensure(b.length);
        System.arraycopy(b, 0, buf, pos, b.length);
        pos += b.length;
    }

    private void ensure(int more) {
        if (pos + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + more));
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
