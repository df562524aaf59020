package dev.conntrace.conntrack;

import java.util.Objects;

/**
 * A protocol state a flow must be in, as {@code conntrack -p PROTO --state STATE} selects it: the
 * TCP, SCTP or DCCP state of the flow's {@code CTA_PROTOINFO}. Flows of other protocols, and flows
 * without protocol info, never match.
 *
 * @param protocol {@link L4Protocol#TCP}, {@link L4Protocol#SCTP} or {@link L4Protocol#DCCP}
 * @param code the protocol's state code (0..255)
 */
public record StateMatch(L4Protocol protocol, int code) {

    public StateMatch {
        Objects.requireNonNull(protocol, "protocol");
        if (!hasStates(protocol)) {
            throw new IllegalArgumentException(protocol + " has no conntrack states (tcp, sctp or dccp)");
        }
        if (code < 0 || code > 255) {
            throw new IllegalArgumentException("state " + code + " is outside 0..255");
        }
    }

    /** Flows in TCP state {@code s}. */
    public static StateMatch of(TcpState s) {
        return new StateMatch(L4Protocol.TCP, s.code());
    }

    /** Flows in SCTP state {@code s}. */
    public static StateMatch of(SctpState s) {
        return new StateMatch(L4Protocol.SCTP, s.code());
    }

    /** Flows in DCCP state {@code s}. */
    public static StateMatch of(DccpState s) {
        return new StateMatch(L4Protocol.DCCP, s.code());
    }

    /** True for the protocols whose conntrack keeps a state: TCP, SCTP and DCCP. */
    public static boolean hasStates(L4Protocol p) {
        return p.equals(L4Protocol.TCP) || p.equals(L4Protocol.SCTP) || p.equals(L4Protocol.DCCP);
    }

    /**
     * Parses a state name of {@code protocol} as conntrack-tools spells it ({@code ESTABLISHED},
     * {@code COOKIE_WAIT}, {@code PARTOPEN}); throws naming the text.
     */
    public static StateMatch parse(L4Protocol protocol, String name) {
        if (protocol.equals(L4Protocol.TCP)) {
            return of(TcpState.parse(name));
        }
        if (protocol.equals(L4Protocol.SCTP)) {
            return of(SctpState.parse(name));
        }
        if (protocol.equals(L4Protocol.DCCP)) {
            return of(DccpState.parse(name));
        }
        throw new IllegalArgumentException("state '" + name + "' needs -p tcp, sctp or dccp, not " + protocol);
    }

    /** The state's name ({@code ESTABLISHED}). */
    public String name() {
        if (protocol.equals(L4Protocol.TCP)) {
            return TcpState.of(code).name();
        }
        return protocol.equals(L4Protocol.SCTP) ? SctpState.of(code).name() : DccpState.of(code).name();
    }

    /** True when {@code f}'s protocol info is of this protocol and in this state. */
    public boolean test(Flow f) {
        return switch (f.protoInfo()) {
            case ProtoInfo.Tcp t -> protocol.equals(L4Protocol.TCP) && t.state().code() == code;
            case ProtoInfo.Sctp s -> protocol.equals(L4Protocol.SCTP) && s.state().code() == code;
            case ProtoInfo.Dccp d -> protocol.equals(L4Protocol.DCCP) && d.state().code() == code;
            case null -> false;
        };
    }

    @Override
    public String toString() {
        return protocol + " " + name();
    }
}
