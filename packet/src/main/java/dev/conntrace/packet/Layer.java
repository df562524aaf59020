package dev.conntrace.packet;

/** The layers of a decoded packet, used to say where a packet was cut short or malformed. */
public enum Layer {
    /** The link-layer header (Ethernet, VLAN, MPLS, cooked, loopback, NFLOG). */
    LINK,
    /** The IPv4 or IPv6 header including IPv6 extension headers. */
    NETWORK,
    /** The TCP, UDP, ICMP or ICMPv6 header. */
    TRANSPORT,
    /** The transport payload. */
    PAYLOAD
}
