package dev.conntrace.sockets.diag;

import dev.conntrace.sockets.AddressFamily;
import dev.conntrace.sockets.Protocol;
import dev.conntrace.sockets.SocketEntry;
import dev.conntrace.sockets.process.ProcessInfo;
import dev.conntrace.sys.IpAddress;
import java.io.IOException;

/**
 * The steps a {@link SocketLookup} takes, each told the {@link System#nanoTime()} deadline it must
 * return by. {@link #kernel} gives the real ones; tests substitute slow or failing ones.
 */
public interface LookupSteps {
    /** The exact sock_diag get ({@link SockDiag#get}), id given in the kernel's orientation; null when none. */
    SocketEntry get(Protocol protocol, AddressFamily family, IpAddress src, int sport, IpAddress dst, int dport,
            long deadlineNanos) throws IOException;

    /**
     * The TCP socket listening on {@code local} port {@code port} (the kernel's answer to a get with
     * an any-address remote end), or null when none; its {@code tcp_info} is not needed.
     */
    default SocketEntry listener(AddressFamily family, IpAddress local, int port, long deadlineNanos)
            throws IOException {
        return get(Protocol.TCP, family, local, port, AnyAddress.of(family), 0, deadlineNanos);
    }

    /**
     * The pids holding socket {@code inode}; {@code thorough} may rescan /proc. Empty when none,
     * null when the deadline came first.
     */
    int[] pids(long inode, boolean thorough, long deadlineNanos) throws IOException;

    /** The details of {@code pid}, or null when it is gone. */
    ProcessInfo process(int pid);

    /** The real steps: a sock_diag client, a process index and process details. */
    static LookupSteps kernel(SockDiag diag, dev.conntrace.sockets.process.ProcessIndex index,
            dev.conntrace.sockets.process.ProcessDetails details) {
        return new LookupSteps() {
            @Override
            public SocketEntry get(Protocol protocol, AddressFamily family, IpAddress src, int sport, IpAddress dst,
                    int dport, long deadlineNanos) throws IOException {
                // the kernel answers within the send (a hash lookup): nothing here can wait
                return diag.get(protocol, family, src, sport, dst, dport);
            }

            @Override
            public SocketEntry listener(AddressFamily family, IpAddress local, int port, long deadlineNanos)
                    throws IOException {
                return diag.get(Protocol.TCP, family, local, port, AnyAddress.of(family), 0, false);
            }

            @Override
            public int[] pids(long inode, boolean thorough, long deadlineNanos) throws IOException {
                return thorough ? index.find(inode, deadlineNanos) : index.pidsOf(inode);
            }

            @Override
            public ProcessInfo process(int pid) {
                return details.get(pid);
            }
        };
    }
}
