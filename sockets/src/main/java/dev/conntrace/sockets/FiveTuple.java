package dev.conntrace.sockets;

import dev.conntrace.sys.IpAddress;
import java.util.Objects;

/**
 * A packet's 5-tuple as it travels: protocol, source and destination. Both addresses have the
 * same family (an IPv4 packet has IPv4 addresses; IPv4-mapped IPv6 addresses count as IPv6).
 *
 * @param protocol TCP or UDP
 * @param source source address
 * @param sourcePort source port 0..65535
 * @param destination destination address
 * @param destinationPort destination port 0..65535
 */
public record FiveTuple(Protocol protocol, IpAddress source, int sourcePort, IpAddress destination,
        int destinationPort) {
    public FiveTuple {
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(destination, "destination");
        if (source.v6() != destination.v6()) {
            throw new IllegalArgumentException("source " + source + " and destination " + destination
                    + " are of different families");
        }
        if (sourcePort < 0 || sourcePort > 0xFFFF || destinationPort < 0 || destinationPort > 0xFFFF) {
            throw new IllegalArgumentException("ports " + sourcePort + ", " + destinationPort + " outside 0..65535");
        }
    }

    /** This host's end of the packet: its destination when it came in, its source when it went out. */
    public IpAddress local(boolean inbound) {
        return inbound ? destination : source;
    }

    /** This host's port. */
    public int localPort(boolean inbound) {
        return inbound ? destinationPort : sourcePort;
    }

    /** The peer's address. */
    public IpAddress remote(boolean inbound) {
        return inbound ? source : destination;
    }

    /** The peer's port. */
    public int remotePort(boolean inbound) {
        return inbound ? sourcePort : destinationPort;
    }

    @Override
    public String toString() {
        return protocol.label() + " " + SocketKey.endpoint(source, sourcePort) + " -> "
                + SocketKey.endpoint(destination, destinationPort);
    }
}
