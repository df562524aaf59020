package dev.conntrace.sockets.diag;

import dev.conntrace.sockets.Direction;
import dev.conntrace.sockets.Protocol;
import dev.conntrace.sockets.SocketEntry;
import dev.conntrace.sockets.direction.PortMap;
import dev.conntrace.sockets.direction.UdpBind;
import dev.conntrace.sockets.direction.UdpDirectionMemory;
import dev.conntrace.sockets.process.ProcessDetails;
import dev.conntrace.sockets.process.ProcessIndex;
import dev.conntrace.sockets.process.ProcessInfo;
import dev.conntrace.sys.IpAddress;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Answers "which process owns this connection, and who started it" for a 5-tuple seen from this
 * host's side: the socket from a {@link SocketTable}, its holders from a {@link ProcessIndex}, their
 * details, and the direction from the listening-port map (TCP) or the first datagram remembered by
 * a {@link UdpDirectionMemory} (UDP).
 *
 * <p>{@link #refresh()} re-dumps the sockets, updates the process index incrementally, rebuilds
 * the port map and forgets UDP binds that closed. Not thread-safe (the table is not); the memory
 * bounds are those of the parts.
 */
public final class ConnectionResolver {
    /**
     * The owner of a connection.
     *
     * @param socket the socket carrying it (the connected one, else the listener/bound one), or null
     * @param processes the processes holding that socket (empty for TIME_WAIT, other namespaces' pids unseen…)
     * @param direction who started it
     */
    public record Owner(SocketEntry socket, List<ProcessInfo> processes, Direction direction) {}

    private final SocketTable table;
    private final ProcessIndex index;
    private final ProcessDetails details;
    private final UdpDirectionMemory udp;
    private PortMap ports = PortMap.builder().build();

    /** A resolver over these parts; call {@link #refresh()} before the first {@link #resolve}. */
    public ConnectionResolver(SocketTable table, ProcessIndex index, ProcessDetails details, UdpDirectionMemory udp) {
        this.table = Objects.requireNonNull(table, "table");
        this.index = Objects.requireNonNull(index, "index");
        this.details = Objects.requireNonNull(details, "details");
        this.udp = Objects.requireNonNull(udp, "udp");
    }

    /** Re-reads sockets and processes. */
    public void refresh() throws IOException {
        table.refresh();
        index.refresh();
        PortMap.Builder b = PortMap.builder();
        Set<UdpBind> binds = new HashSet<>();
        table.forEach(e -> {
            b.add(e);
            if (e.protocol() == Protocol.UDP && e.localPort() != 0) {
                binds.add(new UdpBind(e.netns(), e.localAddress(), e.localPort()));
            }
        });
        ports = b.build();
        udp.retainBinds(binds);
    }

    /**
     * Resolves a connection in {@code netns}: {@code local} is this host's end.
     *
     * @param packet for UDP, the direction of the datagram being classified (INCOMING when it
     *     arrived, OUTGOING when sent); the first datagram of a (bind, remote) pair fixes the
     *     answer. Ignored for TCP.
     */
    public Owner resolve(long netns, Protocol protocol, IpAddress local, int localPort, IpAddress remote,
            int remotePort, Direction packet) throws IOException {
        SocketEntry socket = table.lookup(netns, protocol, local, localPort, remote, remotePort);
        List<ProcessInfo> processes = new ArrayList<>(1);
        if (socket != null && socket.inode() != 0) {
            for (int pid : index.find(socket.inode())) {
                ProcessInfo p = details.get(pid);
                if (p != null) {
                    processes.add(p);
                }
            }
        }
        Direction d = ports.classify(netns, protocol, local, localPort, remote, remotePort);
        if (protocol == Protocol.UDP && d != Direction.LOCAL && packet != null && packet != Direction.UNKNOWN) {
            IpAddress bindAddress = socket != null ? socket.localAddress() : local;
            d = udp.record(new UdpBind(netns, bindAddress, localPort), remote, remotePort, packet);
        }
        return new Owner(socket, List.copyOf(processes), d);
    }
}
