package dev.conntrace.conntrack;

/** Tuple helpers for requests. */
final class Tuples {
    private Tuples() {}

    /**
     * The reply tuple the kernel would expect for {@code t} without NAT: addresses and ports swapped;
     * for ICMP echo/timestamp/info/address-mask requests the reply type (as the kernel inverts them).
     */
    static Tuple inverse(Tuple t) {
        int type = t.icmpType();
        if (t.protocol().equals(L4Protocol.ICMP)) {
            type = switch (type) {
                case 8 -> 0;
                case 13 -> 14;
                case 15 -> 16;
                case 17 -> 18;
                default -> type;
            };
        } else if (t.protocol().equals(L4Protocol.ICMPV6)) {
            type = switch (type) {
                case 128 -> 129;
                case 139 -> 140;
                default -> type;
            };
        }
        return new Tuple(t.destination(), t.source(), t.protocol(), t.destinationPort(), t.sourcePort(), t.icmpId(),
                type, t.icmpCode(), Tuple.NO_ZONE);
    }
}
