package dev.conntrace.conntrack;

/**
 * What one tuple of a flow must look like: source and destination networks and ports, and the
 * direction's zone, each optional (null, {@link #ANY_PORT} or {@link #ANY_ZONE} for any). A port
 * criterion only matches tuples of protocols with ports, or GRE tuples, whose keys sit in the port
 * fields ({@code srckey}, {@code dstkey}). The zone is the tuple's own
 * ({@code CTA_TUPLE_ZONE}, what {@code conntrack --orig-zone/--reply-zone} set); a tuple without
 * one is in zone 0 for this test, as {@code conntrack --orig-zone} sees it.
 *
 * @param source network the source address must be in, or null
 * @param destination network the destination address must be in, or null
 * @param sourcePort source port 0..65535, or {@link #ANY_PORT}
 * @param destinationPort destination port 0..65535, or {@link #ANY_PORT}
 * @param zone the direction's zone 0..65535, or {@link #ANY_ZONE}
 */
public record TupleMatch(AddressMatch source, AddressMatch destination, int sourcePort, int destinationPort, int zone) {

    /** Any port. */
    public static final int ANY_PORT = -1;

    /** Any zone. */
    public static final int ANY_ZONE = -1;

    /** Every tuple. */
    public static final TupleMatch ANY = new TupleMatch(null, null, ANY_PORT, ANY_PORT, ANY_ZONE);

    public TupleMatch {
        for (int p : new int[] {sourcePort, destinationPort}) {
            if (p < ANY_PORT || p > 0xFFFF) {
                throw new IllegalArgumentException("port " + p + " is outside 0..65535");
            }
        }
        if (zone < ANY_ZONE || zone > 0xFFFF) {
            throw new IllegalArgumentException("zone " + zone + " is outside 0..65535");
        }
    }

    /** A match on addresses and ports in any zone. */
    public TupleMatch(AddressMatch source, AddressMatch destination, int sourcePort, int destinationPort) {
        this(source, destination, sourcePort, destinationPort, ANY_ZONE);
    }

    /** This match with source network {@code m}. */
    public TupleMatch withSource(AddressMatch m) {
        return new TupleMatch(m, destination, sourcePort, destinationPort, zone);
    }

    /** This match with destination network {@code m}. */
    public TupleMatch withDestination(AddressMatch m) {
        return new TupleMatch(source, m, sourcePort, destinationPort, zone);
    }

    /** This match with source port {@code p}. */
    public TupleMatch withSourcePort(int p) {
        return new TupleMatch(source, destination, p, destinationPort, zone);
    }

    /** This match with destination port {@code p}. */
    public TupleMatch withDestinationPort(int p) {
        return new TupleMatch(source, destination, sourcePort, p, zone);
    }

    /** This match with direction zone {@code z} ({@link #ANY_ZONE} for any). */
    public TupleMatch withZone(int z) {
        return new TupleMatch(source, destination, sourcePort, destinationPort, z);
    }

    /** True when every tuple matches. */
    public boolean isAny() {
        return source == null && destination == null && sourcePort == ANY_PORT && destinationPort == ANY_PORT
                && zone == ANY_ZONE;
    }

    /** True when {@code t} (may be null, which matches only {@link #isAny()}) fits every criterion. */
    public boolean test(Tuple t) {
        if (isAny()) {
            return true;
        }
        if (t == null) {
            return false;
        }
        if (source != null && !source.test(t.source()) || destination != null && !destination.test(t.destination())) {
            return false;
        }
        if (zone != ANY_ZONE && (t.hasZone() ? t.zone() : 0) != zone) {
            return false;
        }
        if (sourcePort == ANY_PORT && destinationPort == ANY_PORT) {
            return true;
        }
        return (t.protocol().hasPorts() || t.protocol().equals(L4Protocol.GRE)) && (sourcePort == ANY_PORT || t.sourcePort() == sourcePort)
                && (destinationPort == ANY_PORT || t.destinationPort() == destinationPort);
    }
}
