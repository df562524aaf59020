package dev.conntrace.sockets.diag;

import dev.conntrace.sockets.AddressFamily;
import dev.conntrace.sockets.Protocol;
import dev.conntrace.sockets.SocketEntry;
import dev.conntrace.sockets.SocketKey;
import dev.conntrace.sockets.SocketState;
import dev.conntrace.sockets.V6Only;
import dev.conntrace.sys.IpAddress;
import dev.conntrace.sys.NetNamespace;
import java.io.IOException;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The TCP and UDP sockets of several network namespaces, keyed by (namespace, protocol, local,
 * remote), refreshed by sock_diag dumps through one {@link SockDiag} client per namespace.
 *
 * <p>{@link #lookup} answers "which socket carries this 5-tuple": the exact entry, its IPv4-mapped
 * form (a dual-stack IPv6 socket), or else the listening / bound socket of the local port.
 *
 * <p>Bounded: at most {@code maxEntries} sockets are held; the rest of a refresh is counted in
 * {@link #dropped()}. Not thread-safe; one owner refreshes and reads it.
 */
public final class SocketTable implements AutoCloseable {
    /** Default cap on sockets held. */
    public static final int DEFAULT_MAX_ENTRIES = 1 << 20;

    private static final IpAddress ANY4 = IpAddress.ipv4(0);
    private static final IpAddress ANY6 = IpAddress.ipv6(0, 0);

    private final Map<Long, SockDiag> clients = new LinkedHashMap<>();
    private final int maxEntries;
    private Map<SocketKey, SocketEntry> entries = new HashMap<>();
    private long dropped;

    /** An empty table holding at most {@code maxEntries} sockets. */
    public SocketTable(int maxEntries) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries " + maxEntries + " < 1");
        }
        this.maxEntries = maxEntries;
    }

    /** Adds the calling thread's namespace; returns its inode. */
    public long addCurrentNamespace() throws IOException {
        return add(SockDiag.open());
    }

    /** Adds namespace {@code ns} (a netlink socket is created inside it); returns its inode. */
    public long addNamespace(NetNamespace ns) throws IOException {
        return add(SockDiag.open(ns));
    }

    private long add(SockDiag client) {
        long inode = client.netns();
        if (clients.containsKey(inode)) {
            client.close(); // already listed through another path
        } else {
            clients.put(inode, client);
        }
        return inode;
    }

    /** Closes and forgets every namespace not in {@code inodes}; their sockets go at the next refresh. */
    public void retainNamespaces(Set<Long> inodes) {
        for (Iterator<Map.Entry<Long, SockDiag>> it = clients.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            if (!inodes.contains(e.getKey())) {
                e.getValue().close();
                it.remove();
            }
        }
    }

    /** The namespaces listed. */
    public Set<Long> namespaces() {
        return Set.copyOf(clients.keySet());
    }

    /** Replaces the contents with a fresh dump of TCP and UDP, IPv4 and IPv6, every state, of every namespace. */
    public DumpStats refresh() throws IOException {
        Map<SocketKey, SocketEntry> next = new HashMap<>(Math.max(16, entries.size() * 4 / 3));
        DumpStats total = DumpStats.EMPTY;
        long[] over = new long[1];
        for (SockDiag c : clients.values()) {
            total = total.plus(c.dumpAll(EnumSet.allOf(Protocol.class), EnumSet.allOf(AddressFamily.class), e -> {
                SocketKey k = e.key();
                SocketEntry old = next.get(k);
                if (old == null && next.size() >= maxEntries) {
                    over[0]++;
                    return;
                }
                // a TIME_WAIT leftover never hides a live socket on the same 4-tuple
                if (old == null || old.state().equals(SocketState.TIME_WAIT)) {
                    next.put(k, e);
                }
            }));
        }
        entries = next;
        dropped += over[0];
        return total;
    }

    /** The socket with exactly this key, or null. */
    public SocketEntry get(SocketKey key) {
        return entries.get(key);
    }

    /**
     * The socket carrying {@code local:lport ↔ remote:rport} in {@code netns}: the connected socket
     * (IPv4 tuples also match a dual-stack IPv6 socket through {@code ::ffff:a.b.c.d}), else the
     * socket listening on or bound to the local port (specific address before any-address).
     * Null when none.
     */
    public SocketEntry lookup(long netns, Protocol protocol, IpAddress local, int lport, IpAddress remote, int rport) {
        SocketEntry e = entries.get(new SocketKey(netns, protocol, local, lport, remote, rport));
        if (e == null && !local.v6()) {
            e = entries.get(new SocketKey(netns, protocol, local.toV4Mapped(), lport, remote.toV4Mapped(), rport));
        }
        if (e == null && local.isV4Mapped()) {
            e = entries.get(new SocketKey(netns, protocol, local.fromV4Mapped(), lport, remote.fromV4Mapped(), rport));
        }
        if (e != null) {
            return e;
        }
        IpAddress l4 = local.fromV4Mapped();
        if (!l4.v6()) {
            e = bound(netns, protocol, l4, lport, ANY4, false);
            e = e != null ? e : bound(netns, protocol, l4.toV4Mapped(), lport, ANY6, true);
            e = e != null ? e : bound(netns, protocol, ANY4, lport, ANY4, false);
            return e != null ? e : bound(netns, protocol, ANY6, lport, ANY6, true);
        }
        e = bound(netns, protocol, local, lport, ANY6, false);
        return e != null ? e : bound(netns, protocol, ANY6, lport, ANY6, false);
    }

    /** The unconnected socket on local:lport; an IPv4 query through an IPv6 socket skips V6ONLY ones. */
    private SocketEntry bound(long netns, Protocol protocol, IpAddress local, int lport, IpAddress anyRemote,
            boolean v4ViaV6) {
        SocketEntry e = entries.get(new SocketKey(netns, protocol, local, lport, anyRemote, 0));
        return e != null && v4ViaV6 && e.v6Only() == V6Only.V6_ONLY ? null : e;
    }

    /** Every socket held, in no particular order. */
    public void forEach(Consumer<? super SocketEntry> action) {
        entries.values().forEach(action);
    }

    /** Sockets held. */
    public int size() {
        return entries.size();
    }

    /** Sockets not held because of the cap, over all refreshes. */
    public long dropped() {
        return dropped;
    }

    @Override
    public void close() {
        clients.values().forEach(SockDiag::close);
        clients.clear();
    }
}
