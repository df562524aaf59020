package dev.conntrace.sockets.direction;

import dev.conntrace.sys.IpAddress;
import java.util.Objects;

/**
 * A local UDP bind: namespace, address and port. IPv4-mapped addresses are stored as IPv4 so a
 * dual-stack socket's traffic meets the same bind either way.
 *
 * @param netns network namespace inode
 * @param address bound address (may be the any-address)
 * @param port bound port
 */
public record UdpBind(long netns, IpAddress address, int port) {
    public UdpBind {
        address = Objects.requireNonNull(address, "address").fromV4Mapped();
        if (port < 0 || port > 0xFFFF) {
            throw new IllegalArgumentException("port " + port + " outside 0..65535");
        }
    }
}
