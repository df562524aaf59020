package dev.conntrace.conntrack;

import java.util.function.Predicate;

/**
 * Which flows a dump returns, with the criteria {@code conntrack -L} takes. Sent to the kernel:
 * family in {@code nfgen_family}, {@code CTA_MARK}+{@code CTA_MARK_MASK},
 * {@code CTA_STATUS}+{@code CTA_STATUS_MASK}, {@code CTA_ZONE}, and the L4 protocol as a
 * {@code CTA_FILTER} on the original tuple's protocol number (Linux 5.8+; the kernel takes it only
 * with a family, so with {@link AddressFamily#ANY} the protocol is checked here only). With a
 * family and a protocol, that {@code CTA_FILTER} also carries the original tuple's ports and, for
 * IPv4, its single-host source and destination. Networks, IPv6 addresses, reply-tuple criteria,
 * direction zones, labels, the protocol state, the security mark and NAT are checked here only (the kernel's filter matches exact addresses, not networks).
 * Every criterion is also checked here, so the result is the same whether or not the running kernel
 * supports a filter attribute. Also usable on events ({@link #test(Flow)}).
 *
 * @param family address family
 * @param mark the mark to match after masking, or null for any
 * @param markMask the mask applied to the flow's mark (all ones for an exact match)
 * @param status status bits to match after masking, or null for any
 * @param statusMask the mask applied to the flow's status
 * @param zone the zone ({@code CTA_ZONE}) to match, or -1 for any
 * @param protocol the L4 protocol, or null for any
 * @param original what the original tuple must look like
 * @param reply what the reply tuple must look like
 * @param state the TCP, SCTP or DCCP state (only flows of that protocol match), or null for any
 * @param nat the NAT criterion
 * @param labels labels every selected flow carries ({@link LabelSet#NONE}: any)
 * @param secmark the security mark ({@code CTA_SECMARK}) to match, or null for any; a flow that reports
 *     none (every Linux since 2.6.37) never matches
 */
