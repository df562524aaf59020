package dev.conntrace.conntrack;

/**
 * Selects flows by the NAT the kernel applied, as {@code conntrack --src-nat}, {@code --dst-nat}
 * and {@code --any-nat} do (conntrack-tools' {@code filter_nat}): a flow is source-NATed when its
 * reply destination differs from its original source (address, or port for protocols with ports),
 * destination-NATed when its reply source differs from its original destination. With an address,
 * the address must have changed and the NATed-to address must be it: the reply destination for source NAT, the reply source for
 * destination NAT.
 *
 * @param source require source NAT
 * @param sourceAddress the address source NAT must map to, or null for any
 * @param destination require destination NAT
 * @param destinationAddress the address destination NAT must map to, or null for any
 * @param any when true, either kind of NAT is enough ({@code --any-nat}); otherwise every required one must hold
 */
public record NatMatch(boolean source, dev.conntrace.sys.IpAddress sourceAddress, boolean destination,
        dev.conntrace.sys.IpAddress destinationAddress, boolean any) {

    /** No NAT criterion. */
    public static final NatMatch NONE = new NatMatch(false, null, false, null, false);

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
        boolean snat = false;
        if (source) {
            boolean address = !o.source().equals(r.destination());
            snat = sourceAddress == null ? address || ports && o.sourcePort() != r.destinationPort()
                    : address && sourceAddress.equals(r.destination());
        }
        boolean dnat = false;
        if (destination) {
            boolean address = !o.destination().equals(r.source());
            dnat = destinationAddress == null ? address || ports && o.destinationPort() != r.sourcePort()
                    : address && destinationAddress.equals(r.source());
        }
        if (any) {
            return snat || dnat;
        }
        return (!source || snat) && (!destination || dnat);
    }
}
