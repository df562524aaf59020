package dev.conntrace.sockets;

import dev.conntrace.sys.IpAddress;
import java.util.Objects;

/**
 * One TCP or UDP socket as read from /proc/net or from sock_diag.
 *
 * <p>Fields a source cannot supply have a documented "unknown" value: {@code cookie} is -1 from
 * /proc/net, {@code cgroupId} 0, {@code v6Only} {@link V6Only#UNKNOWN}, {@code tcpInfo} null.
 * Sockets without an owner (TIME_WAIT, NEW_SYN_RECV, orphaned FIN_WAIT2) have inode 0.
 *
 * @param netns the network namespace inode (nsfs), or 0 when unknown
 * @param protocol TCP or UDP
 * @param family the socket's family; an {@code INET6} socket may show IPv4-mapped addresses
 * @param state the kernel state (open enum)
 * @param localAddress local address (family matches {@code family})
 * @param localPort local port 0..65535
 * @param remoteAddress remote address, any-address when unconnected
 * @param remotePort remote port, 0 when unconnected
 * @param txQueue bytes in the send queue (TCP LISTEN: accept backlog limit)
 * @param rxQueue bytes in the receive queue (TCP LISTEN: connections waiting to be accepted)
 * @param uid owning user id
 * @param inode socket inode (matches {@code socket:[N]} in /proc/PID/fd), 0 when none
 * @param cookie the kernel's socket cookie, -1 when unknown
 * @param interfaceIndex bound interface index, 0 when not bound or unknown
 * @param v6Only IPV6_V6ONLY of an INET6 socket
 * @param cgroupId cgroup v2 id of the socket's creator, 0 when unknown
 * @param tcpInfo TCP metrics from sock_diag, null otherwise
 */
public record SocketEntry(
        long netns,
        Protocol protocol,
        AddressFamily family,
        SocketState state,
        IpAddress localAddress,
        int localPort,
        IpAddress remoteAddress,
        int remotePort,
        long txQueue,
        long rxQueue,
        int uid,
        long inode,
        long cookie,
        int interfaceIndex,
        V6Only v6Only,
        long cgroupId,
        TcpInfo tcpInfo) {

    public SocketEntry {
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(family, "family");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(localAddress, "localAddress");
        Objects.requireNonNull(remoteAddress, "remoteAddress");
        Objects.requireNonNull(v6Only, "v6Only");
        checkPort(localPort, "localPort");
        checkPort(remotePort, "remotePort");
    }

    private static void checkPort(int port, String what) {
        if (port < 0 || port > 0xFFFF) {
            throw new IllegalArgumentException(what + " " + port + " outside 0..65535");
        }
    }

    /** True for a TCP socket in LISTEN. */
    public boolean isListening() {
        return protocol == Protocol.TCP && state.equals(SocketState.LISTEN);
    }

    /** True when the socket has a peer (remote port non-zero). */
    public boolean isConnected() {
        return remotePort != 0;
    }

    /** This entry with the given TCP metrics. */
    public SocketEntry withTcpInfo(TcpInfo info) {
        return new SocketEntry(netns, protocol, family, state, localAddress, localPort, remoteAddress,
                remotePort, txQueue, rxQueue, uid, inode, cookie, interfaceIndex, v6Only, cgroupId, info);
    }

    /** This entry placed in namespace {@code ns}. */
    public SocketEntry withNetns(long ns) {
        return new SocketEntry(ns, protocol, family, state, localAddress, localPort, remoteAddress,
                remotePort, txQueue, rxQueue, uid, inode, cookie, interfaceIndex, v6Only, cgroupId, tcpInfo);
    }

    /** The key of this socket in a namespace-aware table. */
    public SocketKey key() {
        return new SocketKey(netns, protocol, localAddress, localPort, remoteAddress, remotePort);
    }
}
