package dev.conntrace.packet;

import java.lang.foreign.MemorySegment;

/**
 * Decodes a captured packet in place: link layer (Ethernet with 802.1Q/802.1ad tags, MPLS,
 * PPPoE session; Linux cooked v1/v2; raw IP; BSD loopback; NFLOG), IPv4/IPv6 and TCP/UDP/ICMP.
 *
 * <p>Never throws on packet bytes and allocates nothing: every outcome, including unknown link
 * types, non-IP protocols, truncation and malformed headers, is recorded in the
 * {@link DecodedPacket}. Loops over tags, labels, TLVs, extension headers and options are bounded.
 * Stateless and thread-safe; the {@code DecodedPacket} is not.
 */
public final class PacketDecoder {
    private PacketDecoder() {}

    /** VLAN tags, MPLS labels and PPPoE headers met before giving up on a frame. */
    static final int MAX_ENCAPSULATIONS = 16;
    /** NFLOG TLVs walked before giving up. */
    static final int MAX_NFLOG_TLVS = 64;

    // Linux address families seen in loopback and NFLOG headers
    static final int AF_INET = 2; // AF_INET
    static final int AF_INET6_LINUX = 10; // AF_INET6 on Linux
    static final int AF_INET6_BSD = 24; // AF_INET6 on NetBSD, OpenBSD, BSD/OS
    static final int AF_INET6_FREEBSD = 28; // AF_INET6 on FreeBSD, DragonFly
    static final int AF_INET6_DARWIN = 30; // AF_INET6 on macOS, iOS

    static final int NFULA_PAYLOAD = 9; // NFULA_PAYLOAD from <linux/netfilter/nfnetlink_log.h>

    /**
     * Decodes {@code data[offset .. offset + captureLength)} as a packet of {@code linkType} into {@code out}.
     *
     * @param originalLength the length on the wire (informational)
     * @return true if an IP header was decoded (its addresses are valid), even if a later layer was cut
     */
    public static boolean decode(int linkType, MemorySegment data, long offset, int captureLength,
            int originalLength, DecodedPacket out) {
        out.reset(linkType, data, offset, captureLength, originalLength);
        if (captureLength < 0 || offset < 0 || offset + captureLength > data.byteSize()) {
            out.problem(DecodeStatus.MALFORMED, Layer.LINK);
            return false;
        }
        long end = offset + captureLength;
        return switch (linkType) {
            case LinkType.ETHERNET -> ethernet(data, offset, end, out);
            case LinkType.RAW, LinkType.RAW_DLT12, LinkType.RAW_DLT14 -> rawIp(data, offset, end, out);
            case LinkType.IPV4 -> NetworkDecoder.ipv4(data, offset, end, out);
            case LinkType.IPV6 -> NetworkDecoder.ipv6(data, offset, end, out);
            case LinkType.NULL, LinkType.LOOP -> loopback(data, offset, end, out);
            case LinkType.LINUX_SLL -> cooked(data, offset, end, 16, offset + 14, out);
            case LinkType.LINUX_SLL2 -> cooked(data, offset, end, 20, offset, out);
            case LinkType.NFLOG -> nflog(data, offset, end, out);
            default -> {
                out.unknownCode = linkType;
                out.problem(DecodeStatus.UNKNOWN_LINK_TYPE, Layer.LINK);
                yield false;
            }
        };
    }

    private static boolean truncatedLink(DecodedPacket out) {
        out.problem(DecodeStatus.TRUNCATED, Layer.LINK);
        return false;
    }

    private static boolean notIp(int code, DecodedPacket out) {
        out.unknownCode = code;
        out.problem(DecodeStatus.NOT_IP, Layer.LINK);
        return false;
    }

    private static int u16(MemorySegment d, long p) {
        return d.get(Bytes.U16, p) & 0xFFFF;
    }

    private static int u8(MemorySegment d, long p) {
        return d.get(Bytes.U8, p) & 0xFF;
    }

    static boolean ethernet(MemorySegment d, long p, long end, DecodedPacket out) {
        if (end - p < 14) {
            return truncatedLink(out);
        }
        int type = u16(d, p + 12);
        p += 14;
        if (type <= 1500) { // IEEE 802.3 length field: only LLC/SNAP carries an EtherType
            if (end - p < 8) {
                return truncatedLink(out);
            }
            if (u16(d, p) != 0xAAAA || u8(d, p + 2) != 0x03) {
                return notIp(type, out);
            }
            type = u16(d, p + 6);
            p += 8;
        }
        return etherType(d, p, end, type, out);
    }

