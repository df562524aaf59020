package dev.conntrace.conntrack.wire;

/**
 * ctnetlink message types and attribute numbers, transliterated from
 * {@code linux/netfilter/nfnetlink_conntrack.h}, plus the netfilter subsystem ids and conntrack
 * multicast groups from {@code linux/netfilter/nfnetlink.h} and {@code nfnetlink_compat.h}.
 * Each constant carries its C name in a comment so it can be diffed against the header.
 */
public final class Ctnetlink {
    private Ctnetlink() {}

    // linux/netfilter/nfnetlink.h: subsystems (high byte of nlmsg_type)
    public static final int NFNL_SUBSYS_CTNETLINK = 1; // NFNL_SUBSYS_CTNETLINK
    public static final int NFNL_SUBSYS_CTNETLINK_EXP = 2; // NFNL_SUBSYS_CTNETLINK_EXP
    public static final int NFNETLINK_V0 = 0; // NFNETLINK_V0

    // linux/netfilter/nfnetlink.h: enum nfnetlink_groups (group numbers for NETLINK_ADD_MEMBERSHIP)
    public static final int NFNLGRP_NONE = 0; // NFNLGRP_NONE
    public static final int NFNLGRP_CONNTRACK_NEW = 1; // NFNLGRP_CONNTRACK_NEW
    public static final int NFNLGRP_CONNTRACK_UPDATE = 2; // NFNLGRP_CONNTRACK_UPDATE
    public static final int NFNLGRP_CONNTRACK_DESTROY = 3; // NFNLGRP_CONNTRACK_DESTROY
    public static final int NFNLGRP_CONNTRACK_EXP_NEW = 4; // NFNLGRP_CONNTRACK_EXP_NEW
    public static final int NFNLGRP_CONNTRACK_EXP_UPDATE = 5; // NFNLGRP_CONNTRACK_EXP_UPDATE
    public static final int NFNLGRP_CONNTRACK_EXP_DESTROY = 6; // NFNLGRP_CONNTRACK_EXP_DESTROY

    // linux/netfilter/nfnetlink_compat.h: legacy group bit masks (nl_groups in sockaddr_nl)
    public static final int NF_NETLINK_CONNTRACK_NEW = 0x00000001; // NF_NETLINK_CONNTRACK_NEW
    public static final int NF_NETLINK_CONNTRACK_UPDATE = 0x00000002; // NF_NETLINK_CONNTRACK_UPDATE
    public static final int NF_NETLINK_CONNTRACK_DESTROY = 0x00000004; // NF_NETLINK_CONNTRACK_DESTROY
    public static final int NF_NETLINK_CONNTRACK_EXP_NEW = 0x00000008; // NF_NETLINK_CONNTRACK_EXP_NEW
    public static final int NF_NETLINK_CONNTRACK_EXP_UPDATE = 0x00000010; // NF_NETLINK_CONNTRACK_EXP_UPDATE
    public static final int NF_NETLINK_CONNTRACK_EXP_DESTROY = 0x00000020; // NF_NETLINK_CONNTRACK_EXP_DESTROY

