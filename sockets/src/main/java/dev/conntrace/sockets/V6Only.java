package dev.conntrace.sockets;

/**
 * Whether an IPv6 socket refuses IPv4-mapped peers ({@code IPV6_V6ONLY}). /proc/net shows a
 * V6ONLY listener on {@code ::} and a dual-stack one identically, so rows read from there say
 * {@link #UNKNOWN}; sock_diag reports it ({@code INET_DIAG_SKV6ONLY}).
 */
public enum V6Only {
    /** The source cannot tell (/proc/net), or the socket is IPv4. */
    UNKNOWN,
    /** {@code IPV6_V6ONLY} is set: only IPv6 peers. */
    V6_ONLY,
    /** Dual stack: IPv4 peers arrive as {@code ::ffff:a.b.c.d}. */
    DUAL_STACK
}
