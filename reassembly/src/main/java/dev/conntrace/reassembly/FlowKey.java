package dev.conntrace.reassembly;

/**
 * A bidirectional 4-tuple: endpoint A is the lower of the two (address, then port), so both directions
 * of a connection map to one key. Mutable only while used as a lookup probe; keys stored in the pool are
 * copies that are never changed.
 */
final class FlowKey {
    private boolean v6;
    private long aHigh;
    private long aLow;
    private int aPort;
    private long bHigh;
    private long bLow;
    private int bPort;
    private int hash;

    /** Sets this probe from the segment; returns the sender's side: 0 = A, 1 = B. */
    int set(TcpSegment s) {
        v6 = s.v6;
        int side;
        int c = Long.compareUnsigned(s.srcHigh, s.dstHigh);
        if (c == 0) {
            c = Long.compareUnsigned(s.srcLow, s.dstLow);
        }
        if (c == 0) {
            c = Integer.compare(s.srcPort, s.dstPort);
        }
        if (c <= 0) {
            side = 0;
            aHigh = s.srcHigh;
            aLow = s.srcLow;
            aPort = s.srcPort;
            bHigh = s.dstHigh;
            bLow = s.dstLow;
            bPort = s.dstPort;
        } else {
            side = 1;
            aHigh = s.dstHigh;
            aLow = s.dstLow;
            aPort = s.dstPort;
            bHigh = s.srcHigh;
            bLow = s.srcLow;
            bPort = s.srcPort;
        }
        long h = aHigh * 31 + aLow;
        h = h * 31 + bHigh;
        h = h * 31 + bLow;
        h = h * 31 + ((long) aPort << 16 | bPort);
        h ^= h >>> 32;
        h *= 0x9E3779B97F4A7C15L;
        hash = (int) (h ^ (h >>> 29)) ^ (v6 ? 1 : 0);
        return side;
    }

    FlowKey copy() {
        FlowKey k = new FlowKey();
        k.v6 = v6;
        k.aHigh = aHigh;
        k.aLow = aLow;
        k.aPort = aPort;
        k.bHigh = bHigh;
        k.bLow = bLow;
        k.bPort = bPort;
        k.hash = hash;
        return k;
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FlowKey k && k.hash == hash && k.aLow == aLow && k.bLow == bLow && k.aPort == aPort
                && k.bPort == bPort && k.aHigh == aHigh && k.bHigh == bHigh && k.v6 == v6;
    }
}