    // net/netfilter/nf_conntrack_netlink.c (kernel-internal, not in uapi): bits of
    // CTA_FILTER_ORIG_FLAGS / CTA_FILTER_REPLY_FLAGS, one per tuple attribute to match
    public static final int CTA_FILTER_F_CTA_IP_SRC = 1; // CTA_FILTER_F_CTA_IP_SRC
    public static final int CTA_FILTER_F_CTA_IP_DST = 1 << 1; // CTA_FILTER_F_CTA_IP_DST
    public static final int CTA_FILTER_F_CTA_TUPLE_ZONE = 1 << 2; // CTA_FILTER_F_CTA_TUPLE_ZONE
    public static final int CTA_FILTER_F_CTA_PROTO_NUM = 1 << 3; // CTA_FILTER_F_CTA_PROTO_NUM
    public static final int CTA_FILTER_F_CTA_PROTO_SRC_PORT = 1 << 4; // CTA_FILTER_F_CTA_PROTO_SRC_PORT
    public static final int CTA_FILTER_F_CTA_PROTO_DST_PORT = 1 << 5; // CTA_FILTER_F_CTA_PROTO_DST_PORT
    public static final int CTA_FILTER_F_CTA_PROTO_ICMP_TYPE = 1 << 6; // CTA_FILTER_F_CTA_PROTO_ICMP_TYPE
    public static final int CTA_FILTER_F_CTA_PROTO_ICMP_CODE = 1 << 7; // CTA_FILTER_F_CTA_PROTO_ICMP_CODE
    public static final int CTA_FILTER_F_CTA_PROTO_ICMP_ID = 1 << 8; // CTA_FILTER_F_CTA_PROTO_ICMP_ID
    public static final int CTA_FILTER_F_CTA_PROTO_ICMPV6_TYPE = 1 << 9; // CTA_FILTER_F_CTA_PROTO_ICMPV6_TYPE
    public static final int CTA_FILTER_F_CTA_PROTO_ICMPV6_CODE = 1 << 10; // CTA_FILTER_F_CTA_PROTO_ICMPV6_CODE
    public static final int CTA_FILTER_F_CTA_PROTO_ICMPV6_ID = 1 << 11; // CTA_FILTER_F_CTA_PROTO_ICMPV6_ID

    // linux/netfilter/nfnetlink_conntrack.h

    // enum cntl_msg_types
    public static final int IPCTNL_MSG_CT_NEW = 0; // IPCTNL_MSG_CT_NEW
    public static final int IPCTNL_MSG_CT_GET = 1; // IPCTNL_MSG_CT_GET
    public static final int IPCTNL_MSG_CT_DELETE = 2; // IPCTNL_MSG_CT_DELETE
    public static final int IPCTNL_MSG_CT_GET_CTRZERO = 3; // IPCTNL_MSG_CT_GET_CTRZERO
    public static final int IPCTNL_MSG_CT_GET_STATS_CPU = 4; // IPCTNL_MSG_CT_GET_STATS_CPU
    public static final int IPCTNL_MSG_CT_GET_STATS = 5; // IPCTNL_MSG_CT_GET_STATS
    public static final int IPCTNL_MSG_CT_GET_DYING = 6; // IPCTNL_MSG_CT_GET_DYING
    public static final int IPCTNL_MSG_CT_GET_UNCONFIRMED = 7; // IPCTNL_MSG_CT_GET_UNCONFIRMED
    public static final int IPCTNL_MSG_MAX = 8; // IPCTNL_MSG_MAX

    // enum ctnl_exp_msg_types
    public static final int IPCTNL_MSG_EXP_NEW = 0; // IPCTNL_MSG_EXP_NEW
    public static final int IPCTNL_MSG_EXP_GET = 1; // IPCTNL_MSG_EXP_GET
    public static final int IPCTNL_MSG_EXP_DELETE = 2; // IPCTNL_MSG_EXP_DELETE
    public static final int IPCTNL_MSG_EXP_GET_STATS_CPU = 3; // IPCTNL_MSG_EXP_GET_STATS_CPU
    public static final int IPCTNL_MSG_EXP_MAX = 4; // IPCTNL_MSG_EXP_MAX

