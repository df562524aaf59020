package dev.conntrace.conntrack;

import dev.conntrace.sys.IpAddress;

/**
 * Selects flows by the NAT the kernel applied, as {@code conntrack --src-nat}, {@code --dst-nat}
 * and {@code --any-nat} do (conntrack-tools' {@code filter_nat}): a flow is source-NATed when its
 * reply destination differs from its original source (address, or port for protocols with ports),
 * destination-NATed when its reply source differs from its original destination. With an address,
 * the address must have changed and the NATed-to address must be it: the reply destination for
 * source NAT, the reply source for destination NAT. With a port, likewise the port must have changed
 * and be the reply's destination (source NAT) or source (destination NAT) port; with both, both.
 *
 * @param source require source NAT
 * @param sourceTo the address (and port) source NAT must map to, or null for any
 * @param destination require destination NAT
 * @param destinationTo the address (and port) destination NAT must map to, or null for any
 * @param any when true, either kind of NAT is enough ({@code --any-nat}); otherwise every required one must hold
 */
public record NatMatch(boolean source, NatAddress sourceTo, boolean destination, NatAddress destinationTo,
        boolean any) {

    /** No NAT criterion. */
    public static final NatMatch NONE = new NatMatch(false, (NatAddress) null, false, null, false);

    /** A criterion on addresses only (null: any). */
    public NatMatch(boolean source, IpAddress sourceAddress, boolean destination, IpAddress destinationAddress,
            boolean any) {
        this(source, sourceAddress == null ? null : new NatAddress(sourceAddress, NatAddress.ANY_PORT), destination,
                destinationAddress == null ? null : new NatAddress(destinationAddress, NatAddress.ANY_PORT), any);
    }

    /** True when no criterion is set. */
    public boolean isNone() {
        return !source && !destination;
    }

    /** True when {@code f} fits. */
    public boolean test(Flow f) {
        if (isNone()) {
            return true;
        }
        Tuple o = f.original();
        Tuple r = f.reply();
        if (o == null || r == null) {
            return false;
        }
        boolean ports = o.protocol().hasPorts();
        boolean snat = source && mapped(!o.source().equals(r.destination()),
                ports && o.sourcePort() != r.destinationPort(), r.destination(), r.destinationPort(), sourceTo);
        boolean dnat = destination && mapped(!o.destination().equals(r.source()),
                ports && o.destinationPort() != r.sourcePort(), r.source(), r.sourcePort(), destinationTo);
        if (any) {
            return snat || dnat;
        }
        return (!source || snat) && (!destination || dnat);
    }

    /** Whether a direction's NAT fits {@code to}: changed at all when null, else changed to it. */
    private static boolean mapped(boolean addressChanged, boolean portChanged, IpAddress now, int nowPort,
            NatAddress to) {
        if (to == null) {
            return addressChanged || portChanged;
        }
        return addressChanged && to.address().equals(now) && (!to.hasPort() || portChanged && to.port() == nowPort);
    }
}