public record FlowFilter(AddressFamily family, Integer mark, int markMask, Integer status, int statusMask, int zone,
        L4Protocol protocol, TupleMatch original, TupleMatch reply, StateMatch state, NatMatch nat, LabelSet labels,
        Integer secmark) implements Predicate<Flow> {

    /** Every flow of both families. */
    public static final FlowFilter ALL = new FlowFilter(AddressFamily.ANY, null, -1, null, 0, -1, null,
            TupleMatch.ANY, TupleMatch.ANY, null, NatMatch.NONE, LabelSet.NONE, null);

    /** A filter without a security mark criterion. */
    public FlowFilter(AddressFamily family, Integer mark, int markMask, Integer status, int statusMask, int zone,
                      L4Protocol protocol, TupleMatch original, TupleMatch reply, StateMatch state, NatMatch nat,
                      LabelSet labels) {
        this(family, mark, markMask, status, statusMask, zone, protocol, original, reply, state, nat, labels, null);
    }

    /** A filter without a label criterion. */
    public FlowFilter(AddressFamily family, Integer mark, int markMask, Integer status, int statusMask, int zone,
                      L4Protocol protocol, TupleMatch original, TupleMatch reply, StateMatch state, NatMatch nat) {
        this(family, mark, markMask, status, statusMask, zone, protocol, original, reply, state, nat, LabelSet.NONE);
    }

    public FlowFilter {
        if (family == null) {
            throw new IllegalArgumentException("family must not be null");
        }
        if (zone < -1 || zone > 0xFFFF) {
            throw new IllegalArgumentException("zone " + zone + " is outside 0..65535");
        }
        if (original == null || reply == null || nat == null || labels == null) {
            throw new IllegalArgumentException("original, reply, nat and labels must not be null (use ANY / NONE)");
        }
    }

    /** Every flow of {@code family}. */
    public static FlowFilter of(AddressFamily family) {
        return ALL.withFamily(family);
    }

    /** Flows of family {@code f}. */
    public FlowFilter withFamily(AddressFamily f) {
        return new FlowFilter(f, mark, markMask, status, statusMask, zone, protocol, original, reply, state, nat, labels, secmark);
    }

    /** Flows whose {@code mark & mask == value & mask}. */
    public FlowFilter withMark(int value, int mask) {
        return new FlowFilter(family, value & mask, mask, status, statusMask, zone, protocol, original, reply, state,
                nat, labels, secmark);
    }

    /** Flows whose {@code status & mask == bits & mask}. */
    public FlowFilter withStatus(int bits, int mask) {
        return new FlowFilter(family, mark, markMask, bits & mask, mask, zone, protocol, original, reply, state, nat, labels, secmark);
    }

    /** Flows in zone {@code z}. */
    public FlowFilter withZone(int z) {
        return new FlowFilter(family, mark, markMask, status, statusMask, z, protocol, original, reply, state, nat, labels, secmark);
    }

    /** Flows of L4 protocol {@code p}. */
    public FlowFilter withProtocol(L4Protocol p) {
        return new FlowFilter(family, mark, markMask, status, statusMask, zone, p, original, reply, state, nat, labels, secmark);
    }

    /** Flows whose original tuple fits {@code m}. */
    public FlowFilter withOriginal(TupleMatch m) {
        return new FlowFilter(family, mark, markMask, status, statusMask, zone, protocol, m, reply, state, nat, labels, secmark);
    }

    /** Flows whose reply tuple fits {@code m}. */
    public FlowFilter withReply(TupleMatch m) {
        return new FlowFilter(family, mark, markMask, status, statusMask, zone, protocol, original, m, state, nat, labels, secmark);
    }

    /** TCP flows in state {@code s}. */
    public FlowFilter withTcpState(TcpState s) {
        return withState(StateMatch.of(s));
    }

    /** Flows in the TCP, SCTP or DCCP state {@code s} (null: any). */
    public FlowFilter withState(StateMatch s) {
        return new FlowFilter(family, mark, markMask, status, statusMask, zone, protocol, original, reply, s, nat, labels, secmark);
    }

    /** Flows fitting the NAT criterion {@code n}. */
    public FlowFilter withNat(NatMatch n) {
        return new FlowFilter(family, mark, markMask, status, statusMask, zone, protocol, original, reply, state, n, labels, secmark);
    }

    /** Flows that carry every label of {@code l}. */
    public FlowFilter withLabels(LabelSet l) {
        return new FlowFilter(family, mark, markMask, status, statusMask, zone, protocol, original, reply, state, nat, l, secmark);
    }

    /** Flows whose security mark ({@code CTA_SECMARK}) is {@code value} (null: any). */
    public FlowFilter withSecmark(Integer value) {
        return new FlowFilter(family, mark, markMask, status, statusMask, zone, protocol, original, reply, state, nat,
                labels, value);
    }

    /** True when some criterion needs kernel filter attributes (not just the family). */
    public boolean hasKernelAttributes() {
        return mark != null || status != null || zone >= 0 || sendsProtocol();
    }

    /** True when the protocol goes to the kernel as a {@code CTA_FILTER} (which needs a family). */
    public boolean sendsProtocol() {
        return protocol != null && family != AddressFamily.ANY;
    }

    @Override
    public boolean test(Flow f) {
        if (!family.covers(f.isIpv6())) {
            return false;
        }
        if (mark != null && (f.mark() & markMask) != mark) {
            return false;
        }
        if (status != null && (f.statusBits() & statusMask) != status) {
            return false;
        }
        if (zone >= 0 && f.zone() != zone) {
            return false;
        }
        if (protocol != null && !protocol.equals(f.protocol())) {
            return false;
        }
        if (secmark != null && (!f.hasSecmark() || f.secmark() != secmark)) {
            return false;
        }
        if (state != null && !state.test(f)) {
            return false;
        }
        return original.test(f.original()) && reply.test(f.reply()) && nat.test(f)
                && (labels.isEmpty() || labels.isSetOn(f));
    }
}