    // enum ctattr_type
    public static final int CTA_UNSPEC = 0; // CTA_UNSPEC
    public static final int CTA_TUPLE_ORIG = 1; // CTA_TUPLE_ORIG
    public static final int CTA_TUPLE_REPLY = 2; // CTA_TUPLE_REPLY
    public static final int CTA_STATUS = 3; // CTA_STATUS
    public static final int CTA_PROTOINFO = 4; // CTA_PROTOINFO
    public static final int CTA_HELP = 5; // CTA_HELP
    public static final int CTA_NAT_SRC = 6; // CTA_NAT_SRC
    public static final int CTA_NAT = CTA_NAT_SRC; // CTA_NAT
    public static final int CTA_TIMEOUT = 7; // CTA_TIMEOUT
    public static final int CTA_MARK = 8; // CTA_MARK
    public static final int CTA_COUNTERS_ORIG = 9; // CTA_COUNTERS_ORIG
    public static final int CTA_COUNTERS_REPLY = 10; // CTA_COUNTERS_REPLY
    public static final int CTA_USE = 11; // CTA_USE
    public static final int CTA_ID = 12; // CTA_ID
    public static final int CTA_NAT_DST = 13; // CTA_NAT_DST
    public static final int CTA_TUPLE_MASTER = 14; // CTA_TUPLE_MASTER
    public static final int CTA_SEQ_ADJ_ORIG = 15; // CTA_SEQ_ADJ_ORIG
    public static final int CTA_NAT_SEQ_ADJ_ORIG = 15; // CTA_NAT_SEQ_ADJ_ORIG
    public static final int CTA_SEQ_ADJ_REPLY = 16; // CTA_SEQ_ADJ_REPLY
    public static final int CTA_NAT_SEQ_ADJ_REPLY = 16; // CTA_NAT_SEQ_ADJ_REPLY
    public static final int CTA_SECMARK = 17; // CTA_SECMARK
    public static final int CTA_ZONE = 18; // CTA_ZONE
    public static final int CTA_SECCTX = 19; // CTA_SECCTX
    public static final int CTA_TIMESTAMP = 20; // CTA_TIMESTAMP
    public static final int CTA_MARK_MASK = 21; // CTA_MARK_MASK
    public static final int CTA_LABELS = 22; // CTA_LABELS
    public static final int CTA_LABELS_MASK = 23; // CTA_LABELS_MASK
    public static final int CTA_SYNPROXY = 24; // CTA_SYNPROXY
    public static final int CTA_FILTER = 25; // CTA_FILTER
    public static final int CTA_STATUS_MASK = 26; // CTA_STATUS_MASK

    // enum ctattr_tuple
    public static final int CTA_TUPLE_UNSPEC = 0; // CTA_TUPLE_UNSPEC
    public static final int CTA_TUPLE_IP = 1; // CTA_TUPLE_IP
    public static final int CTA_TUPLE_PROTO = 2; // CTA_TUPLE_PROTO
    public static final int CTA_TUPLE_ZONE = 3; // CTA_TUPLE_ZONE

    // enum ctattr_ip
    public static final int CTA_IP_UNSPEC = 0; // CTA_IP_UNSPEC
    public static final int CTA_IP_V4_SRC = 1; // CTA_IP_V4_SRC
    public static final int CTA_IP_V4_DST = 2; // CTA_IP_V4_DST
    public static final int CTA_IP_V6_SRC = 3; // CTA_IP_V6_SRC
    public static final int CTA_IP_V6_DST = 4; // CTA_IP_V6_DST

    // enum ctattr_l4proto
    public static final int CTA_PROTO_UNSPEC = 0; // CTA_PROTO_UNSPEC
    public static final int CTA_PROTO_NUM = 1; // CTA_PROTO_NUM
    public static final int CTA_PROTO_SRC_PORT = 2; // CTA_PROTO_SRC_PORT
    public static final int CTA_PROTO_DST_PORT = 3; // CTA_PROTO_DST_PORT
    public static final int CTA_PROTO_ICMP_ID = 4; // CTA_PROTO_ICMP_ID
    public static final int CTA_PROTO_ICMP_TYPE = 5; // CTA_PROTO_ICMP_TYPE
    public static final int CTA_PROTO_ICMP_CODE = 6; // CTA_PROTO_ICMP_CODE
    public static final int CTA_PROTO_ICMPV6_ID = 7; // CTA_PROTO_ICMPV6_ID
    public static final int CTA_PROTO_ICMPV6_TYPE = 8; // CTA_PROTO_ICMPV6_TYPE
    public static final int CTA_PROTO_ICMPV6_CODE = 9; // CTA_PROTO_ICMPV6_CODE

