package dev.conntrace.sockets.diag;

import dev.conntrace.sockets.AddressFamily;
import dev.conntrace.sys.IpAddress;

/** The any-addresses ({@code 0.0.0.0}, {@code ::}) as shared values, so asking for a listener allocates none. */
final class AnyAddress {
    private static final IpAddress V4 = IpAddress.ipv4(0);
    private static final IpAddress V6 = IpAddress.ipv6(0, 0);

    private AnyAddress() {}

    /** The any-address of {@code family}. */
    static IpAddress of(AddressFamily family) {
        return family == AddressFamily.INET6 ? V6 : V4;
    }
}
