package dev.conntrace.conntrack;

/** The layer-3 family a request covers ({@code nfgen_family}). */
public enum AddressFamily {
    /** Both IPv4 and IPv6 ({@code AF_UNSPEC}). */
    ANY(0),
    /** {@code AF_INET}. */
    IPV4(2),
    /** {@code AF_INET6}. */
    IPV6(10);

    private final int code;

    AddressFamily(int code) {
        this.code = code;
    }

    /** The {@code AF_*} number. */
    public int code() {
        return code;
    }

    /** True when a flow of this family (IPv6 or not) is covered. */
    public boolean covers(boolean ipv6) {
        return this == ANY || (this == IPV6) == ipv6;
    }

    /** Parses {@code ipv4}, {@code ipv6}, {@code any}/{@code all}/{@code unspec}; throws naming the text. */
    public static AddressFamily parse(String text) {
        return switch (text.toLowerCase(java.util.Locale.ROOT)) {
            case "ipv4", "inet", "4" -> IPV4;
            case "ipv6", "inet6", "6" -> IPV6;
            case "any", "all", "unspec" -> ANY;
            default -> throw new IllegalArgumentException("unknown address family: '" + text + "' (ipv4, ipv6 or any)");
        };
    }
}