    // enum ctattr_protoinfo
    public static final int CTA_PROTOINFO_UNSPEC = 0; // CTA_PROTOINFO_UNSPEC
    public static final int CTA_PROTOINFO_TCP = 1; // CTA_PROTOINFO_TCP
    public static final int CTA_PROTOINFO_DCCP = 2; // CTA_PROTOINFO_DCCP
    public static final int CTA_PROTOINFO_SCTP = 3; // CTA_PROTOINFO_SCTP

    // enum ctattr_protoinfo_tcp
    public static final int CTA_PROTOINFO_TCP_UNSPEC = 0; // CTA_PROTOINFO_TCP_UNSPEC
    public static final int CTA_PROTOINFO_TCP_STATE = 1; // CTA_PROTOINFO_TCP_STATE
    public static final int CTA_PROTOINFO_TCP_WSCALE_ORIGINAL = 2; // CTA_PROTOINFO_TCP_WSCALE_ORIGINAL
    public static final int CTA_PROTOINFO_TCP_WSCALE_REPLY = 3; // CTA_PROTOINFO_TCP_WSCALE_REPLY
    public static final int CTA_PROTOINFO_TCP_FLAGS_ORIGINAL = 4; // CTA_PROTOINFO_TCP_FLAGS_ORIGINAL
    public static final int CTA_PROTOINFO_TCP_FLAGS_REPLY = 5; // CTA_PROTOINFO_TCP_FLAGS_REPLY

    // enum ctattr_protoinfo_dccp
    public static final int CTA_PROTOINFO_DCCP_UNSPEC = 0; // CTA_PROTOINFO_DCCP_UNSPEC
    public static final int CTA_PROTOINFO_DCCP_STATE = 1; // CTA_PROTOINFO_DCCP_STATE
    public static final int CTA_PROTOINFO_DCCP_ROLE = 2; // CTA_PROTOINFO_DCCP_ROLE
    public static final int CTA_PROTOINFO_DCCP_HANDSHAKE_SEQ = 3; // CTA_PROTOINFO_DCCP_HANDSHAKE_SEQ
    public static final int CTA_PROTOINFO_DCCP_PAD = 4; // CTA_PROTOINFO_DCCP_PAD

    // enum ctattr_protoinfo_sctp
    public static final int CTA_PROTOINFO_SCTP_UNSPEC = 0; // CTA_PROTOINFO_SCTP_UNSPEC
    public static final int CTA_PROTOINFO_SCTP_STATE = 1; // CTA_PROTOINFO_SCTP_STATE
    public static final int CTA_PROTOINFO_SCTP_VTAG_ORIGINAL = 2; // CTA_PROTOINFO_SCTP_VTAG_ORIGINAL
    public static final int CTA_PROTOINFO_SCTP_VTAG_REPLY = 3; // CTA_PROTOINFO_SCTP_VTAG_REPLY

    // enum ctattr_counters
    public static final int CTA_COUNTERS_UNSPEC = 0; // CTA_COUNTERS_UNSPEC
    public static final int CTA_COUNTERS_PACKETS = 1; // CTA_COUNTERS_PACKETS
    public static final int CTA_COUNTERS_BYTES = 2; // CTA_COUNTERS_BYTES
    public static final int CTA_COUNTERS32_PACKETS = 3; // CTA_COUNTERS32_PACKETS
    public static final int CTA_COUNTERS32_BYTES = 4; // CTA_COUNTERS32_BYTES
    public static final int CTA_COUNTERS_PAD = 5; // CTA_COUNTERS_PAD

    // enum ctattr_tstamp
    public static final int CTA_TIMESTAMP_UNSPEC = 0; // CTA_TIMESTAMP_UNSPEC
    public static final int CTA_TIMESTAMP_START = 1; // CTA_TIMESTAMP_START
    public static final int CTA_TIMESTAMP_STOP = 2; // CTA_TIMESTAMP_STOP
    public static final int CTA_TIMESTAMP_PAD = 3; // CTA_TIMESTAMP_PAD

