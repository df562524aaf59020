package dev.conntrace.netlink.netfilter;

/**
 * nfnetlink constants, transliterated from {@code /usr/include/linux/netfilter/nfnetlink.h} (subsystems,
 * multicast groups, version) and {@code nfnetlink_conntrack.h} (ctnetlink message types), with the C
 * name beside each, and the message-type composition {@code subsys << 8 | msg}.
 */
public final class Nfnetlink {
    private Nfnetlink() {}

    public static final int NFNETLINK_V0 = 0; // NFNETLINK_V0

    // Subsystem ids.
    public static final int NFNL_SUBSYS_NONE = 0; // NFNL_SUBSYS_NONE
    public static final int NFNL_SUBSYS_CTNETLINK = 1; // NFNL_SUBSYS_CTNETLINK
    public static final int NFNL_SUBSYS_CTNETLINK_EXP = 2; // NFNL_SUBSYS_CTNETLINK_EXP
    public static final int NFNL_SUBSYS_QUEUE = 3; // NFNL_SUBSYS_QUEUE
    public static final int NFNL_SUBSYS_ULOG = 4; // NFNL_SUBSYS_ULOG
    public static final int NFNL_SUBSYS_OSF = 5; // NFNL_SUBSYS_OSF
    public static final int NFNL_SUBSYS_IPSET = 6; // NFNL_SUBSYS_IPSET
    public static final int NFNL_SUBSYS_ACCT = 7; // NFNL_SUBSYS_ACCT
    public static final int NFNL_SUBSYS_CTNETLINK_TIMEOUT = 8; // NFNL_SUBSYS_CTNETLINK_TIMEOUT
    public static final int NFNL_SUBSYS_CTHELPER = 9; // NFNL_SUBSYS_CTHELPER
    public static final int NFNL_SUBSYS_NFTABLES = 10; // NFNL_SUBSYS_NFTABLES
    public static final int NFNL_SUBSYS_NFT_COMPAT = 11; // NFNL_SUBSYS_NFT_COMPAT
    public static final int NFNL_SUBSYS_HOOK = 12; // NFNL_SUBSYS_HOOK

    // enum nfnetlink_groups: multicast groups.
    public static final int NFNLGRP_NONE = 0; // NFNLGRP_NONE
    public static final int NFNLGRP_CONNTRACK_NEW = 1; // NFNLGRP_CONNTRACK_NEW
    public static final int NFNLGRP_CONNTRACK_UPDATE = 2; // NFNLGRP_CONNTRACK_UPDATE
    public static final int NFNLGRP_CONNTRACK_DESTROY = 3; // NFNLGRP_CONNTRACK_DESTROY
    public static final int NFNLGRP_CONNTRACK_EXP_NEW = 4; // NFNLGRP_CONNTRACK_EXP_NEW
    public static final int NFNLGRP_CONNTRACK_EXP_UPDATE = 5; // NFNLGRP_CONNTRACK_EXP_UPDATE
    public static final int NFNLGRP_CONNTRACK_EXP_DESTROY = 6; // NFNLGRP_CONNTRACK_EXP_DESTROY
    public static final int NFNLGRP_NFTABLES = 7; // NFNLGRP_NFTABLES
    public static final int NFNLGRP_ACCT_QUOTA = 8; // NFNLGRP_ACCT_QUOTA
    public static final int NFNLGRP_NFTRACE = 9; // NFNLGRP_NFTRACE

    // enum cntl_msg_types (nfnetlink_conntrack.h).
    public static final int IPCTNL_MSG_CT_NEW = 0; // IPCTNL_MSG_CT_NEW
    public static final int IPCTNL_MSG_CT_GET = 1; // IPCTNL_MSG_CT_GET
    public static final int IPCTNL_MSG_CT_DELETE = 2; // IPCTNL_MSG_CT_DELETE
    public static final int IPCTNL_MSG_CT_GET_CTRZERO = 3; // IPCTNL_MSG_CT_GET_CTRZERO
    public static final int IPCTNL_MSG_CT_GET_STATS_CPU = 4; // IPCTNL_MSG_CT_GET_STATS_CPU
    public static final int IPCTNL_MSG_CT_GET_STATS = 5; // IPCTNL_MSG_CT_GET_STATS
    public static final int IPCTNL_MSG_CT_GET_DYING = 6; // IPCTNL_MSG_CT_GET_DYING
    public static final int IPCTNL_MSG_CT_GET_UNCONFIRMED = 7; // IPCTNL_MSG_CT_GET_UNCONFIRMED

    /** {@code subsystem << 8 | message}: the {@code nlmsg_type} of an nfnetlink message. */
    public static int type(int subsystem, int message) {
        if (subsystem < 0 || subsystem > 0xFF || message < 0 || message > 0xFF) {
            throw new IllegalArgumentException("subsystem " + subsystem + " / message " + message + " outside 0..255");
        }
        return subsystem << 8 | message;
    }

    /** {@code NFNL_SUBSYS_ID(type)}: the subsystem of an {@code nlmsg_type}. */
    public static int subsystem(int type) {
        return (type & 0xFF00) >> 8;
    }

    /** {@code NFNL_MSG_TYPE(type)}: the subsystem's message number of an {@code nlmsg_type}. */
    public static int message(int type) {
        return type & 0x00FF;
    }
}
