package dev.conntrace.conntrack;

/**
 * An IP protocol number (the L4 protocol of a tuple), an open enum: numbers without a name are kept
 * and shown as {@code unknown(n)}.
 *
 * @param number the IANA protocol number, 0..255
 */
public record L4Protocol(int number) {


    private static final L4Protocol[] CACHE = new L4Protocol[256];

    static {
        for (int i = 0; i < CACHE.length; i++) {
            CACHE[i] = new L4Protocol(i);
        }
    }

    public static final L4Protocol ICMP = CACHE[1]; // IPPROTO_ICMP
    public static final L4Protocol TCP = CACHE[6]; // IPPROTO_TCP
    public static final L4Protocol UDP = CACHE[17]; // IPPROTO_UDP
    public static final L4Protocol DCCP = CACHE[33]; // IPPROTO_DCCP
    public static final L4Protocol GRE = CACHE[47]; // IPPROTO_GRE
    public static final L4Protocol ICMPV6 = CACHE[58]; // IPPROTO_ICMPV6
    public static final L4Protocol SCTP = CACHE[132]; // IPPROTO_SCTP
    public static final L4Protocol UDPLITE = CACHE[136]; // IPPROTO_UDPLITE

    public L4Protocol {
        if (number < 0 || number > 255) {
            throw new IllegalArgumentException("IP protocol number " + number + " is outside 0..255");
        }
    }

    /** The protocol with this number, without allocating. */
    public static L4Protocol of(int number) {
        if (number < 0 || number > 255) {
            throw new IllegalArgumentException("IP protocol number " + number + " is outside 0..255");
        }
        return CACHE[number];
    }

    /** Parses a name ({@code tcp}, {@code udp}, ...) or a decimal number; throws naming the text. */
    public static L4Protocol parse(String text) {
        for (int i = 0; i < CACHE.length; i++) {
            String n = knownName(i);
            if (n != null && n.equalsIgnoreCase(text)) {
                return CACHE[i];
            }
        }
        try {
            return of(Integer.parseInt(text));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown L4 protocol: '" + text + "'");
        }
    }

    /** True when the protocol carries 16-bit source and destination ports in its tuple. */
    public boolean hasPorts() {
        return number == 6 || number == 17 || number == 33 || number == 132 || number == 136;
    }

    /** True for ICMP and ICMPv6, whose tuples carry id, type and code. */
    public boolean isIcmp() {
        return number == 1 || number == 58;
    }

    /** True when this number has a name here. */
    public boolean isKnown() {
        return knownName(number) != null;
    }

    /** The lower-case name ({@code tcp}), or {@code unknown(n)}. */
    public String name() {
        String n = knownName(number);
        return n != null ? n : "unknown(" + number + ")";
    }

    @Override
    public String toString() {
        return name();
    }

    static String knownName(int number) {
        return switch (number) {
            case 1 -> "icmp";
            case 6 -> "tcp";
            case 17 -> "udp";
            case 33 -> "dccp";
            case 47 -> "gre";
            case 58 -> "icmpv6";
            case 132 -> "sctp";
            case 136 -> "udplite";
            default -> null;
        };
    }
}
