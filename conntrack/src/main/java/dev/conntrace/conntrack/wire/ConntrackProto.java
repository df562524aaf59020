package dev.conntrace.conntrack.wire;

/**
 * Per-protocol conntrack state codes and flags: TCP from {@code linux/netfilter/nf_conntrack_tcp.h},
 * SCTP from {@code linux/netfilter/nf_conntrack_sctp.h}, DCCP from the kernel's
 * {@code include/linux/netfilter/nf_conntrack_dccp.h} (not exported to uapi; the values are the ones
 * ctnetlink puts in {@code CTA_PROTOINFO_DCCP_STATE} and {@code CTA_PROTOINFO_DCCP_ROLE}).
 * The C name of each constant is in its comment.
 */
public final class ConntrackProto {
    private ConntrackProto() {}

    // enum tcp_conntrack
    public static final int TCP_CONNTRACK_NONE = 0; // TCP_CONNTRACK_NONE
    public static final int TCP_CONNTRACK_SYN_SENT = 1; // TCP_CONNTRACK_SYN_SENT
    public static final int TCP_CONNTRACK_SYN_RECV = 2; // TCP_CONNTRACK_SYN_RECV
    public static final int TCP_CONNTRACK_ESTABLISHED = 3; // TCP_CONNTRACK_ESTABLISHED
    public static final int TCP_CONNTRACK_FIN_WAIT = 4; // TCP_CONNTRACK_FIN_WAIT
    public static final int TCP_CONNTRACK_CLOSE_WAIT = 5; // TCP_CONNTRACK_CLOSE_WAIT
    public static final int TCP_CONNTRACK_LAST_ACK = 6; // TCP_CONNTRACK_LAST_ACK
    public static final int TCP_CONNTRACK_TIME_WAIT = 7; // TCP_CONNTRACK_TIME_WAIT
    public static final int TCP_CONNTRACK_CLOSE = 8; // TCP_CONNTRACK_CLOSE
    public static final int TCP_CONNTRACK_LISTEN = 9; // TCP_CONNTRACK_LISTEN (obsolete)
    public static final int TCP_CONNTRACK_SYN_SENT2 = TCP_CONNTRACK_LISTEN; // TCP_CONNTRACK_SYN_SENT2
    public static final int TCP_CONNTRACK_MAX = 10; // TCP_CONNTRACK_MAX
    public static final int TCP_CONNTRACK_IGNORE = 11; // TCP_CONNTRACK_IGNORE
    public static final int TCP_CONNTRACK_RETRANS = 12; // TCP_CONNTRACK_RETRANS
    public static final int TCP_CONNTRACK_UNACK = 13; // TCP_CONNTRACK_UNACK
    public static final int TCP_CONNTRACK_TIMEOUT_MAX = 14; // TCP_CONNTRACK_TIMEOUT_MAX

    // TCP per-direction flags (nf_conntrack_tcp.h)
    public static final int IP_CT_TCP_FLAG_WINDOW_SCALE = 0x01; // IP_CT_TCP_FLAG_WINDOW_SCALE
    public static final int IP_CT_TCP_FLAG_SACK_PERM = 0x02; // IP_CT_TCP_FLAG_SACK_PERM
    public static final int IP_CT_TCP_FLAG_CLOSE_INIT = 0x04; // IP_CT_TCP_FLAG_CLOSE_INIT
    public static final int IP_CT_TCP_FLAG_BE_LIBERAL = 0x08; // IP_CT_TCP_FLAG_BE_LIBERAL
    public static final int IP_CT_TCP_FLAG_DATA_UNACKNOWLEDGED = 0x10; // IP_CT_TCP_FLAG_DATA_UNACKNOWLEDGED
    public static final int IP_CT_TCP_FLAG_MAXACK_SET = 0x20; // IP_CT_TCP_FLAG_MAXACK_SET
    public static final int IP_CT_EXP_CHALLENGE_ACK = 0x40; // IP_CT_EXP_CHALLENGE_ACK
    public static final int IP_CT_TCP_SIMULTANEOUS_OPEN = 0x80; // IP_CT_TCP_SIMULTANEOUS_OPEN

    // enum sctp_conntrack
    public static final int SCTP_CONNTRACK_NONE = 0; // SCTP_CONNTRACK_NONE
    public static final int SCTP_CONNTRACK_CLOSED = 1; // SCTP_CONNTRACK_CLOSED
    public static final int SCTP_CONNTRACK_COOKIE_WAIT = 2; // SCTP_CONNTRACK_COOKIE_WAIT
    public static final int SCTP_CONNTRACK_COOKIE_ECHOED = 3; // SCTP_CONNTRACK_COOKIE_ECHOED
    public static final int SCTP_CONNTRACK_ESTABLISHED = 4; // SCTP_CONNTRACK_ESTABLISHED
    public static final int SCTP_CONNTRACK_SHUTDOWN_SENT = 5; // SCTP_CONNTRACK_SHUTDOWN_SENT
    public static final int SCTP_CONNTRACK_SHUTDOWN_RECD = 6; // SCTP_CONNTRACK_SHUTDOWN_RECD
    public static final int SCTP_CONNTRACK_SHUTDOWN_ACK_SENT = 7; // SCTP_CONNTRACK_SHUTDOWN_ACK_SENT
    public static final int SCTP_CONNTRACK_HEARTBEAT_SENT = 8; // SCTP_CONNTRACK_HEARTBEAT_SENT
    public static final int SCTP_CONNTRACK_HEARTBEAT_ACKED = 9; // SCTP_CONNTRACK_HEARTBEAT_ACKED (no longer used)
    public static final int SCTP_CONNTRACK_MAX = 10; // SCTP_CONNTRACK_MAX

    // enum ct_dccp_states
    public static final int CT_DCCP_NONE = 0; // CT_DCCP_NONE
    public static final int CT_DCCP_REQUEST = 1; // CT_DCCP_REQUEST
    public static final int CT_DCCP_RESPOND = 2; // CT_DCCP_RESPOND
    public static final int CT_DCCP_PARTOPEN = 3; // CT_DCCP_PARTOPEN
    public static final int CT_DCCP_OPEN = 4; // CT_DCCP_OPEN
    public static final int CT_DCCP_CLOSEREQ = 5; // CT_DCCP_CLOSEREQ
    public static final int CT_DCCP_CLOSING = 6; // CT_DCCP_CLOSING
    public static final int CT_DCCP_TIMEWAIT = 7; // CT_DCCP_TIMEWAIT
    public static final int CT_DCCP_IGNORE = 8; // CT_DCCP_IGNORE
    public static final int CT_DCCP_INVALID = 9; // CT_DCCP_INVALID
    public static final int CT_DCCP_MAX = 10; // __CT_DCCP_MAX

    // enum ct_dccp_roles
    public static final int CT_DCCP_ROLE_CLIENT = 0; // CT_DCCP_ROLE_CLIENT
    public static final int CT_DCCP_ROLE_SERVER = 1; // CT_DCCP_ROLE_SERVER
}
