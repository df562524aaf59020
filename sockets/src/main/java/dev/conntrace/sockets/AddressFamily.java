package dev.conntrace.sockets;

/** The address family of a socket, with the Linux {@code AF_*} numbers from {@code <sys/socket.h>}. */
public enum AddressFamily {
    /** IPv4 sockets. */
    INET(2), // AF_INET
    /** IPv6 sockets (which may carry IPv4-mapped peers). */
    INET6(10); // AF_INET6

    private final int number;

    AddressFamily(int number) {
        this.number = number;
    }

    /** The {@code AF_*} constant. */
    public int number() {
        return number;
    }

    /** "inet" or "inet6". */
    public String label() {
        return this == INET ? "inet" : "inet6";
    }
}
