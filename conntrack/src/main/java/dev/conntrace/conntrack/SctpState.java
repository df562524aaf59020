package dev.conntrace.conntrack;

import dev.conntrace.conntrack.wire.ConntrackProto;

/**
 * An SCTP conntrack state ({@code enum sctp_conntrack} in {@code linux/netfilter/nf_conntrack_sctp.h}),
 * an open enum: codes without a name are kept and shown as {@code unknown(n)}.
 *
 * @param code the kernel's state code, 0..255
 */
public record SctpState(int code) {

    private static final StateNames NAMES = new StateNames("SCTP",
        "NONE", "CLOSED", "COOKIE_WAIT", "COOKIE_ECHOED", "ESTABLISHED", "SHUTDOWN_SENT", "SHUTDOWN_RECD", "SHUTDOWN_ACK_SENT", "HEARTBEAT_SENT", "HEARTBEAT_ACKED");
    private static final SctpState[] CACHE = new SctpState[256];

    static {
        for (int i = 0; i < CACHE.length; i++) {
            CACHE[i] = new SctpState(i);
        }
    }

    public static final SctpState NONE = of(ConntrackProto.SCTP_CONNTRACK_NONE);
    public static final SctpState CLOSED = of(ConntrackProto.SCTP_CONNTRACK_CLOSED);
    public static final SctpState COOKIE_WAIT = of(ConntrackProto.SCTP_CONNTRACK_COOKIE_WAIT);
    public static final SctpState COOKIE_ECHOED = of(ConntrackProto.SCTP_CONNTRACK_COOKIE_ECHOED);
    public static final SctpState ESTABLISHED = of(ConntrackProto.SCTP_CONNTRACK_ESTABLISHED);
    public static final SctpState SHUTDOWN_SENT = of(ConntrackProto.SCTP_CONNTRACK_SHUTDOWN_SENT);
    public static final SctpState SHUTDOWN_RECD = of(ConntrackProto.SCTP_CONNTRACK_SHUTDOWN_RECD);
    public static final SctpState SHUTDOWN_ACK_SENT = of(ConntrackProto.SCTP_CONNTRACK_SHUTDOWN_ACK_SENT);
    public static final SctpState HEARTBEAT_SENT = of(ConntrackProto.SCTP_CONNTRACK_HEARTBEAT_SENT);
    public static final SctpState HEARTBEAT_ACKED = of(ConntrackProto.SCTP_CONNTRACK_HEARTBEAT_ACKED);

    public SctpState {
        NAMES.check(code);
    }

    /** The state with this code, without allocating. */
    public static SctpState of(int code) {
        return code >= 0 && code < CACHE.length && CACHE[code] != null ? CACHE[code] : new SctpState(code);
    }

    /** Parses a state name ({@code CLOSED}); throws naming the text. */
    public static SctpState parse(String text) {
        return CACHE[NAMES.parse(text)];
    }

    /** True when the code has a name. */
    public boolean isKnown() {
        return NAMES.isKnown(code);
    }

    /** The state name ({@code CLOSED}) or {@code unknown(n)}. */
    public String name() {
        return NAMES.name(code);
    }

    @Override
    public String toString() {
        return name();
    }
}
