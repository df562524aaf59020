package dev.conntrace.sockets.diag;

import dev.conntrace.sockets.AddressFamily;
import dev.conntrace.sockets.Protocol;
import dev.conntrace.sockets.SocketEntry;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

/**
 * One namespace's sockets in the shape of portmaster's {@code network/state.Info}: TCP connections
 * and TCP listeners, and UDP binds, each per family. A listening TCP socket and every UDP socket
 * (UDP has no listen state; a connected one is still a bind of its local port) are a {@link Bind},
 * which says whether it listens on the any-address ({@code ListensAny}); every other TCP socket is
 * a connection. An IPv6 socket is in the IPv6 lists even when it carries IPv4-mapped addresses.
 *
 * <p>Immutable. Bounded: {@link #take} and {@link Builder} keep at most {@code maxEntries} sockets in
 * all; the rest is counted in {@link #dropped()}.
 *
 * @param netns the namespace's inode
 * @param tcp4Connections TCP/IPv4 sockets that are not listening
 * @param tcp4Listeners TCP/IPv4 listening sockets
 * @param tcp6Connections TCP/IPv6 sockets that are not listening
 * @param tcp6Listeners TCP/IPv6 listening sockets
 * @param udp4Binds UDP/IPv4 sockets
 * @param udp6Binds UDP/IPv6 sockets
 * @param dropped sockets left out for the cap
 */
public record SocketSnapshot(long netns, List<SocketEntry> tcp4Connections, List<Bind> tcp4Listeners,
        List<SocketEntry> tcp6Connections, List<Bind> tcp6Listeners, List<Bind> udp4Binds, List<Bind> udp6Binds,
        long dropped) {

    /** Default cap on the sockets of one snapshot. */
    public static final int DEFAULT_MAX_ENTRIES = 1 << 20;

    /**
     * A bound socket.
     *
     * @param socket the socket
     * @param listensAny whether its local address is the any-address (0.0.0.0 or ::), so that it
     *     receives on every local address of its family (an IPv6 one also on IPv4's unless V6ONLY)
     */
    public record Bind(SocketEntry socket, boolean listensAny) {}

    public SocketSnapshot {
        tcp4Connections = List.copyOf(tcp4Connections);
        tcp4Listeners = List.copyOf(tcp4Listeners);
        tcp6Connections = List.copyOf(tcp6Connections);
        tcp6Listeners = List.copyOf(tcp6Listeners);
        udp4Binds = List.copyOf(udp4Binds);
        udp6Binds = List.copyOf(udp6Binds);
    }

    /** Dumps every TCP and UDP socket of {@code diag}'s namespace into a snapshot. */
    public static SocketSnapshot take(SockDiag diag, int maxEntries) throws IOException {
        Builder b = builder(diag.netns(), maxEntries);
        diag.dumpAll(EnumSet.allOf(Protocol.class), EnumSet.allOf(AddressFamily.class), b);
        return b.build();
    }

    /** A builder for namespace {@code netns}, keeping at most {@code maxEntries} sockets. */
    public static Builder builder(long netns, int maxEntries) {
        return new Builder(netns, maxEntries);
    }

    /** Sorts sockets into a snapshot as they are dumped. Not thread-safe. */
    public static final class Builder implements SocketSink {
        private final long netns;
        private final int maxEntries;
        private final List<SocketEntry> tcp4 = new ArrayList<>();
        private final List<Bind> tcp4Listen = new ArrayList<>();
        private final List<SocketEntry> tcp6 = new ArrayList<>();
        private final List<Bind> tcp6Listen = new ArrayList<>();
        private final List<Bind> udp4 = new ArrayList<>();
        private final List<Bind> udp6 = new ArrayList<>();
        private int size;
        private long dropped;

        private Builder(long netns, int maxEntries) {
            if (maxEntries < 1) {
                throw new IllegalArgumentException("maxEntries " + maxEntries + " < 1");
            }
            this.netns = netns;
            this.maxEntries = maxEntries;
        }

        @Override
        public void accept(SocketEntry e) {
            if (size >= maxEntries) {
                dropped++;
                return;
            }
            size++;
            boolean v6 = e.family() == AddressFamily.INET6;
            if (e.protocol() == Protocol.UDP) {
                (v6 ? udp6 : udp4).add(new Bind(e, e.localAddress().isAny()));
            } else if (e.isListening()) {
                (v6 ? tcp6Listen : tcp4Listen).add(new Bind(e, e.localAddress().isAny()));
            } else {
                (v6 ? tcp6 : tcp4).add(e);
            }
        }

        /** The snapshot of what was accepted so far. */
        public SocketSnapshot build() {
            return new SocketSnapshot(netns, tcp4, tcp4Listen, tcp6, tcp6Listen, udp4, udp6, dropped);
        }
    }
}
