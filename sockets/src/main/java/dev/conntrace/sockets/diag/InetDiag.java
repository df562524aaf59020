package dev.conntrace.sockets.diag;

/**
 * Constants of sock_diag and inet_diag, transliterated from {@code <linux/sock_diag.h>},
 * {@code <linux/inet_diag.h>} and {@code <linux/netlink.h>}, with the C names beside them.
 */
public final class InetDiag {
    private InetDiag() {}

    public static final int NETLINK_SOCK_DIAG = 4; // NETLINK_SOCK_DIAG (linux/netlink.h)
    public static final int SOCK_DIAG_BY_FAMILY = 20; // SOCK_DIAG_BY_FAMILY (linux/sock_diag.h)

    /** sizeof(struct inet_diag_req_v2). */
    public static final int REQ_V2_SIZE = 56;
    /** sizeof(struct inet_diag_msg). */
    public static final int MSG_SIZE = 72;
    /** sizeof(struct inet_diag_meminfo). */
    public static final int MEMINFO_SIZE = 16;

    // struct inet_diag_msg field offsets
    static final int MSG_FAMILY = 0; // idiag_family
    static final int MSG_STATE = 1; // idiag_state
    static final int MSG_TIMER = 2; // idiag_timer
    static final int MSG_RETRANS = 3; // idiag_retrans
    static final int MSG_SPORT = 4; // id.idiag_sport (__be16)
    static final int MSG_DPORT = 6; // id.idiag_dport (__be16)
    static final int MSG_SRC = 8; // id.idiag_src (__be32[4])
    static final int MSG_DST = 24; // id.idiag_dst (__be32[4])
    static final int MSG_IF = 40; // id.idiag_if
    static final int MSG_COOKIE = 44; // id.idiag_cookie[2]
    static final int MSG_EXPIRES = 52; // idiag_expires
    static final int MSG_RQUEUE = 56; // idiag_rqueue
    static final int MSG_WQUEUE = 60; // idiag_wqueue
    static final int MSG_UID = 64; // idiag_uid
    static final int MSG_INODE = 68; // idiag_inode

    // Extensions (enum in linux/inet_diag.h)
    public static final int INET_DIAG_NONE = 0; // INET_DIAG_NONE
    public static final int INET_DIAG_MEMINFO = 1; // INET_DIAG_MEMINFO
    public static final int INET_DIAG_INFO = 2; // INET_DIAG_INFO
    public static final int INET_DIAG_VEGASINFO = 3; // INET_DIAG_VEGASINFO
    public static final int INET_DIAG_CONG = 4; // INET_DIAG_CONG
    public static final int INET_DIAG_TOS = 5; // INET_DIAG_TOS
    public static final int INET_DIAG_TCLASS = 6; // INET_DIAG_TCLASS
    public static final int INET_DIAG_SKMEMINFO = 7; // INET_DIAG_SKMEMINFO
    public static final int INET_DIAG_SHUTDOWN = 8; // INET_DIAG_SHUTDOWN
    public static final int INET_DIAG_DCTCPINFO = 9; // INET_DIAG_DCTCPINFO
    public static final int INET_DIAG_PROTOCOL = 10; // INET_DIAG_PROTOCOL
    public static final int INET_DIAG_SKV6ONLY = 11; // INET_DIAG_SKV6ONLY
    public static final int INET_DIAG_LOCALS = 12; // INET_DIAG_LOCALS
    public static final int INET_DIAG_PEERS = 13; // INET_DIAG_PEERS
    public static final int INET_DIAG_PAD = 14; // INET_DIAG_PAD
    public static final int INET_DIAG_MARK = 15; // INET_DIAG_MARK
    public static final int INET_DIAG_BBRINFO = 16; // INET_DIAG_BBRINFO
    public static final int INET_DIAG_CLASS_ID = 17; // INET_DIAG_CLASS_ID
    public static final int INET_DIAG_MD5SIG = 18; // INET_DIAG_MD5SIG
    public static final int INET_DIAG_ULP_INFO = 19; // INET_DIAG_ULP_INFO
    public static final int INET_DIAG_SK_BPF_STORAGES = 20; // INET_DIAG_SK_BPF_STORAGES
    public static final int INET_DIAG_CGROUP_ID = 21; // INET_DIAG_CGROUP_ID
    public static final int INET_DIAG_SOCKOPT = 22; // INET_DIAG_SOCKOPT

    /** The {@code idiag_ext} bit requesting extension {@code ext} (1..8). */
    public static int extBit(int ext) {
        if (ext < 1 || ext > 8) {
            throw new IllegalArgumentException("extension " + ext + " cannot be requested in idiag_ext");
        }
        return 1 << (ext - 1);
    }

    /** {@code idiag_cookie} words meaning "do not check the cookie". */
    public static final int INET_DIAG_NOCOOKIE = ~0; // INET_DIAG_NOCOOKIE (~0U)

    /** {@code idiag_states} selecting every state. */
    public static final int ALL_STATES = 0xFFFF_FFFF;
}
