/**
 * Connection direction: which side started a connection. {@link dev.conntrace.sockets.direction.PortMap}
 * classifies by listening TCP ports and bound UDP ports per namespace;
 * {@link dev.conntrace.sockets.direction.UdpDirectionMemory} remembers the first UDP datagram per
 * (bind, remote) as the portmaster network state does.
 *
 * <p>Thread-safety: {@code UdpDirectionMemory} is synchronized; a {@code PortMap} is immutable once
 * built. Bounds: the UDP memory caps entries per bind and in total (evictions counted); a
 * {@code PortMap} holds one entry per listening socket it was built from, at most
 * {@code PortMap.Builder.MAX_ENTRIES}.
 */
package dev.conntrace.sockets.direction;
