package dev.conntrace.packet;

/** IP protocol / IPv6 next-header numbers (IANA, {@code <linux/in.h>}, {@code <linux/in6.h>}). */
public final class IpProtocol {
    private IpProtocol() {}

    public static final int HOPOPTS = 0; // IPPROTO_HOPOPTS
    public static final int ICMP = 1; // IPPROTO_ICMP
    public static final int TCP = 6; // IPPROTO_TCP
    public static final int UDP = 17; // IPPROTO_UDP
    public static final int ROUTING = 43; // IPPROTO_ROUTING
    public static final int FRAGMENT = 44; // IPPROTO_FRAGMENT
    public static final int ESP = 50; // IPPROTO_ESP
    public static final int AH = 51; // IPPROTO_AH
    public static final int ICMPV6 = 58; // IPPROTO_ICMPV6
    public static final int NONE = 59; // IPPROTO_NONE
    public static final int DSTOPTS = 60; // IPPROTO_DSTOPTS
    public static final int MOBILITY = 135; // IPPROTO_MH
    public static final int HIP = 139; // Host Identity Protocol (RFC 7401)
    public static final int SHIM6 = 140; // Shim6 (RFC 5533)

    /** A short name for a protocol number, or "unknown(n)". */
    public static String name(int protocol) {
        return switch (protocol) {
            case ICMP -> "icmp";
            case TCP -> "tcp";
            case UDP -> "udp";
            case ESP -> "esp";
            case AH -> "ah";
            case ICMPV6 -> "icmpv6";
            case NONE -> "none";
            default -> "unknown(" + protocol + ")";
        };
    }
}