    // enum ctattr_nat
    public static final int CTA_NAT_UNSPEC = 0; // CTA_NAT_UNSPEC
    public static final int CTA_NAT_V4_MINIP = 1; // CTA_NAT_V4_MINIP
    public static final int CTA_NAT_MINIP = CTA_NAT_V4_MINIP; // CTA_NAT_MINIP
    public static final int CTA_NAT_V4_MAXIP = 2; // CTA_NAT_V4_MAXIP
    public static final int CTA_NAT_MAXIP = CTA_NAT_V4_MAXIP; // CTA_NAT_MAXIP
    public static final int CTA_NAT_PROTO = 3; // CTA_NAT_PROTO
    public static final int CTA_NAT_V6_MINIP = 4; // CTA_NAT_V6_MINIP
    public static final int CTA_NAT_V6_MAXIP = 5; // CTA_NAT_V6_MAXIP

    // enum ctattr_protonat
    public static final int CTA_PROTONAT_UNSPEC = 0; // CTA_PROTONAT_UNSPEC
    public static final int CTA_PROTONAT_PORT_MIN = 1; // CTA_PROTONAT_PORT_MIN
    public static final int CTA_PROTONAT_PORT_MAX = 2; // CTA_PROTONAT_PORT_MAX

    // enum ctattr_seqadj
    public static final int CTA_SEQADJ_UNSPEC = 0; // CTA_SEQADJ_UNSPEC
    public static final int CTA_SEQADJ_CORRECTION_POS = 1; // CTA_SEQADJ_CORRECTION_POS
    public static final int CTA_SEQADJ_OFFSET_BEFORE = 2; // CTA_SEQADJ_OFFSET_BEFORE
    public static final int CTA_SEQADJ_OFFSET_AFTER = 3; // CTA_SEQADJ_OFFSET_AFTER

    // enum ctattr_natseq
    public static final int CTA_NAT_SEQ_UNSPEC = 0; // CTA_NAT_SEQ_UNSPEC
    public static final int CTA_NAT_SEQ_CORRECTION_POS = 1; // CTA_NAT_SEQ_CORRECTION_POS
    public static final int CTA_NAT_SEQ_OFFSET_BEFORE = 2; // CTA_NAT_SEQ_OFFSET_BEFORE
    public static final int CTA_NAT_SEQ_OFFSET_AFTER = 3; // CTA_NAT_SEQ_OFFSET_AFTER

    // enum ctattr_synproxy
    public static final int CTA_SYNPROXY_UNSPEC = 0; // CTA_SYNPROXY_UNSPEC
    public static final int CTA_SYNPROXY_ISN = 1; // CTA_SYNPROXY_ISN
    public static final int CTA_SYNPROXY_ITS = 2; // CTA_SYNPROXY_ITS
    public static final int CTA_SYNPROXY_TSOFF = 3; // CTA_SYNPROXY_TSOFF

    // enum ctattr_expect
    public static final int CTA_EXPECT_UNSPEC = 0; // CTA_EXPECT_UNSPEC
    public static final int CTA_EXPECT_MASTER = 1; // CTA_EXPECT_MASTER
    public static final int CTA_EXPECT_TUPLE = 2; // CTA_EXPECT_TUPLE
    public static final int CTA_EXPECT_MASK = 3; // CTA_EXPECT_MASK
    public static final int CTA_EXPECT_TIMEOUT = 4; // CTA_EXPECT_TIMEOUT
    public static final int CTA_EXPECT_ID = 5; // CTA_EXPECT_ID
    public static final int CTA_EXPECT_HELP_NAME = 6; // CTA_EXPECT_HELP_NAME
    public static final int CTA_EXPECT_ZONE = 7; // CTA_EXPECT_ZONE
    public static final int CTA_EXPECT_FLAGS = 8; // CTA_EXPECT_FLAGS
    public static final int CTA_EXPECT_CLASS = 9; // CTA_EXPECT_CLASS
    public static final int CTA_EXPECT_NAT = 10; // CTA_EXPECT_NAT
    public static final int CTA_EXPECT_FN = 11; // CTA_EXPECT_FN

