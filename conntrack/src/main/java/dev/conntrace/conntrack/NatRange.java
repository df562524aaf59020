package dev.conntrace.conntrack;

import dev.conntrace.sys.IpAddress;
import java.util.Objects;

/**
 * A NAT mapping ({@code CTA_NAT_SRC} / {@code CTA_NAT_DST}, sub-attributes {@code CTA_NAT_*} and
 * {@code CTA_PROTONAT_*}): an address range and an optional port range.
 *
 * @param minAddress first address of the range
 * @param maxAddress last address of the range (same family)
 * @param minPort first port, or 0 for none
 * @param maxPort last port, or 0 for none
 */
public record NatRange(IpAddress minAddress, IpAddress maxAddress, int minPort, int maxPort) {

    public NatRange {
        Objects.requireNonNull(minAddress, "minAddress");
        Objects.requireNonNull(maxAddress, "maxAddress");
        if (minAddress.v6() != maxAddress.v6()) {
            throw new IllegalArgumentException("NAT range mixes IPv4 and IPv6");
        }
        if (minPort < 0 || minPort > 0xFFFF || maxPort < 0 || maxPort > 0xFFFF) {
            throw new IllegalArgumentException("NAT port outside 0..65535: " + minPort + "-" + maxPort);
        }
    }

    /** One address, no port change. */
    public static NatRange to(IpAddress address) {
        return new NatRange(address, address, 0, 0);
    }

    /** One address and one port. */
    public static NatRange to(IpAddress address, int port) {
        return new NatRange(address, address, port, port);
    }

    /** True when a port range is given. */
    public boolean hasPorts() {
        return minPort != 0 || maxPort != 0;
    }
}
