package dev.conntrace.netlink;

/**
 * Netlink framing constants, transliterated from {@code /usr/include/linux/netlink.h} with the C name
 * beside each: message types, header flags, attribute flags, alignment and extended-ACK attributes.
 */
public final class Netlink {
    private Netlink() {}

    /** {@code sizeof(struct nlmsghdr)}: len u32, type u16, flags u16, seq u32, pid u32. */
    public static final int NLMSG_HDRLEN = 16; // NLMSG_HDRLEN
    public static final int NLMSG_ALIGNTO = 4; // NLMSG_ALIGNTO
    /** {@code sizeof(struct nlattr)}: len u16, type u16. */
    public static final int NLA_HDRLEN = 4; // NLA_HDRLEN
    public static final int NLA_ALIGNTO = 4; // NLA_ALIGNTO

    // Control message types.
    public static final int NLMSG_NOOP = 0x1; // NLMSG_NOOP
    public static final int NLMSG_ERROR = 0x2; // NLMSG_ERROR
    public static final int NLMSG_DONE = 0x3; // NLMSG_DONE
    public static final int NLMSG_OVERRUN = 0x4; // NLMSG_OVERRUN
    public static final int NLMSG_MIN_TYPE = 0x10; // NLMSG_MIN_TYPE

    // nlmsg_flags, standard.
    public static final int NLM_F_REQUEST = 0x01; // NLM_F_REQUEST
    public static final int NLM_F_MULTI = 0x02; // NLM_F_MULTI
    public static final int NLM_F_ACK = 0x04; // NLM_F_ACK
    public static final int NLM_F_ECHO = 0x08; // NLM_F_ECHO
    public static final int NLM_F_DUMP_INTR = 0x10; // NLM_F_DUMP_INTR
    public static final int NLM_F_DUMP_FILTERED = 0x20; // NLM_F_DUMP_FILTERED
    // GET requests.
    public static final int NLM_F_ROOT = 0x100; // NLM_F_ROOT
    public static final int NLM_F_MATCH = 0x200; // NLM_F_MATCH
    public static final int NLM_F_ATOMIC = 0x400; // NLM_F_ATOMIC
    public static final int NLM_F_DUMP = NLM_F_ROOT | NLM_F_MATCH; // NLM_F_DUMP
    // NEW requests.
    public static final int NLM_F_REPLACE = 0x100; // NLM_F_REPLACE
    public static final int NLM_F_EXCL = 0x200; // NLM_F_EXCL
    public static final int NLM_F_CREATE = 0x400; // NLM_F_CREATE
    public static final int NLM_F_APPEND = 0x800; // NLM_F_APPEND
    // DELETE requests.
    public static final int NLM_F_NONREC = 0x100; // NLM_F_NONREC
    public static final int NLM_F_BULK = 0x200; // NLM_F_BULK
    // ACK messages.
    public static final int NLM_F_CAPPED = 0x100; // NLM_F_CAPPED
    public static final int NLM_F_ACK_TLVS = 0x200; // NLM_F_ACK_TLVS

    // Attribute type flags.
    public static final int NLA_F_NESTED = 1 << 15; // NLA_F_NESTED
    public static final int NLA_F_NET_BYTEORDER = 1 << 14; // NLA_F_NET_BYTEORDER
    public static final int NLA_TYPE_MASK = ~(NLA_F_NESTED | NLA_F_NET_BYTEORDER) & 0xFFFF; // NLA_TYPE_MASK

    // enum nlmsgerr_attrs: extended ACK attributes after an NLMSG_ERROR.
    public static final int NLMSGERR_ATTR_UNUSED = 0; // NLMSGERR_ATTR_UNUSED
    public static final int NLMSGERR_ATTR_MSG = 1; // NLMSGERR_ATTR_MSG
    public static final int NLMSGERR_ATTR_OFFS = 2; // NLMSGERR_ATTR_OFFS
    public static final int NLMSGERR_ATTR_COOKIE = 3; // NLMSGERR_ATTR_COOKIE
    public static final int NLMSGERR_ATTR_POLICY = 4; // NLMSGERR_ATTR_POLICY
    public static final int NLMSGERR_ATTR_MISS_TYPE = 5; // NLMSGERR_ATTR_MISS_TYPE
    public static final int NLMSGERR_ATTR_MISS_NEST = 6; // NLMSGERR_ATTR_MISS_NEST

    /** {@code NLMSG_ALIGN(len)} / {@code NLA_ALIGN(len)}: rounds up to a multiple of 4. */
    public static int align(int length) {
        return (length + 3) & ~3;
    }

    /** A readable name for a control message type, or the number. */
    public static String typeName(int type) {
        return switch (type) {
            case NLMSG_NOOP -> "NLMSG_NOOP";
            case NLMSG_ERROR -> "NLMSG_ERROR";
            case NLMSG_DONE -> "NLMSG_DONE";
            case NLMSG_OVERRUN -> "NLMSG_OVERRUN";
            default -> "type " + type;
        };
    }
}
