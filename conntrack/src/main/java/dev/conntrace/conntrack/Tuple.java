package dev.conntrace.conntrack;

import dev.conntrace.sys.IpAddress;
import java.util.Objects;

/**
 * One direction of a connection: addresses, L4 protocol and its identifiers
 * ({@code CTA_TUPLE_IP}, {@code CTA_TUPLE_PROTO}, {@code CTA_TUPLE_ZONE} in
 * {@code linux/netfilter/nfnetlink_conntrack.h}).
 *
 * <p>For TCP, UDP, UDP-Lite, SCTP and DCCP the ports are set; for GRE they hold the keys (as the
 * kernel puts them in the port attributes); for ICMP and ICMPv6 id, type and code are set. Fields that
 * do not apply are 0.
 *
 * @param source source address
 * @param destination destination address, of the same family as {@code source}
 * @param protocol L4 protocol
 * @param sourcePort source port (or GRE key), 0..65535
 * @param destinationPort destination port (or GRE key), 0..65535
 * @param icmpId ICMP/ICMPv6 identifier, 0..65535
 * @param icmpType ICMP/ICMPv6 type, 0..255
 * @param icmpCode ICMP/ICMPv6 code, 0..255
 * @param zone the direction-specific zone id, or {@link #NO_ZONE} when the tuple carries none
 */
public record Tuple(
        IpAddress source,
        IpAddress destination,
        L4Protocol protocol,
        int sourcePort,
        int destinationPort,
        int icmpId,
        int icmpType,
        int icmpCode,
        int zone) {

    /** The {@link #zone()} of a tuple without {@code CTA_TUPLE_ZONE}. */
    public static final int NO_ZONE = -1;

    public Tuple {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(protocol, "protocol");
        if (source.v6() != destination.v6()) {
            throw new IllegalArgumentException("tuple mixes IPv4 and IPv6: " + source + " -> " + destination);
        }
        check("sourcePort", sourcePort, 0xFFFF);
        check("destinationPort", destinationPort, 0xFFFF);
        check("icmpId", icmpId, 0xFFFF);
        check("icmpType", icmpType, 0xFF);
        check("icmpCode", icmpCode, 0xFF);
        if (zone != NO_ZONE) {
            check("zone", zone, 0xFFFF);
        }
    }

    private static void check(String what, int value, int max) {
        if (value < 0 || value > max) {
            throw new IllegalArgumentException(what + " " + value + " is outside 0.." + max);
        }
    }

    /** A TCP tuple. */
    public static Tuple tcp(IpAddress src, int sport, IpAddress dst, int dport) {
        return ports(L4Protocol.TCP, src, sport, dst, dport);
    }

    /** A UDP tuple. */
    public static Tuple udp(IpAddress src, int sport, IpAddress dst, int dport) {
        return ports(L4Protocol.UDP, src, sport, dst, dport);
    }

    /** A tuple of a protocol with ports (TCP, UDP, SCTP, DCCP, UDP-Lite) or GRE keys. */
    public static Tuple ports(L4Protocol protocol, IpAddress src, int sport, IpAddress dst, int dport) {
        return new Tuple(src, dst, protocol, sport, dport, 0, 0, 0, NO_ZONE);
    }

    /** An ICMP tuple (ICMPv6 when the addresses are IPv6). */
    public static Tuple icmp(IpAddress src, IpAddress dst, int id, int type, int code) {
        return new Tuple(src, dst, src.v6() ? L4Protocol.ICMPV6 : L4Protocol.ICMP, 0, 0, id, type, code, NO_ZONE);
    }

    /** A tuple with addresses and protocol only (protocols with no identifiers). */
    public static Tuple of(L4Protocol protocol, IpAddress src, IpAddress dst) {
        return new Tuple(src, dst, protocol, 0, 0, 0, 0, 0, NO_ZONE);
    }

    /** True for IPv6 tuples. */
    public boolean isIpv6() {
        return source.v6();
    }

    /** True when the tuple carries a direction-specific zone. */
    public boolean hasZone() {
        return zone != NO_ZONE;
    }

    /** This tuple with a direction-specific zone ({@link #NO_ZONE} to drop it). */
    public Tuple withZone(int newZone) {
        return new Tuple(source, destination, protocol, sourcePort, destinationPort, icmpId, icmpType, icmpCode, newZone);
    }

    /** Same addresses, protocol and identifiers, ignoring the zone. */
    public boolean sameEndpoints(Tuple o) {
        return source.equals(o.source) && destination.equals(o.destination) && protocol.equals(o.protocol)
                && sourcePort == o.sourcePort && destinationPort == o.destinationPort && icmpId == o.icmpId
                && icmpType == o.icmpType && icmpCode == o.icmpCode;
    }

    /** {@code src=.. dst=.. sport=.. dport=..} as conntrack prints it. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        sb.append(protocol.name()).append(" src=").append(source).append(" dst=").append(destination);
        if (protocol.hasPorts()) {
            sb.append(" sport=").append(sourcePort).append(" dport=").append(destinationPort);
        } else if (protocol.isIcmp()) {
            sb.append(" type=").append(icmpType).append(" code=").append(icmpCode).append(" id=").append(icmpId);
        } else if (protocol.equals(L4Protocol.GRE)) {
            sb.append(" srckey=0x").append(Integer.toHexString(sourcePort))
                    .append(" dstkey=0x").append(Integer.toHexString(destinationPort));
        }
        if (hasZone()) {
            sb.append(" zone=").append(zone);
        }
        return sb.toString();
    }
}
