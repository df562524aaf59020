package dev.conntrace.conntrack.text;

import dev.conntrace.conntrack.Counters;
import dev.conntrace.conntrack.EventType;
import dev.conntrace.conntrack.Flow;
import dev.conntrace.conntrack.L4Protocol;
import dev.conntrace.conntrack.ProtoInfo;
import dev.conntrace.conntrack.Status;
import dev.conntrace.conntrack.Timestamps;
import dev.conntrace.conntrack.Tuple;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The text line {@code conntrack -L} / {@code conntrack -E} print for a flow: the default format of
 * libnetfilter_conntrack ({@code nfct_snprintf} with {@code NFCT_O_DEFAULT}), field for field.
 *
 * <p>Field order: event tag ({@code %9s}), {@code ipv4 2} (with {@code -o extended}), {@code tcp 6},
 * timeout, TCP/SCTP/DCCP state, original addresses and ports/keys/ICMP fields, {@code zone-orig=},
 * original counters, {@code [UNREPLIED]}, the same for the reply tuple, {@code [HW_OFFLOAD]} or
 * {@code [OFFLOAD]} or {@code [ASSURED]}, {@code mark=}, {@code secmark=}, {@code secctx=}, {@code zone=},
 * {@code delta-time=}, {@code [start=] [stop=]} (with {@code -o ktimestamp}), {@code helper=},
 * {@code use=}, {@code id=} (with {@code -o id}), {@code labels=} (with {@code -o labels}). Each
 * part appears only when the flow carries it. Pure functions; thread-safe.
 */
public final class ConntrackText {
    private ConntrackText() {}

