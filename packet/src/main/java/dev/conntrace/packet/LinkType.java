package dev.conntrace.packet;

/**
 * LINKTYPE_* numbers from the tcpdump.org link-layer header types registry (as stored in pcap
 * and pcapng files). An open set: any other number is carried as-is and decoded as "unknown".
 */
public final class LinkType {
    private LinkType() {}

    public static final int NULL = 0; // LINKTYPE_NULL: BSD loopback, family in host byte order
    public static final int ETHERNET = 1; // LINKTYPE_ETHERNET
    public static final int RAW_DLT12 = 12; // DLT_RAW as written by most BSDs and old libpcap
    public static final int RAW_DLT14 = 14; // DLT_RAW as written by OpenBSD
    public static final int RAW = 101; // LINKTYPE_RAW: raw IPv4 or IPv6
    public static final int LOOP = 108; // LINKTYPE_LOOP: OpenBSD loopback, family in network byte order
    public static final int LINUX_SLL = 113; // LINKTYPE_LINUX_SLL: Linux cooked capture v1
    public static final int IPV4 = 228; // LINKTYPE_IPV4
    public static final int IPV6 = 229; // LINKTYPE_IPV6
    public static final int NFLOG = 239; // LINKTYPE_NFLOG: Linux netfilter log
    public static final int LINUX_SLL2 = 276; // LINKTYPE_LINUX_SLL2: Linux cooked capture v2

    /** A short name for a link type, or "unknown(n)". */
    public static String name(int linkType) {
        return switch (linkType) {
            case NULL -> "null";
            case ETHERNET -> "ethernet";
            case RAW_DLT12, RAW_DLT14, RAW -> "raw";
            case LOOP -> "loop";
            case LINUX_SLL -> "linux-sll";
            case IPV4 -> "ipv4";
            case IPV6 -> "ipv6";
            case NFLOG -> "nflog";
            case LINUX_SLL2 -> "linux-sll2";
            default -> "unknown(" + linkType + ")";
        };
    }

    /** True if {@link PacketDecoder} understands this link type. */
    public static boolean isSupported(int linkType) {
        return !name(linkType).startsWith("unknown");
    }
}
