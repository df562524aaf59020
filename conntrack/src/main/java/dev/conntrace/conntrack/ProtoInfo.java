package dev.conntrace.conntrack;

import java.util.Objects;

/**
 * Protocol-private state of a connection ({@code CTA_PROTOINFO}): TCP, DCCP or SCTP.
 * Sub-attributes the kernel did not send are {@link #ABSENT} (-1) in the int fields.
 */
public sealed interface ProtoInfo {

    /** Value of an int field whose attribute was not present. */
    int ABSENT = -1;

    /**
     * TCP state ({@code CTA_PROTOINFO_TCP_*}).
     *
     * @param state connection state
     * @param windowScaleOriginal window scale of the original direction (0..255) or {@link #ABSENT}
     * @param windowScaleReply window scale of the reply direction or {@link #ABSENT}
     * @param flagsOriginal {@code IP_CT_TCP_FLAG_*} of the original direction (0..255) or {@link #ABSENT}
     * @param flagsReply {@code IP_CT_TCP_FLAG_*} of the reply direction or {@link #ABSENT}
     */
    record Tcp(TcpState state, int windowScaleOriginal, int windowScaleReply, int flagsOriginal, int flagsReply)
            implements ProtoInfo {
        public Tcp {
            Objects.requireNonNull(state, "state");
        }

        /** Just a state. */
        public static Tcp of(TcpState state) {
            return new Tcp(state, ABSENT, ABSENT, ABSENT, ABSENT);
        }

        /**
         * A state with SACK_PERM and BE_LIBERAL set in both directions, as {@code conntrack -I --state}
         * sends it, so the kernel does not judge the first packets of an inserted entry against
         * windows it never saw.
         */
        public static Tcp liberal(TcpState state) {
            int f = dev.conntrace.conntrack.wire.ConntrackProto.IP_CT_TCP_FLAG_SACK_PERM
                    | dev.conntrace.conntrack.wire.ConntrackProto.IP_CT_TCP_FLAG_BE_LIBERAL;
            return new Tcp(state, ABSENT, ABSENT, f, f);
        }
    }

    /**
     * DCCP state ({@code CTA_PROTOINFO_DCCP_*}).
     *
     * @param state connection state
     * @param role {@code CT_DCCP_ROLE_CLIENT} (0) or {@code CT_DCCP_ROLE_SERVER} (1), or {@link #ABSENT}
     * @param handshakeSeq the handshake sequence number, or -1 when absent
     */
    record Dccp(DccpState state, int role, long handshakeSeq) implements ProtoInfo {
        public Dccp {
            Objects.requireNonNull(state, "state");
        }
    }

    /**
     * SCTP state ({@code CTA_PROTOINFO_SCTP_*}).
     *
     * @param state association state
     * @param vtagOriginal verification tag of the original direction (unsigned 32 bits)
     * @param vtagReply verification tag of the reply direction (unsigned 32 bits)
     */
    record Sctp(SctpState state, int vtagOriginal, int vtagReply) implements ProtoInfo {
        public Sctp {
            Objects.requireNonNull(state, "state");
        }
    }
}
