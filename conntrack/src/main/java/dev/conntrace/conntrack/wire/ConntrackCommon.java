package dev.conntrace.conntrack.wire;

/**
 * Connection status bits, event bits and expectation flags, transliterated from
 * {@code linux/netfilter/nf_conntrack_common.h}; the C name of each constant is in its comment.
 */
public final class ConntrackCommon {
    private ConntrackCommon() {}

    // enum ip_conntrack_info
    public static final int IP_CT_ESTABLISHED = 0; // IP_CT_ESTABLISHED
    public static final int IP_CT_RELATED = 1; // IP_CT_RELATED
    public static final int IP_CT_NEW = 2; // IP_CT_NEW
    public static final int IP_CT_IS_REPLY = 3; // IP_CT_IS_REPLY
    public static final int IP_CT_ESTABLISHED_REPLY = 3; // IP_CT_ESTABLISHED_REPLY
    public static final int IP_CT_RELATED_REPLY = 4; // IP_CT_RELATED_REPLY
    public static final int IP_CT_NUMBER = 5; // IP_CT_NUMBER
    public static final int IP_CT_NEW_REPLY = 5; // IP_CT_NEW_REPLY

    // enum ip_conntrack_status: bit numbers and masks
    public static final int IPS_EXPECTED_BIT = 0; // IPS_EXPECTED_BIT
    public static final int IPS_EXPECTED = (1 << IPS_EXPECTED_BIT); // IPS_EXPECTED
    public static final int IPS_SEEN_REPLY_BIT = 1; // IPS_SEEN_REPLY_BIT
    public static final int IPS_SEEN_REPLY = (1 << IPS_SEEN_REPLY_BIT); // IPS_SEEN_REPLY
    public static final int IPS_ASSURED_BIT = 2; // IPS_ASSURED_BIT
    public static final int IPS_ASSURED = (1 << IPS_ASSURED_BIT); // IPS_ASSURED
    public static final int IPS_CONFIRMED_BIT = 3; // IPS_CONFIRMED_BIT
    public static final int IPS_CONFIRMED = (1 << IPS_CONFIRMED_BIT); // IPS_CONFIRMED
    public static final int IPS_SRC_NAT_BIT = 4; // IPS_SRC_NAT_BIT
    public static final int IPS_SRC_NAT = (1 << IPS_SRC_NAT_BIT); // IPS_SRC_NAT
    public static final int IPS_DST_NAT_BIT = 5; // IPS_DST_NAT_BIT
    public static final int IPS_DST_NAT = (1 << IPS_DST_NAT_BIT); // IPS_DST_NAT
    public static final int IPS_NAT_MASK = (IPS_DST_NAT | IPS_SRC_NAT); // IPS_NAT_MASK
    public static final int IPS_SEQ_ADJUST_BIT = 6; // IPS_SEQ_ADJUST_BIT
    public static final int IPS_SEQ_ADJUST = (1 << IPS_SEQ_ADJUST_BIT); // IPS_SEQ_ADJUST
    public static final int IPS_SRC_NAT_DONE_BIT = 7; // IPS_SRC_NAT_DONE_BIT
    public static final int IPS_SRC_NAT_DONE = (1 << IPS_SRC_NAT_DONE_BIT); // IPS_SRC_NAT_DONE
    public static final int IPS_DST_NAT_DONE_BIT = 8; // IPS_DST_NAT_DONE_BIT
    public static final int IPS_DST_NAT_DONE = (1 << IPS_DST_NAT_DONE_BIT); // IPS_DST_NAT_DONE
    public static final int IPS_NAT_DONE_MASK = (IPS_DST_NAT_DONE | IPS_SRC_NAT_DONE); // IPS_NAT_DONE_MASK
    public static final int IPS_DYING_BIT = 9; // IPS_DYING_BIT
    public static final int IPS_DYING = (1 << IPS_DYING_BIT); // IPS_DYING
    public static final int IPS_FIXED_TIMEOUT_BIT = 10; // IPS_FIXED_TIMEOUT_BIT
    public static final int IPS_FIXED_TIMEOUT = (1 << IPS_FIXED_TIMEOUT_BIT); // IPS_FIXED_TIMEOUT
    public static final int IPS_TEMPLATE_BIT = 11; // IPS_TEMPLATE_BIT
    public static final int IPS_TEMPLATE = (1 << IPS_TEMPLATE_BIT); // IPS_TEMPLATE
    public static final int IPS_UNTRACKED_BIT = 12; // IPS_UNTRACKED_BIT
    public static final int IPS_UNTRACKED = (1 << IPS_UNTRACKED_BIT); // IPS_UNTRACKED
    public static final int IPS_HELPER_BIT = 13; // IPS_HELPER_BIT
    public static final int IPS_HELPER = (1 << IPS_HELPER_BIT); // IPS_HELPER
    public static final int IPS_OFFLOAD_BIT = 14; // IPS_OFFLOAD_BIT
    public static final int IPS_OFFLOAD = (1 << IPS_OFFLOAD_BIT); // IPS_OFFLOAD
    public static final int IPS_HW_OFFLOAD_BIT = 15; // IPS_HW_OFFLOAD_BIT
    public static final int IPS_HW_OFFLOAD = (1 << IPS_HW_OFFLOAD_BIT); // IPS_HW_OFFLOAD
    public static final int IPS_UNCHANGEABLE_MASK = (IPS_NAT_DONE_MASK | IPS_NAT_MASK
            | IPS_EXPECTED | IPS_CONFIRMED | IPS_DYING | IPS_SEQ_ADJUST | IPS_TEMPLATE | IPS_UNTRACKED | IPS_OFFLOAD | IPS_HW_OFFLOAD); // IPS_UNCHANGEABLE_MASK
    public static final int IPS_MAX_BIT = 16; // __IPS_MAX_BIT

    // enum ip_conntrack_events: bit numbers
    public static final int IPCT_NEW = 0; // IPCT_NEW
    public static final int IPCT_RELATED = 1; // IPCT_RELATED
    public static final int IPCT_DESTROY = 2; // IPCT_DESTROY
    public static final int IPCT_REPLY = 3; // IPCT_REPLY
    public static final int IPCT_ASSURED = 4; // IPCT_ASSURED
    public static final int IPCT_PROTOINFO = 5; // IPCT_PROTOINFO
    public static final int IPCT_HELPER = 6; // IPCT_HELPER
    public static final int IPCT_MARK = 7; // IPCT_MARK
    public static final int IPCT_SEQADJ = 8; // IPCT_SEQADJ
    public static final int IPCT_NATSEQADJ = IPCT_SEQADJ; // IPCT_NATSEQADJ
    public static final int IPCT_SECMARK = 9; // IPCT_SECMARK
    public static final int IPCT_LABEL = 10; // IPCT_LABEL
    public static final int IPCT_SYNPROXY = 11; // IPCT_SYNPROXY

    // enum ip_conntrack_expect_events
    public static final int IPEXP_NEW = 0; // IPEXP_NEW
    public static final int IPEXP_DESTROY = 1; // IPEXP_DESTROY

    // expectation flags
    public static final int NF_CT_EXPECT_PERMANENT = 0x1; // NF_CT_EXPECT_PERMANENT
    public static final int NF_CT_EXPECT_INACTIVE = 0x2; // NF_CT_EXPECT_INACTIVE
    public static final int NF_CT_EXPECT_USERSPACE = 0x4; // NF_CT_EXPECT_USERSPACE
}
