package dev.conntrace.conntrack;

import dev.conntrace.conntrack.wire.ConntrackProto;

/**
 * A DCCP conntrack state ({@code enum ct_dccp_states} in the kernel-internal {@code include/linux/netfilter/nf_conntrack_dccp.h}),
 * an open enum: codes without a name are kept and shown as {@code unknown(n)}.
 *
 * @param code the kernel's state code, 0..255
 */
public record DccpState(int code) {

    private static final StateNames NAMES = new StateNames("DCCP",
        "NONE", "REQUEST", "RESPOND", "PARTOPEN", "OPEN", "CLOSEREQ", "CLOSING", "TIMEWAIT", "IGNORE", "INVALID");
    private static final DccpState[] CACHE = new DccpState[256];

    static {
        for (int i = 0; i < CACHE.length; i++) {
            CACHE[i] = new DccpState(i);
        }
    }

    public static final DccpState NONE = of(ConntrackProto.CT_DCCP_NONE);
    public static final DccpState REQUEST = of(ConntrackProto.CT_DCCP_REQUEST);
    public static final DccpState RESPOND = of(ConntrackProto.CT_DCCP_RESPOND);
    public static final DccpState PARTOPEN = of(ConntrackProto.CT_DCCP_PARTOPEN);
    public static final DccpState OPEN = of(ConntrackProto.CT_DCCP_OPEN);
    public static final DccpState CLOSEREQ = of(ConntrackProto.CT_DCCP_CLOSEREQ);
    public static final DccpState CLOSING = of(ConntrackProto.CT_DCCP_CLOSING);
    public static final DccpState TIMEWAIT = of(ConntrackProto.CT_DCCP_TIMEWAIT);
    public static final DccpState IGNORE = of(ConntrackProto.CT_DCCP_IGNORE);
    public static final DccpState INVALID = of(ConntrackProto.CT_DCCP_INVALID);

    public DccpState {
        NAMES.check(code);
    }

    /** The state with this code, without allocating. */
    public static DccpState of(int code) {
        return code >= 0 && code < CACHE.length && CACHE[code] != null ? CACHE[code] : new DccpState(code);
    }

    /** Parses a state name ({@code REQUEST}); throws naming the text. */
    public static DccpState parse(String text) {
        return CACHE[NAMES.parse(text)];
    }

    /** True when the code has a name. */
    public boolean isKnown() {
        return NAMES.isKnown(code);
    }

    /** The state name ({@code REQUEST}) or {@code unknown(n)}. */
    public String name() {
        return NAMES.name(code);
    }

    @Override
    public String toString() {
        return name();
    }
}
