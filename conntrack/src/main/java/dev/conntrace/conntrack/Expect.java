package dev.conntrace.conntrack;

import java.util.Objects;

/**
 * An expectation ({@code CTA_EXPECT_*} in {@code linux/netfilter/nfnetlink_conntrack.h}): a connection
 * a helper expects to be opened, related to a master connection.
 *
 * <p>Scalar fields whose attribute was absent are -1 ({@link #ABSENT}) except {@code flags}, which
 * is 0 then; object fields are null.
 *
 * @param master tuple of the master connection ({@code CTA_EXPECT_MASTER})
 * @param tuple expected tuple ({@code CTA_EXPECT_TUPLE})
 * @param mask which parts of the tuple must match ({@code CTA_EXPECT_MASK})
 * @param timeout seconds to live ({@code CTA_EXPECT_TIMEOUT}, unsigned 32 bits), or -1
 * @param id kernel id ({@code CTA_EXPECT_ID}, unsigned 32 bits), or -1
 * @param helper helper name ({@code CTA_EXPECT_HELP_NAME}), or null
 * @param zone zone ({@code CTA_EXPECT_ZONE}), or -1
 * @param flags {@code NF_CT_EXPECT_*} ({@code CTA_EXPECT_FLAGS})
 * @param expectClass expectation class ({@code CTA_EXPECT_CLASS}), or -1
 * @param natDirection NAT direction ({@code CTA_EXPECT_NAT_DIR}), or -1
 * @param natTuple NAT tuple ({@code CTA_EXPECT_NAT_TUPLE}), or null
 * @param function helper function name ({@code CTA_EXPECT_FN}), or null
 */
public record Expect(
        Tuple master,
        Tuple tuple,
        Tuple mask,
        long timeout,
        long id,
        String helper,
        int zone,
        int flags,
        int expectClass,
        int natDirection,
        Tuple natTuple,
        String function) {

    /** Value of an absent scalar. */
    public static final int ABSENT = -1;

    /**
     * An expectation to create: {@code tuple} related to the flow whose original tuple is
     * {@code master}, matched under {@code mask} (a tuple of the same protocol whose set bits must
     * match: addresses and ports). Everything else is absent; see the {@code with...} methods.
     */
    public static Expect of(Tuple master, Tuple tuple, Tuple mask) {
        return new Expect(Objects.requireNonNull(master, "master"), Objects.requireNonNull(tuple, "tuple"),
                Objects.requireNonNull(mask, "mask"), ABSENT, ABSENT, null, ABSENT, 0, ABSENT, ABSENT, null, null);
    }

    /** This expectation with a timeout in seconds. */
    public Expect withTimeout(long seconds) {
        return new Expect(master, tuple, mask, seconds, id, helper, zone, flags, expectClass, natDirection, natTuple, function);
    }

    /** This expectation in zone {@code z} (the master's zone, 0..65535). */
    public Expect withZone(int z) {
        return new Expect(master, tuple, mask, timeout, id, helper, z, flags, expectClass, natDirection, natTuple, function);
    }

    /** This expectation with helper name {@code name}. */
    public Expect withHelper(String name) {
        return new Expect(master, tuple, mask, timeout, id, name, zone, flags, expectClass, natDirection, natTuple, function);
    }

    /** This expectation with {@code NF_CT_EXPECT_*} flags. */
    public Expect withFlags(int f) {
        return new Expect(master, tuple, mask, timeout, id, helper, zone, f, expectClass, natDirection, natTuple, function);
    }

    /** True when {@code NF_CT_EXPECT_PERMANENT} is set. */
    public boolean isPermanent() {
        return (flags & dev.conntrace.conntrack.wire.ConntrackCommon.NF_CT_EXPECT_PERMANENT) != 0;
    }

    /** True when {@code NF_CT_EXPECT_INACTIVE} is set. */
    public boolean isInactive() {
        return (flags & dev.conntrace.conntrack.wire.ConntrackCommon.NF_CT_EXPECT_INACTIVE) != 0;
    }

    /** True when {@code NF_CT_EXPECT_USERSPACE} is set. */
    public boolean isUserspace() {
        return (flags & dev.conntrace.conntrack.wire.ConntrackCommon.NF_CT_EXPECT_USERSPACE) != 0;
    }
}
