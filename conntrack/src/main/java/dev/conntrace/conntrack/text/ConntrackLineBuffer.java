package dev.conntrace.conntrack.text;

import dev.conntrace.conntrack.Counters;
import dev.conntrace.conntrack.EventType;
import dev.conntrace.conntrack.Flow;
import dev.conntrace.conntrack.ProtoInfo;
import dev.conntrace.conntrack.Timestamps;
import dev.conntrace.conntrack.Tuple;
import dev.conntrace.conntrack.wire.ConntrackCommon;
import dev.conntrace.sys.AsciiDecimal;
import dev.conntrace.sys.IpAddress;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The lines of {@link ConntrackText} written as bytes (UTF-8, ASCII in practice) straight into one
 * growable buffer, for listings of many flows: numbers and IPv4 addresses are formatted in place,
 * nothing is allocated per line except for IPv6 addresses and the rare string parts (helper, security
 * context). The output is byte for byte what {@link ConntrackText#append} makes; options it does not
 * format itself ({@code -o ktimestamp}, {@code -o labels}) go through {@link ConntrackText}.
 *
 * <p>Memory: the buffer grows to the longest run of lines between {@link #writeTo} calls (callers
 * write it out once it passes their threshold, see {@link #length()}). Not thread-safe.
 */
public final class ConntrackLineBuffer {
    private static final int SEEN_REPLY = 1 << ConntrackCommon.IPS_SEEN_REPLY_BIT;
    private static final int ASSURED = 1 << ConntrackCommon.IPS_ASSURED_BIT;
    private static final int OFFLOAD = 1 << ConntrackCommon.IPS_OFFLOAD_BIT;
    private static final int HW_OFFLOAD = 1 << ConntrackCommon.IPS_HW_OFFLOAD_BIT;

    private static final byte[] SRC = ascii("src=");
    private static final byte[] DST = ascii(" dst=");
    private static final byte[] SPORT = ascii("sport=");
    private static final byte[] DPORT = ascii(" dport=");
    private static final byte[] PACKETS = ascii("packets=");
    private static final byte[] BYTES = ascii(" bytes=");
    private static final byte[] UNREPLIED = ascii("[UNREPLIED] ");
    private static final byte[] HW_OFFLOAD_TAG = ascii("[HW_OFFLOAD] ");
    private static final byte[] OFFLOAD_TAG = ascii("[OFFLOAD] ");
    private static final byte[] ASSURED_TAG = ascii("[ASSURED] ");
    private static final byte[] MARK = ascii("mark=");
    private static final byte[] ZONE = ascii("zone=");
    private static final byte[] DELTA = ascii("delta-time=");
    private static final byte[] USE = ascii("use=");
    private static final byte[] ID = ascii("id=");
    private static final byte[] IPV4 = ascii("ipv4     2 ");
    private static final byte[] IPV6 = ascii("ipv6     10 ");
    /** "name" padded to 8, a blank, the number, a blank, for every protocol number. */
    private static final byte[][] PROTOCOLS = new byte[256][];
    private static final byte[][] TCP_STATES = states(ConntrackText.TCP_STATES);
    private static final byte[][] SCTP_STATES = states(ConntrackText.SCTP_STATES);
    private static final byte[][] DCCP_STATES = states(ConntrackText.DCCP_STATES);

    static {
        for (int p = 0; p < 256; p++) {
            StringBuilder sb = new StringBuilder();
            String name = ConntrackText.protoName(p);
            sb.append(name);
            for (int i = name.length(); i < 8; i++) {
                sb.append(' ');
            }
            PROTOCOLS[p] = ascii(sb.append(' ').append(p).append(' ').toString());
        }
    }

    private final ConntrackText.Options options;
    private final boolean delegate;
    private final StringBuilder slow = new StringBuilder(256);
    private byte[] buf;
    private int pos;

    /** A buffer formatting lines with {@code options}, starting at {@code capacity} bytes. */
    public ConntrackLineBuffer(ConntrackText.Options options, int capacity) {
        this.options = options;
        this.delegate = options.ktimestamp() || options.labelNames() != null;
        this.buf = new byte[Math.max(capacity, 1024)];
    }

    /** Bytes buffered. */
    public int length() {
        return pos;
    }

    /** The buffered bytes as text (for tests and small outputs). */
    @Override
    public String toString() {
        return new String(buf, 0, pos, StandardCharsets.UTF_8);
    }

    /** Writes the buffered bytes to {@code out} and empties the buffer. */
    public void writeTo(OutputStream out) throws IOException {
        out.write(buf, 0, pos);
        pos = 0;
    }

    /** Empties the buffer. */
    public void clear() {
        pos = 0;
    }

    /** Appends the line {@link ConntrackText#append} makes for {@code flow} and a newline; {@code event} may be null. */
    public void appendLine(Flow flow, EventType event, long nowEpochSeconds) {
        if (delegate) {
            slow.setLength(0);
            ConntrackText.append(slow, flow, event, options, nowEpochSeconds);
            put(slow.toString());
            put('\n');
            return;
        }
        ensure(512);
        int start = pos;
        if (event != null) {
            put(ConntrackText.eventTag(event));
        }
        Tuple orig = flow.original();
        Tuple reply = flow.reply();
        Tuple any = orig != null ? orig : reply;
        if (options.extended()) {
            if (any == null) {
                put("unknown  0 ");
            } else {
                put(any.isIpv6() ? IPV6 : IPV4);
            }
        }
        put(PROTOCOLS[any == null ? 0 : any.protocol().number() & 0xFF]);
        if (flow.hasTimeout()) {
            decimal(Integer.toUnsignedLong(flow.timeout()));
            put(' ');
        }
        switch (flow.protoInfo()) {
            case ProtoInfo.Tcp t -> state(TCP_STATES, t.state().code());
            case ProtoInfo.Sctp s -> state(SCTP_STATES, s.state().code());
            case ProtoInfo.Dccp d -> state(DCCP_STATES, d.state().code());
            case null -> { }
        }
        if (orig != null) {
            tuple(orig, "orig");
        }
        counters(flow.countersOriginal());
        int status = flow.statusBits();
        if (flow.hasStatus() && (status & SEEN_REPLY) == 0) {
            put(UNREPLIED);
        }
        if (reply != null) {
            tuple(reply, "reply");
        }
        counters(flow.countersReply());
        if (flow.hasStatus()) {
            if ((status & HW_OFFLOAD) != 0) {
                put(HW_OFFLOAD_TAG);
            } else if ((status & OFFLOAD) != 0) {
                put(OFFLOAD_TAG);
            } else if ((status & ASSURED) != 0) {
                put(ASSURED_TAG);
            }
        }
        if (flow.hasMark()) {
            put(MARK);
            decimal(Integer.toUnsignedLong(flow.mark()));
            put(' ');
        }
        if (flow.hasSecmark()) {
            put("secmark=");
            decimal(Integer.toUnsignedLong(flow.secmark()));
            put(' ');
        }
        if (flow.securityContext() != null) {
            put("secctx=");
            put(flow.securityContext());
            put(' ');
        }
        if (flow.hasZone()) {
            put(ZONE);
            decimal(flow.zone());
            put(' ');
        }
        Timestamps ts = flow.timestamps();
        if (ts != null) {
            long stop = ts.stopNanos() == 0 ? nowEpochSeconds : ts.stopNanos() / 1_000_000_000L;
            long delta = stop - ts.startNanos() / 1_000_000_000L;
            put(DELTA);
            unsigned(delta);
            put(' ');
        }
        if (flow.helper() != null) {
            put("helper=");
            put(flow.helper());
            put(' ');
        }
        if (flow.hasUse()) {
            put(USE);
            decimal(Integer.toUnsignedLong(flow.use()));
            put(' ');
        }
        if (options.id() && flow.hasId()) {
            put(ID);
            decimal(Integer.toUnsignedLong(flow.id()));
            put(' ');
        }
        // Like the C code, drop the last blank.
        if (pos > start && buf[pos - 1] == ' ') {
            pos--;
        }
        put('\n');
    }

    private void state(byte[][] names, int code) {
        put(code >= 0 && code < names.length ? names[code] : names[0]);
    }

    private void tuple(Tuple t, String zoneTag) {
        ensure(160);
        put(SRC);
        address(t.source());
        put(DST);
        address(t.destination());
        put(' ');
        int p = t.protocol().number();
        switch (p) {
            case 6, 17, 136, 132, 33 -> {
                put(SPORT);
                decimal(t.sourcePort());
                put(DPORT);
                decimal(t.destinationPort());
                put(' ');
            }
            case 47 -> {
                put("srckey=0x");
                put(Integer.toHexString(t.sourcePort()));
                put(" dstkey=0x");
                put(Integer.toHexString(t.destinationPort()));
                put(' ');
            }
            case 1, 58 -> {
                put("type=");
                decimal(t.icmpType());
                put(" code=");
                decimal(t.icmpCode());
                put(" id=");
                decimal(t.icmpId());
                put(' ');
            }
            default -> { }
        }
        if (t.hasZone()) {
            put("zone-");
            put(zoneTag);
            put('=');
            decimal(t.zone());
            put(' ');
        }
    }

    private void counters(Counters c) {
        if (c != null) {
            ensure(64);
            put(PACKETS);
            unsigned(c.packets());
            put(BYTES);
            unsigned(c.bytes());
            put(' ');
        }
    }

    private void address(IpAddress a) {
        ensure(IpAddress.MAX_TEXT_BYTES);
        pos = a.writeAscii(buf, pos);
    }

    /** An unsigned 64-bit value in decimal. */
    private void unsigned(long v) {
        ensure(AsciiDecimal.MAX_UNSIGNED_DIGITS);
        pos = AsciiDecimal.writeUnsigned(buf, pos, v);
    }

    /** A non-negative value in decimal, without allocating. */
    private void decimal(long v) {
        ensure(AsciiDecimal.MAX_DIGITS);
        pos = AsciiDecimal.write(buf, pos, v);
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

    private void put(String s) {
        int n = s.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x80) { // rare: encode the whole string over what was copied
                put(s.getBytes(StandardCharsets.UTF_8));
                return;
            }
            buf[pos + i] = (byte) c;
        }
        pos += n;
    }

    private void ensure(int more) {
        if (pos + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + more));
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[][] states(String[] names) {
        byte[][] out = new byte[names.length][];
        for (int i = 0; i < names.length; i++) {
            out[i] = ascii(names[i] + " ");
        }
        return out;
    }
}