    static final String[] TCP_STATES = {
        "NONE", "SYN_SENT", "SYN_RECV", "ESTABLISHED", "FIN_WAIT", "CLOSE_WAIT", "LAST_ACK", "TIME_WAIT", "CLOSE",
        "SYN_SENT2",
    };
    static final String[] SCTP_STATES = {
        "NONE", "CLOSED", "COOKIE_WAIT", "COOKIE_ECHOED", "ESTABLISHED", "SHUTDOWN_SENT", "SHUTDOWN_RECD",
        "SHUTDOWN_ACK_SENT", "HEARTBEAT_SENT", "HEARTBEAT_ACKED",
    };
    static final String[] DCCP_STATES = {
        "NONE", "REQUEST", "RESPOND", "PARTOPEN", "OPEN", "CLOSEREQ", "CLOSING", "TIMEWAIT", "IGNORE", "INVALID",
    };
    private static final DateTimeFormatter CTIME =
            DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.US);

    /**
     * Output options, as {@code conntrack -o} names them.
     *
     * @param extended {@code -o extended}: print the layer-3 family first
     * @param id {@code -o id}: print {@code id=}
     * @param ktimestamp {@code -o ktimestamp}: print {@code [start=...] [stop=...]}
     * @param labelNames {@code -o labels}: names of label bits (index = bit) from connlabel.conf; null
     *     prints no labels
     * @param timeZone zone for {@code ktimestamp} dates ({@code ctime} uses local time)
     */
    public record Options(boolean extended, boolean id, boolean ktimestamp, List<String> labelNames, ZoneId timeZone) {
        public Options {
            Objects.requireNonNull(timeZone, "timeZone");
            // Bits without a name are null entries, which List.copyOf refuses.
            labelNames = labelNames == null ? null : Collections.unmodifiableList(new ArrayList<>(labelNames));
        }

        /** {@code conntrack -L}. */
        public static final Options DEFAULT = new Options(false, false, false, null, ZoneId.of("UTC"));

        /** {@code conntrack -L -o extended}. */
        public static final Options EXTENDED = new Options(true, false, false, null, ZoneId.of("UTC"));

        /** These options with {@code id=} on or off. */
        public Options withId(boolean on) {
            return new Options(extended, on, ktimestamp, labelNames, timeZone);
        }
    }

    /** The line for a listed flow (no event tag); {@code nowEpochSeconds} feeds {@code delta-time} of live flows. */
    public static String format(Flow flow, Options options, long nowEpochSeconds) {
        StringBuilder sb = new StringBuilder(192);
        append(sb, flow, null, options, nowEpochSeconds);
        return sb.toString();
    }

    /** The line for an event ({@code conntrack -E}). */
    public static String formatEvent(EventType type, Flow flow, Options options, long nowEpochSeconds) {
        StringBuilder sb = new StringBuilder(200);
        append(sb, flow, type, options, nowEpochSeconds);
        return sb.toString();
    }

    /**
     * The line {@code conntrack -E} prints for {@code event}: the flow line with its event tag, then
     * {@code [USERSPACE] portid=N} when a user-space request caused it.
     */
    public static void appendEvent(StringBuilder sb, dev.conntrace.conntrack.FlowEvent event, Options options,
            long nowEpochSeconds) {
        append(sb, event.flow(), event.type(), options, nowEpochSeconds);
        if (event.fromUserspace()) {
            sb.append(" [USERSPACE] portid=").append(Integer.toUnsignedString(event.portId()));
        }
    }

    /** The event tag padded as {@code %9s }: {@code "    [NEW] "}, {@code " [UPDATE] "}, {@code "[DESTROY] "}. */
    public static String eventTag(EventType type) {
        return switch (type) {
            case NEW -> "    [NEW] ";
            case UPDATE -> " [UPDATE] ";
            case DESTROY -> "[DESTROY] ";
        };
    }

    /** Appends the line for {@code flow} (without a newline); {@code event} may be null. */
    public static void append(StringBuilder sb, Flow flow, EventType event, Options options, long nowEpochSeconds) {
        int start = sb.length();
        if (event != null) {
            sb.append(eventTag(event));
        }
        Tuple orig = flow.original();
        Tuple reply = flow.reply();
        Tuple any = orig != null ? orig : reply;
        if (options.extended()) {
            boolean v6 = any != null && any.isIpv6();
            padded(sb, any == null ? "unknown" : v6 ? "ipv6" : "ipv4", any == null ? 0 : v6 ? 10 : 2);
        }
        int proto = any == null ? 0 : any.protocol().number();
        padded(sb, protoName(proto), proto);
        if (flow.hasTimeout()) {
            sb.append(Integer.toUnsignedString(flow.timeout())).append(' ');
        }
        switch (flow.protoInfo()) {
            case ProtoInfo.Tcp t -> sb.append(state(TCP_STATES, t.state().code())).append(' ');
            case ProtoInfo.Sctp s -> sb.append(state(SCTP_STATES, s.state().code())).append(' ');
            case ProtoInfo.Dccp d -> sb.append(state(DCCP_STATES, d.state().code())).append(' ');
            case null -> { }
        }
        if (orig != null) {
            tuple(sb, orig, "orig");
        }
        counters(sb, flow.countersOriginal());
        if (flow.hasStatus() && !flow.status().isSeenReply()) {
            sb.append("[UNREPLIED] ");
        }
        if (reply != null) {
            tuple(sb, reply, "reply");
        }
        counters(sb, flow.countersReply());
        if (flow.hasStatus()) {
            Status s = flow.status();
            if (s.isHardwareOffload()) {
                sb.append("[HW_OFFLOAD] ");
            } else if (s.isOffload()) {
                sb.append("[OFFLOAD] ");
            } else if (s.isAssured()) {
                sb.append("[ASSURED] ");
            }
        }
        if (flow.hasMark()) {
            sb.append("mark=").append(Integer.toUnsignedString(flow.mark())).append(' ');
        }
        if (flow.hasSecmark()) {
            sb.append("secmark=").append(Integer.toUnsignedString(flow.secmark())).append(' ');
        }
        if (flow.securityContext() != null) {
            sb.append("secctx=").append(flow.securityContext()).append(' ');
        }
        if (flow.hasZone()) {
            sb.append("zone=").append(flow.zone()).append(' ');
        }
        Timestamps ts = flow.timestamps();
        if (ts != null) {
            long stop = ts.stopNanos() == 0 ? nowEpochSeconds : ts.stopNanos() / 1_000_000_000L;
            long delta = stop - ts.startNanos() / 1_000_000_000L;
            sb.append("delta-time=").append(Long.toUnsignedString(delta)).append(' ');
            if (options.ktimestamp()) {
                sb.append("[start=").append(ctime(ts.startNanos(), options.timeZone())).append("] ");
                if (ts.stopNanos() != 0) {
                    sb.append("[stop=").append(ctime(ts.stopNanos(), options.timeZone())).append("] ");
                }
            }
        }
        if (flow.helper() != null) {
            sb.append("helper=").append(flow.helper()).append(' ');
        }
        if (flow.hasUse()) {
            sb.append("use=").append(Integer.toUnsignedString(flow.use())).append(' ');
        }
        if (options.id() && flow.hasId()) {
            sb.append("id=").append(Integer.toUnsignedString(flow.id())).append(' ');
        }
        if (options.labelNames() != null && flow.labels() != null) {
            labels(sb, flow, options.labelNames());
        }
        // Like the C code, drop the last blank.
        if (sb.length() > start && sb.charAt(sb.length() - 1) == ' ') {
            sb.setLength(sb.length() - 1);
        }
    }

    /** libnetfilter_conntrack's name for an L4 protocol number ({@code unknown} when it has none). */
    public static String protoName(int number) {
        return switch (number) {
            case 1, 6, 17, 33, 47, 58, 132, 136 -> L4Protocol.of(number).name();
            default -> "unknown";
        };
    }

    private static void padded(StringBuilder sb, String name, int number) {
        sb.append(name);
        for (int i = name.length(); i < 8; i++) {
            sb.append(' ');
        }
        sb.append(' ').append(number).append(' ');
    }

    private static String state(String[] names, int code) {
        return code < names.length ? names[code] : names[0];
    }

    private static void tuple(StringBuilder sb, Tuple t, String zoneTag) {
        sb.append("src=").append(t.source()).append(" dst=").append(t.destination()).append(' ');
        appendL4(sb, t);
        if (t.hasZone()) {
            sb.append("zone-").append(zoneTag).append('=').append(t.zone()).append(' ');
        }
    }

    /** Appends the ports, GRE keys or ICMP type/code/id of {@code t}, each followed by a blank. */
    static void appendL4(StringBuilder sb, Tuple t) {
        int p = t.protocol().number();
        switch (p) {
            case 6, 17, 136, 132, 33 ->
                    sb.append("sport=").append(t.sourcePort()).append(" dport=").append(t.destinationPort()).append(' ');
            case 47 -> sb.append("srckey=0x").append(Integer.toHexString(t.sourcePort()))
                    .append(" dstkey=0x").append(Integer.toHexString(t.destinationPort())).append(' ');
            case 1, 58 -> sb.append("type=").append(t.icmpType()).append(" code=").append(t.icmpCode())
                    .append(" id=").append(t.icmpId()).append(' ');
            default -> { }
        }
    }

    private static void counters(StringBuilder sb, Counters c) {
        if (c != null) {
            sb.append("packets=").append(Long.toUnsignedString(c.packets()))
                    .append(" bytes=").append(Long.toUnsignedString(c.bytes())).append(' ');
        }
    }

    private static String ctime(long nanos, ZoneId zone) {
        return CTIME.format(Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L)).atZone(zone));
    }

    private static void labels(StringBuilder sb, Flow flow, List<String> names) {
        sb.append("labels=");
        int n = Math.min(flow.labelBits(), names.size());
        for (int bit = 0; bit < n; bit++) {
            String name = names.get(bit);
            if (flow.hasLabel(bit) && name != null && !name.isEmpty()) {
                sb.append(name).append(',');
            }
        }
        // The C code removes the last character (a comma, or '=' when no bit had a name) and adds a blank.
        sb.setLength(sb.length() - 1);
        sb.append(' ');
    }
}
