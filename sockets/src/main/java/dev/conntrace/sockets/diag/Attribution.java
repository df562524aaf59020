package dev.conntrace.sockets.diag;

/** How a lookup tied a 5-tuple to a socket. */
public enum Attribution {
    /** The connected socket with exactly this 5-tuple. */
    EXACT_SOCKET,
    /**
     * No connected socket: the TCP socket listening on the local port (for TCP a miss of an exact
     * get returns the listener), or the bound, unconnected UDP socket that receives the datagram,
     * seen for the first time with this peer.
     */
    LISTENER,
    /** A bound, unconnected UDP socket, with the direction remembered from the first datagram of this peer. */
    REMEMBERED_UDP_DIRECTION,
    /** An IPv4 tuple carried by a dual-stack IPv6 socket (as {@code ::ffff:a.b.c.d}). */
    V4_MAPPED,
    /** No socket. */
    NOT_FOUND
}
