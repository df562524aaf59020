package dev.conntrace.sockets;

import dev.conntrace.sys.IpAddress;
import java.util.Objects;

/**
 * The identity of a socket within a host: namespace, protocol and both endpoints.
 *
 * @param netns network namespace inode
 * @param protocol TCP or UDP
 * @param localAddress local address
 * @param localPort local port
 * @param remoteAddress remote address (any-address when unconnected)
 * @param remotePort remote port (0 when unconnected)
 */
public record SocketKey(long netns, Protocol protocol, IpAddress localAddress, int localPort,
        IpAddress remoteAddress, int remotePort) {
    public SocketKey {
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(localAddress, "localAddress");
        Objects.requireNonNull(remoteAddress, "remoteAddress");
    }

    @Override
    public String toString() {
        return protocol.label() + " " + endpoint(localAddress, localPort) + " -> "
                + endpoint(remoteAddress, remotePort) + " netns " + netns;
    }

    static String endpoint(IpAddress a, int port) {
        return a.v6() ? "[" + a + "]:" + port : a + ":" + port;
    }
}
