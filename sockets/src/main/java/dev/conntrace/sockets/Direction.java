package dev.conntrace.sockets;

/** Who started a connection, seen from this host. */
public enum Direction {
    /** A peer connected to a port this host listens on (or first sent to a bound UDP port). */
    INCOMING,
    /** This host connected out (or sent the first UDP datagram). */
    OUTGOING,
    /** Both ends are on this host (loopback or one of its own addresses). */
    LOCAL,
    /** Not known. */
    UNKNOWN
}
