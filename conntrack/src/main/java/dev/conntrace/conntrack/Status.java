package dev.conntrace.conntrack;

import dev.conntrace.conntrack.wire.ConntrackCommon;

/**
 * The status bits of a connection ({@code enum ip_conntrack_status} in
 * {@code linux/netfilter/nf_conntrack_common.h}). Bits without a name are kept; {@link #toString()}
 * lists the names of the set bits and any unknown rest in hex.
 *
 * @param bits the raw 32-bit status word
 */
public record Status(int bits) {

    /** A named status bit. */
    public enum Bit {
        EXPECTED(ConntrackCommon.IPS_EXPECTED_BIT),
        SEEN_REPLY(ConntrackCommon.IPS_SEEN_REPLY_BIT),
        ASSURED(ConntrackCommon.IPS_ASSURED_BIT),
        CONFIRMED(ConntrackCommon.IPS_CONFIRMED_BIT),
        SRC_NAT(ConntrackCommon.IPS_SRC_NAT_BIT),
        DST_NAT(ConntrackCommon.IPS_DST_NAT_BIT),
        SEQ_ADJUST(ConntrackCommon.IPS_SEQ_ADJUST_BIT),
        SRC_NAT_DONE(ConntrackCommon.IPS_SRC_NAT_DONE_BIT),
        DST_NAT_DONE(ConntrackCommon.IPS_DST_NAT_DONE_BIT),
        DYING(ConntrackCommon.IPS_DYING_BIT),
        FIXED_TIMEOUT(ConntrackCommon.IPS_FIXED_TIMEOUT_BIT),
        TEMPLATE(ConntrackCommon.IPS_TEMPLATE_BIT),
        UNTRACKED(ConntrackCommon.IPS_UNTRACKED_BIT),
        HELPER(ConntrackCommon.IPS_HELPER_BIT),
        OFFLOAD(ConntrackCommon.IPS_OFFLOAD_BIT),
        HW_OFFLOAD(ConntrackCommon.IPS_HW_OFFLOAD_BIT);

        private final int bit;

        Bit(int bit) {
            this.bit = bit;
        }

        /** The bit number. */
        public int bit() {
            return bit;
        }

        /** The mask with only this bit set. */
        public int mask() {
            return 1 << bit;
        }
    }

    private static final Bit[] BITS = Bit.values();
    private static final int KNOWN_MASK = (1 << ConntrackCommon.IPS_MAX_BIT) - 1;

    /** No bit set. */
    public static final Status NONE = new Status(0);

    /** The status with exactly these bits set. */
    public static Status of(Bit... bits) {
        int b = 0;
        for (Bit bit : bits) {
            b |= bit.mask();
        }
        return new Status(b);
    }

    /** Parses names separated by {@code |} or {@code ,} (e.g. {@code ASSURED|SEEN_REPLY}); throws naming an unknown one. */
    public static Status parse(String text) {
        int b = 0;
        for (String part : text.split("[|,]")) {
            String p = part.strip();
            if (p.isEmpty()) {
                continue;
            }
            try {
                b |= Bit.valueOf(p.toUpperCase(java.util.Locale.ROOT)).mask();
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown conntrack status bit: '" + p + "'");
            }
        }
        return new Status(b);
    }

    /** True when {@code bit} is set. */
    public boolean has(Bit bit) {
        return (bits & bit.mask()) != 0;
    }

    /** This status with {@code bit} set too. */
    public Status with(Bit bit) {
        return new Status(bits | bit.mask());
    }

    /** {@code IPS_ASSURED}: the entry is not dropped early when the table is full. */

    public boolean isAssured() {
        return has(Bit.ASSURED);
    }

    /** {@code IPS_SEEN_REPLY}: packets were seen in both directions. */

    public boolean isSeenReply() {
        return has(Bit.SEEN_REPLY);
    }

    /** {@code IPS_CONFIRMED}: the entry is in the table. */

    public boolean isConfirmed() {
        return has(Bit.CONFIRMED);
    }

    /** {@code IPS_DYING}: the entry is being removed. */

    public boolean isDying() {
        return has(Bit.DYING);
    }

    /** {@code IPS_EXPECTED}: the connection was expected by a helper. */

    public boolean isExpected() {
        return has(Bit.EXPECTED);
    }

    /** {@code IPS_SRC_NAT}: source NAT applies. */

    public boolean isSourceNat() {
        return has(Bit.SRC_NAT);
    }

    /** {@code IPS_DST_NAT}: destination NAT applies. */

    public boolean isDestinationNat() {
        return has(Bit.DST_NAT);
    }

    /** {@code IPS_OFFLOAD}: offloaded to a flow table. */

    public boolean isOffload() {
        return has(Bit.OFFLOAD);
    }

    /** {@code IPS_HW_OFFLOAD}: offloaded to hardware. */

    public boolean isHardwareOffload() {
        return has(Bit.HW_OFFLOAD);
    }

    /** The bits no name here covers (at or above {@code __IPS_MAX_BIT}). */
    public int unknownBits() {
        return bits & ~KNOWN_MASK;
    }

    /** Names of the set bits joined by {@code |}, unknown bits as one hex value; {@code NONE} when empty. */
    @Override
    public String toString() {
        if (bits == 0) {
            return "NONE";
        }
        StringBuilder sb = new StringBuilder();
        for (Bit b : BITS) {
            if (has(b)) {
                if (!sb.isEmpty()) {
                    sb.append('|');
                }
                sb.append(b.name());
            }
        }
        int rest = unknownBits();
        if (rest != 0) {
            if (!sb.isEmpty()) {
                sb.append('|');
            }
            sb.append("0x").append(Integer.toHexString(rest));
        }
        return sb.toString();
    }
}
