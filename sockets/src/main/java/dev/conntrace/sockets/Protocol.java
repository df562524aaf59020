package dev.conntrace.sockets;

/** The transport protocols whose sockets this module lists, with their IANA protocol numbers. */
public enum Protocol {
    /** TCP. */
    TCP(6), // IPPROTO_TCP
    /** UDP. */
    UDP(17); // IPPROTO_UDP

    private final int number;

    Protocol(int number) {
        this.number = number;
    }

    /** The IP protocol number ({@code IPPROTO_*}). */
    public int number() {
        return number;
    }

    /** Lower-case name as used in /proc/net file names and JSON ("tcp", "udp"). */
    public String label() {
        return this == TCP ? "tcp" : "udp";
    }
}
