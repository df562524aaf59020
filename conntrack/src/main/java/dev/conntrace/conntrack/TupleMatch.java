package dev.conntrace.conntrack;

/**
 * What one tuple of a flow must look like: source and destination networks and ports, each
 * optional (null or {@link #ANY_PORT} for any). A port criterion only matches tuples of protocols
 * with ports.
 *
 * @param source network the source address must be in, or null
 * @param destination network the destination address must be in, or null
 * @param sourcePort source port 0..65535, or {@link #ANY_PORT}
 * @param destinationPort destination port 0..65535, or {@link #ANY_PORT}
 */
public record TupleMatch(AddressMatch source, AddressMatch destination, int sourcePort, int destinationPort) {

    /** Any port. */
    public static final int ANY_PORT = -1;

    /** Every tuple. */
    public static final TupleMatch ANY = new TupleMatch(null, null, ANY_PORT, ANY_PORT);

    public TupleMatch {
        for (int p : new int[] {sourcePort, destinationPort}) {
            if (p < ANY_PORT || p > 0xFFFF) {
                throw new IllegalArgumentException("port " + p + " is outside 0..65535");
            }
        }
    }

    /** This match with source network {@code m}. */
    public TupleMatch withSource(AddressMatch m) {
        return new TupleMatch(m, destination, sourcePort, destinationPort);
    }

    /** This match with destination network {@code m}. */
    public TupleMatch withDestination(AddressMatch m) {
        return new TupleMatch(source, m, sourcePort, destinationPort);
    }

    /** This match with source port {@code p}. */
    public TupleMatch withSourcePort(int p) {
        return new TupleMatch(source, destination, p, destinationPort);
    }

    /** This match with destination port {@code p}. */
    public TupleMatch withDestinationPort(int p) {
        return new TupleMatch(source, destination, sourcePort, p);
    }

    /** True when every tuple matches. */
    public boolean isAny() {
        return source == null && destination == null && sourcePort == ANY_PORT && destinationPort == ANY_PORT;
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
        if (sourcePort == ANY_PORT && destinationPort == ANY_PORT) {
            return true;
        }
        return t.protocol().hasPorts() && (sourcePort == ANY_PORT || t.sourcePort() == sourcePort)
                && (destinationPort == ANY_PORT || t.destinationPort() == destinationPort);
    }
}
