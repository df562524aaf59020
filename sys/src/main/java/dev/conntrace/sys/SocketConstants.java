package dev.conntrace.sys;

/**
 * Socket constants for {@link Libc}: address families, socket types, option levels and names, message
 * flags and netlink protocols/options. Transliterated from {@code <bits/socket.h>},
 * {@code <bits/socket_type.h>}, {@code /usr/include/asm-generic/socket.h} and
 * {@code /usr/include/linux/netlink.h}; the C name is beside each.
 */
public final class SocketConstants {
    private SocketConstants() {}

    // Address families (bits/socket.h).
    public static final int AF_UNSPEC = 0; // AF_UNSPEC
    public static final int AF_UNIX = 1; // AF_UNIX
    public static final int AF_INET = 2; // AF_INET
    public static final int AF_INET6 = 10; // AF_INET6
    public static final int AF_NETLINK = 16; // AF_NETLINK
    public static final int AF_PACKET = 17; // AF_PACKET

    // Socket types and creation flags (bits/socket_type.h).
    public static final int SOCK_STREAM = 1; // SOCK_STREAM
    public static final int SOCK_DGRAM = 2; // SOCK_DGRAM
    public static final int SOCK_RAW = 3; // SOCK_RAW
    public static final int SOCK_NONBLOCK = 0x800; // SOCK_NONBLOCK (04000)
    public static final int SOCK_CLOEXEC = 0x80000; // SOCK_CLOEXEC (02000000)

    // Option levels.
    public static final int SOL_SOCKET = 1; // SOL_SOCKET
    public static final int SOL_NETLINK = 270; // SOL_NETLINK

    // SOL_SOCKET options (asm-generic/socket.h; 64-bit time_t).
    public static final int SO_REUSEADDR = 2; // SO_REUSEADDR
    public static final int SO_ERROR = 4; // SO_ERROR
    public static final int SO_SNDBUF = 7; // SO_SNDBUF
    public static final int SO_RCVBUF = 8; // SO_RCVBUF
    public static final int SO_RCVTIMEO = 20; // SO_RCVTIMEO (SO_RCVTIMEO_OLD, struct timeval)
    public static final int SO_SNDTIMEO = 21; // SO_SNDTIMEO (SO_SNDTIMEO_OLD, struct timeval)
    public static final int SO_SNDBUFFORCE = 32; // SO_SNDBUFFORCE
    public static final int SO_RCVBUFFORCE = 33; // SO_RCVBUFFORCE
    public static final int SO_PROTOCOL = 38; // SO_PROTOCOL
    public static final int SO_DOMAIN = 39; // SO_DOMAIN

    // Message flags (bits/socket.h).
    public static final int MSG_OOB = 0x01; // MSG_OOB
    public static final int MSG_PEEK = 0x02; // MSG_PEEK
    public static final int MSG_CTRUNC = 0x08; // MSG_CTRUNC
    public static final int MSG_TRUNC = 0x20; // MSG_TRUNC
    public static final int MSG_DONTWAIT = 0x40; // MSG_DONTWAIT
    public static final int MSG_WAITALL = 0x100; // MSG_WAITALL
    public static final int MSG_ERRQUEUE = 0x2000; // MSG_ERRQUEUE
    public static final int MSG_NOSIGNAL = 0x4000; // MSG_NOSIGNAL
    public static final int MSG_CMSG_CLOEXEC = 0x40000000; // MSG_CMSG_CLOEXEC

    // Netlink protocols (linux/netlink.h).
    public static final int NETLINK_ROUTE = 0; // NETLINK_ROUTE
    public static final int NETLINK_SOCK_DIAG = 4; // NETLINK_SOCK_DIAG (NETLINK_INET_DIAG)
    public static final int NETLINK_NETFILTER = 12; // NETLINK_NETFILTER
    public static final int NETLINK_GENERIC = 16; // NETLINK_GENERIC

    // SOL_NETLINK options (linux/netlink.h).
    public static final int NETLINK_ADD_MEMBERSHIP = 1; // NETLINK_ADD_MEMBERSHIP
    public static final int NETLINK_DROP_MEMBERSHIP = 2; // NETLINK_DROP_MEMBERSHIP
    public static final int NETLINK_PKTINFO = 3; // NETLINK_PKTINFO
    public static final int NETLINK_BROADCAST_ERROR = 4; // NETLINK_BROADCAST_ERROR
    public static final int NETLINK_NO_ENOBUFS = 5; // NETLINK_NO_ENOBUFS
    public static final int NETLINK_LISTEN_ALL_NSID = 8; // NETLINK_LISTEN_ALL_NSID
    public static final int NETLINK_LIST_MEMBERSHIPS = 9; // NETLINK_LIST_MEMBERSHIPS
    public static final int NETLINK_CAP_ACK = 10; // NETLINK_CAP_ACK
    public static final int NETLINK_EXT_ACK = 11; // NETLINK_EXT_ACK
    public static final int NETLINK_GET_STRICT_CHK = 12; // NETLINK_GET_STRICT_CHK

    /** {@code sizeof(struct sockaddr_nl)}: family u16, pad u16, nl_pid u32, nl_groups u32. */
    public static final int SOCKADDR_NL_SIZE = 12;
}