    // enum ctattr_expect_nat
    public static final int CTA_EXPECT_NAT_UNSPEC = 0; // CTA_EXPECT_NAT_UNSPEC
    public static final int CTA_EXPECT_NAT_DIR = 1; // CTA_EXPECT_NAT_DIR
    public static final int CTA_EXPECT_NAT_TUPLE = 2; // CTA_EXPECT_NAT_TUPLE

    // enum ctattr_help
    public static final int CTA_HELP_UNSPEC = 0; // CTA_HELP_UNSPEC
    public static final int CTA_HELP_NAME = 1; // CTA_HELP_NAME
    public static final int CTA_HELP_INFO = 2; // CTA_HELP_INFO

    // enum ctattr_secctx
    public static final int CTA_SECCTX_UNSPEC = 0; // CTA_SECCTX_UNSPEC
    public static final int CTA_SECCTX_NAME = 1; // CTA_SECCTX_NAME

    // enum ctattr_stats_cpu
    public static final int CTA_STATS_UNSPEC = 0; // CTA_STATS_UNSPEC
    public static final int CTA_STATS_SEARCHED = 1; // CTA_STATS_SEARCHED
    public static final int CTA_STATS_FOUND = 2; // CTA_STATS_FOUND
    public static final int CTA_STATS_NEW = 3; // CTA_STATS_NEW
    public static final int CTA_STATS_INVALID = 4; // CTA_STATS_INVALID
    public static final int CTA_STATS_IGNORE = 5; // CTA_STATS_IGNORE
    public static final int CTA_STATS_DELETE = 6; // CTA_STATS_DELETE
    public static final int CTA_STATS_DELETE_LIST = 7; // CTA_STATS_DELETE_LIST
    public static final int CTA_STATS_INSERT = 8; // CTA_STATS_INSERT
    public static final int CTA_STATS_INSERT_FAILED = 9; // CTA_STATS_INSERT_FAILED
    public static final int CTA_STATS_DROP = 10; // CTA_STATS_DROP
    public static final int CTA_STATS_EARLY_DROP = 11; // CTA_STATS_EARLY_DROP
    public static final int CTA_STATS_ERROR = 12; // CTA_STATS_ERROR
    public static final int CTA_STATS_SEARCH_RESTART = 13; // CTA_STATS_SEARCH_RESTART
    public static final int CTA_STATS_CLASH_RESOLVE = 14; // CTA_STATS_CLASH_RESOLVE
    public static final int CTA_STATS_CHAIN_TOOLONG = 15; // CTA_STATS_CHAIN_TOOLONG

    // enum ctattr_stats_global
    public static final int CTA_STATS_GLOBAL_UNSPEC = 0; // CTA_STATS_GLOBAL_UNSPEC
    public static final int CTA_STATS_GLOBAL_ENTRIES = 1; // CTA_STATS_GLOBAL_ENTRIES
    public static final int CTA_STATS_GLOBAL_MAX_ENTRIES = 2; // CTA_STATS_GLOBAL_MAX_ENTRIES

    // enum ctattr_expect_stats
    public static final int CTA_STATS_EXP_UNSPEC = 0; // CTA_STATS_EXP_UNSPEC
    public static final int CTA_STATS_EXP_NEW = 1; // CTA_STATS_EXP_NEW
    public static final int CTA_STATS_EXP_CREATE = 2; // CTA_STATS_EXP_CREATE
    public static final int CTA_STATS_EXP_DELETE = 3; // CTA_STATS_EXP_DELETE

    // enum ctattr_filter
    public static final int CTA_FILTER_UNSPEC = 0; // CTA_FILTER_UNSPEC
    public static final int CTA_FILTER_ORIG_FLAGS = 1; // CTA_FILTER_ORIG_FLAGS
    public static final int CTA_FILTER_REPLY_FLAGS = 2; // CTA_FILTER_REPLY_FLAGS
}
