package dev.conntrace.packet.dns;

/** DNS RCODE values (IANA "DNS RCODEs"), including EDNS extended codes. An open set. */
public final class DnsRcode {
    private DnsRcode() {}

    public static final int NOERROR = 0;
    public static final int FORMERR = 1;
    public static final int SERVFAIL = 2;
    public static final int NXDOMAIN = 3;
    public static final int NOTIMP = 4;
    public static final int REFUSED = 5;
    public static final int YXDOMAIN = 6;
    public static final int YXRRSET = 7;
    public static final int NXRRSET = 8;
    public static final int NOTAUTH = 9;
    public static final int NOTZONE = 10;
    public static final int BADVERS = 16;

    /** The mnemonic, or "RCODEn" for others. */
    public static String name(int rcode) {
        return switch (rcode) {
            case NOERROR -> "NOERROR";
            case FORMERR -> "FORMERR";
            case SERVFAIL -> "SERVFAIL";
            case NXDOMAIN -> "NXDOMAIN";
            case NOTIMP -> "NOTIMP";
            case REFUSED -> "REFUSED";
            case YXDOMAIN -> "YXDOMAIN";
            case YXRRSET -> "YXRRSET";
            case NXRRSET -> "NXRRSET";
            case NOTAUTH -> "NOTAUTH";
            case NOTZONE -> "NOTZONE";
            case BADVERS -> "BADVERS";
            default -> "RCODE" + rcode;
        };
    }
}
