package dev.conntrace.sockets.direction;

import dev.conntrace.sockets.AddressFamily;
import dev.conntrace.sockets.Direction;
import dev.conntrace.sockets.Protocol;
import dev.conntrace.sockets.SocketEntry;
import dev.conntrace.sockets.SocketState;
import dev.conntrace.sockets.V6Only;
import dev.conntrace.sys.IpAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Listening TCP ports and bound UDP ports per network namespace, to tell whether a connection is
 * incoming, outgoing or local. Immutable; build one from a socket table with {@link Builder}.
 *
 * <p>A listener on the any-address matches every local address of its family; an IPv6 listener
 * on {@code ::} also matches IPv4 addresses unless it is known to be V6ONLY (from /proc/net,
 * where V6ONLY is unknown, it is assumed dual-stack). IPv4-mapped addresses are compared as IPv4.
 *
 * <p>UDP has no listen state: an unconnected socket with a local port is a bound port. Client
 * resolvers use unconnected sockets on ephemeral ports too, so a bound UDP port inside the
 * ephemeral range classifies as {@link Direction#UNKNOWN}; use {@link UdpDirectionMemory} there.
 */
public final class PortMap {
    private record PortKey(long netns, Protocol protocol, int port) {}

    private record Listener(IpAddress address, AddressFamily family, V6Only v6Only) {
        boolean accepts(IpAddress local) {
            IpAddress l = local.fromV4Mapped();
            if (!address.isAny()) {
                return address.equals(l);
            }
            if (family == AddressFamily.INET) {
                return !l.v6();
            }
            return l.v6() || v6Only != V6Only.V6_ONLY;
        }
    }

    private final Map<PortKey, List<Listener>> listeners;
    private final Map<Long, Set<IpAddress>> localAddresses;
    private final int ephemeralLow;
    private final int ephemeralHigh;

    private PortMap(Builder b) {
        this.listeners = Map.copyOf(b.listeners);
        Map<Long, Set<IpAddress>> locals = new HashMap<>();
        b.localAddresses.forEach((ns, set) -> locals.put(ns, Set.copyOf(set)));
        this.localAddresses = Map.copyOf(locals);
        this.ephemeralLow = b.ephemeralLow;
        this.ephemeralHigh = b.ephemeralHigh;
    }

    /** A new builder with the kernel's default ephemeral range 32768..60999. */
    public static Builder builder() {
        return new Builder();
    }

    /** True when a listening TCP socket (or bound UDP socket) in {@code netns} accepts {@code local:port}. */
    public boolean isBound(long netns, Protocol protocol, IpAddress local, int port) {
        List<Listener> list = listeners.get(new PortKey(netns, protocol, port));
        if (list != null) {
            for (Listener l : list) {
                if (l.accepts(local)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** True when {@code address} belongs to this host as seen from {@code netns} (loopback or a local socket address). */
    public boolean isLocalAddress(long netns, IpAddress address) {
        IpAddress a = address.fromV4Mapped();
        if (a.isLoopback()) {
            return true;
        }
        Set<IpAddress> set = localAddresses.get(netns);
        return set != null && set.contains(a);
    }

    /** Classifies a connection seen from the socket's side ({@code local} is this host's end). */
    public Direction classify(long netns, Protocol protocol, IpAddress local, int localPort, IpAddress remote,
            int remotePort) {
        if (isLocalAddress(netns, remote)) {
            return Direction.LOCAL;
        }
        boolean bound = isBound(netns, protocol, local, localPort);
        if (protocol == Protocol.TCP) {
            return bound ? Direction.INCOMING : Direction.OUTGOING;
        }
        if (!bound) {
            return Direction.OUTGOING;
        }
        return localPort >= ephemeralLow && localPort <= ephemeralHigh ? Direction.UNKNOWN : Direction.INCOMING;
    }

    /** Number of listening/bound sockets held. */
    public int size() {
        int n = 0;
        for (List<Listener> l : listeners.values()) {
            n += l.size();
        }
        return n;
    }

    /** Collects sockets into a {@link PortMap}. Not thread-safe. */
    public static final class Builder {
        /** Most listening/bound sockets one map holds; more are counted in {@link #dropped()}. */
        public static final int MAX_ENTRIES = 1 << 20;

        private final Map<PortKey, List<Listener>> listeners = new HashMap<>();
        private final Map<Long, Set<IpAddress>> localAddresses = new HashMap<>();
        private int entries;
        private long dropped;
        private int ephemeralLow = 32768;
        private int ephemeralHigh = 60999;

        private Builder() {}

        /** Sets the ephemeral port range ({@code net.ipv4.ip_local_port_range}). */
        public Builder ephemeralRange(int low, int high) {
            if (low < 0 || high > 0xFFFF || low > high) {
                throw new IllegalArgumentException("bad ephemeral range " + low + ".." + high);
            }
            ephemeralLow = low;
            ephemeralHigh = high;
            return this;
        }

        /** Notes {@code address} as one of this host's addresses in {@code netns}. */
        public Builder addLocalAddress(long netns, IpAddress address) {
            IpAddress a = address.fromV4Mapped();
            if (!a.isAny()) {
                localAddresses.computeIfAbsent(netns, k -> new HashSet<>()).add(a);
            }
            return this;
        }

        /** Adds a socket: listening TCP and unconnected bound UDP sockets become ports; every local address is noted. */
        public Builder add(SocketEntry e) {
            addLocalAddress(e.netns(), e.localAddress());
            boolean port = e.protocol() == Protocol.TCP ? e.state().equals(SocketState.LISTEN)
                    : e.localPort() != 0 && !e.isConnected();
            if (!port) {
                return this;
            }
            if (entries >= MAX_ENTRIES) {
                dropped++;
                return this;
            }
            entries++;
            listeners.computeIfAbsent(new PortKey(e.netns(), e.protocol(), e.localPort()), k -> new ArrayList<>(2))
                    .add(new Listener(e.localAddress().fromV4Mapped(), e.family(), e.v6Only()));
            return this;
        }

        /** Sockets not added because of {@link #MAX_ENTRIES}. */
        public long dropped() {
            return dropped;
        }

        /** The map. */
        public PortMap build() {
            return new PortMap(this);
        }
    }
}