    /** Follows an EtherType through VLAN tags, MPLS labels and PPPoE to IP. */
    static boolean etherType(MemorySegment d, long p, long end, int type, DecodedPacket out) {
        for (int hops = 0; hops < MAX_ENCAPSULATIONS; hops++) {
            out.networkProtocol = type;
            switch (type) {
                case EtherType.IPV4:
                    return NetworkDecoder.ipv4(d, p, end, out);
                case EtherType.IPV6:
                    return NetworkDecoder.ipv6(d, p, end, out);
                case EtherType.VLAN, EtherType.QINQ, EtherType.QINQ_OLD:
                    if (end - p < 4) {
                        return truncatedLink(out);
                    }
                    if (out.vlanCount < DecodedPacket.MAX_VLAN_IDS) {
                        out.vlanIds[out.vlanCount] = u16(d, p) & 0x0FFF;
                    }
                    out.vlanCount++;
                    type = u16(d, p + 2);
                    p += 4;
                    break;
                case EtherType.MPLS_UNICAST, EtherType.MPLS_MULTICAST:
                    return mpls(d, p, end, out);
                case EtherType.PPPOE_SESSION:
                    if (end - p < 8) {
                        return truncatedLink(out);
                    }
                    int ppp = u16(d, p + 6);
                    p += 8;
                    if (ppp == 0x0021) { // PPP_IP
                        type = EtherType.IPV4;
                    } else if (ppp == 0x0057) { // PPP_IPV6
                        type = EtherType.IPV6;
                    } else {
                        return notIp(type, out);
                    }
                    break;
                default:
                    return notIp(type, out);
            }
        }
        out.problem(DecodeStatus.MALFORMED, Layer.LINK);
        return false;
    }

    private static boolean mpls(MemorySegment d, long p, long end, DecodedPacket out) {
        for (int i = 0; i < MAX_ENCAPSULATIONS; i++) {
            if (end - p < 4) {
                return truncatedLink(out);
            }
            int entry = d.get(Bytes.I32, p);
            out.mplsCount++;
            p += 4;
            if ((entry & 0x100) != 0) { // bottom of stack: the payload has no type, guess by version nibble
                if (p >= end) {
                    return truncatedLink(out);
                }
                return rawIp(d, p, end, out);
            }
        }
        out.problem(DecodeStatus.MALFORMED, Layer.LINK);
        return false;
    }

    static boolean rawIp(MemorySegment d, long p, long end, DecodedPacket out) {
        if (p >= end) {
            return truncatedLink(out);
        }
        int version = u8(d, p) >>> 4;
        if (version == 4) {
            out.networkProtocol = EtherType.IPV4;
            return NetworkDecoder.ipv4(d, p, end, out);
        }
        if (version == 6) {
            out.networkProtocol = EtherType.IPV6;
            return NetworkDecoder.ipv6(d, p, end, out);
        }
        return notIp(version, out);
    }

    /** DLT_NULL (host byte order) and DLT_LOOP (network byte order): a 4-byte address family; either order is accepted. */
    private static boolean loopback(MemorySegment d, long p, long end, DecodedPacket out) {
        if (end - p < 4) {
            return truncatedLink(out);
        }
        int family = d.get(Bytes.I32, p);
        if ((family & 0xFFFF0000) != 0) {
            family = Integer.reverseBytes(family);
        }
        p += 4;
        return switch (family) {
            case AF_INET -> {
                out.networkProtocol = EtherType.IPV4;
                yield NetworkDecoder.ipv4(d, p, end, out);
            }
            case AF_INET6_LINUX, AF_INET6_BSD, AF_INET6_FREEBSD, AF_INET6_DARWIN -> {
                out.networkProtocol = EtherType.IPV6;
                yield NetworkDecoder.ipv6(d, p, end, out);
            }
            default -> notIp(family, out);
        };
    }

    /** Linux cooked capture: v1 has the protocol at byte 14 of 16, v2 at byte 0 of 20. */
    private static boolean cooked(MemorySegment d, long p, long end, int headerLength, long protocolAt,
            DecodedPacket out) {
        if (end - p < headerLength) {
            return truncatedLink(out);
        }
        return etherType(d, p + headerLength, end, u16(d, protocolAt), out);
    }

    /**
     * NFLOG: family, version, resource id, then TLVs of (length, type) in host byte order (little
     * endian here; big-endian lengths are recognised when little-endian ones do not fit).
     */
    private static boolean nflog(MemorySegment d, long p, long end, DecodedPacket out) {
        if (end - p < 8) {
            return truncatedLink(out);
        }
        int family = u8(d, p);
        long q = p + 4;
        int firstLe = d.get(Bytes.U16_LE, q) & 0xFFFF;
        boolean bigEndian = (firstLe < 4 || q + firstLe > end) && u16(d, q) >= 4 && q + u16(d, q) <= end;
        for (int i = 0; i < MAX_NFLOG_TLVS && end - q >= 4; i++) {
            int len = bigEndian ? u16(d, q) : d.get(Bytes.U16_LE, q) & 0xFFFF;
            int type = (bigEndian ? u16(d, q + 2) : d.get(Bytes.U16_LE, q + 2) & 0xFFFF) & 0x7FFF;
            if (len < 4) {
                out.problem(DecodeStatus.MALFORMED, Layer.LINK);
                return false;
            }
            if (type == NFULA_PAYLOAD) {
                long payload = q + 4;
                long payloadEnd = Math.min(q + len, end);
                if (family == AF_INET) {
                    out.networkProtocol = EtherType.IPV4;
                    return NetworkDecoder.ipv4(d, payload, payloadEnd, out);
                }
                if (family == AF_INET6_LINUX) {
                    out.networkProtocol = EtherType.IPV6;
                    return NetworkDecoder.ipv6(d, payload, payloadEnd, out);
                }
                return rawIp(d, payload, payloadEnd, out);
            }
            q += (len + 3) & ~3;
        }
        if (q >= end || end - q < 4) {
            return truncatedLink(out); // no payload TLV within the captured bytes
        }
        out.problem(DecodeStatus.MALFORMED, Layer.LINK); // more TLVs than any real NFLOG message has
        return false;
    }
}
