package dev.conntrace.conntrack;

import dev.conntrace.conntrack.wire.ConntrackProto;

/**
 * A TCP conntrack state ({@code enum tcp_conntrack} in {@code linux/netfilter/nf_conntrack_tcp.h}),
 * an open enum: codes without a name are kept and shown as {@code unknown(n)}.
 *
 * @param code the kernel's state code, 0..255
 */
public record TcpState(int code) {

    private static final StateNames NAMES = new StateNames("TCP",
        "NONE", "SYN_SENT", "SYN_RECV", "ESTABLISHED", "FIN_WAIT", "CLOSE_WAIT", "LAST_ACK", "TIME_WAIT",
        "CLOSE", "SYN_SENT2");
    private static final TcpState[] CACHE = new TcpState[256];

    static {
        for (int i = 0; i < CACHE.length; i++) {
            CACHE[i] = new TcpState(i);
        }
    }

    public static final TcpState NONE = of(ConntrackProto.TCP_CONNTRACK_NONE);
    public static final TcpState SYN_SENT = of(ConntrackProto.TCP_CONNTRACK_SYN_SENT);
    public static final TcpState SYN_RECV = of(ConntrackProto.TCP_CONNTRACK_SYN_RECV);
    public static final TcpState ESTABLISHED = of(ConntrackProto.TCP_CONNTRACK_ESTABLISHED);
    public static final TcpState FIN_WAIT = of(ConntrackProto.TCP_CONNTRACK_FIN_WAIT);
    public static final TcpState CLOSE_WAIT = of(ConntrackProto.TCP_CONNTRACK_CLOSE_WAIT);
    public static final TcpState LAST_ACK = of(ConntrackProto.TCP_CONNTRACK_LAST_ACK);
    public static final TcpState TIME_WAIT = of(ConntrackProto.TCP_CONNTRACK_TIME_WAIT);
    public static final TcpState CLOSE = of(ConntrackProto.TCP_CONNTRACK_CLOSE);
    public static final TcpState SYN_SENT2 = of(ConntrackProto.TCP_CONNTRACK_SYN_SENT2);

    public TcpState {
        NAMES.check(code);
    }

    /** The state with this code, without allocating. */
    public static TcpState of(int code) {
        return code >= 0 && code < CACHE.length && CACHE[code] != null ? CACHE[code] : new TcpState(code);
    }

    /** Parses a state name as {@code conntrack --state} accepts it ({@code ESTABLISHED}); throws naming the text. */
    public static TcpState parse(String text) {
        return CACHE[NAMES.parse(text)];
    }

    /** True when the code has a name ({@code < TCP_CONNTRACK_MAX}). */
    public boolean isKnown() {
        return NAMES.isKnown(code);
    }

    /** The state name ({@code ESTABLISHED}) or {@code unknown(n)}. */
    public String name() {
        return NAMES.name(code);
    }

    @Override
    public String toString() {
        return name();
    }
}
