package dev.conntrace.packet.dns;

/** DNS resource record TYPE values (IANA "Resource Record (RR) TYPEs"). An open set: other values are carried as numbers. */
public final class DnsType {
    private DnsType() {}

    public static final int A = 1;
    public static final int NS = 2;
    public static final int CNAME = 5;
    public static final int SOA = 6;
    public static final int PTR = 12;
    public static final int HINFO = 13;
    public static final int MX = 15;
    public static final int TXT = 16;
    public static final int AAAA = 28;
    public static final int SRV = 33;
    public static final int NAPTR = 35;
    public static final int DNAME = 39;
    public static final int OPT = 41;
    public static final int DS = 43;
    public static final int RRSIG = 46;
    public static final int NSEC = 47;
    public static final int DNSKEY = 48;
    public static final int SVCB = 64;
    public static final int HTTPS = 65;
    public static final int ANY = 255;
    public static final int CAA = 257;

    /** The mnemonic, or "TYPEn" (RFC 3597) for others. */
    public static String name(int type) {
        return switch (type) {
            case A -> "A";
            case NS -> "NS";
            case CNAME -> "CNAME";
            case SOA -> "SOA";
            case PTR -> "PTR";
            case HINFO -> "HINFO";
            case MX -> "MX";
            case TXT -> "TXT";
            case AAAA -> "AAAA";
            case SRV -> "SRV";
            case NAPTR -> "NAPTR";
            case DNAME -> "DNAME";
            case OPT -> "OPT";
            case DS -> "DS";
            case RRSIG -> "RRSIG";
            case NSEC -> "NSEC";
            case DNSKEY -> "DNSKEY";
            case SVCB -> "SVCB";
            case HTTPS -> "HTTPS";
            case ANY -> "ANY";
            case CAA -> "CAA";
            default -> "TYPE" + type;
        };
    }
}
