package dev.conntrace.sockets.diag;

import dev.conntrace.netlink.NetlinkException;
import dev.conntrace.sockets.AddressFamily;
import dev.conntrace.sockets.Protocol;
import dev.conntrace.sockets.netns.NetnsRef;
import dev.conntrace.sockets.netns.NetnsScanner;
import dev.conntrace.sockets.proc.ProcNetReader;
import dev.conntrace.sockets.proc.ProcNetStats;
import dev.conntrace.sys.Errno;
import dev.conntrace.sys.NetNamespace;
import dev.conntrace.sys.SysException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Lists the host's sockets: the current network namespace, or every namespace, through sock_diag,
 * falling back to /proc/net when sock_diag is refused. Sockets are streamed to a sink; what could
 * not be listed is returned as one line per problem, for the caller to show once.
 *
 * <p>Stateless apart from its configuration; each call opens and closes its own sockets.
 */
public final class HostSockets {
    /**
     * What to list.
     *
     * @param protocols protocols to list
     * @param families families to list
     * @param allNamespaces every namespace found by {@link NetnsScanner} (needs root), or only the current one
     */
    public record Options(Set<Protocol> protocols, Set<AddressFamily> families, boolean allNamespaces) {
        public Options {
            protocols = Set.copyOf(protocols);
            families = Set.copyOf(families);
        }
    }

    /**
     * The outcome of a listing.
     *
     * @param sockets sockets delivered
     * @param namespaces namespaces listed
     * @param problems one line per thing that could not be listed, and why
     */
    public record Report(long sockets, int namespaces, List<String> problems) {}

    private HostSockets() {}

    /** Lists sockets as {@code options} says, handing each to {@code sink} as it is decoded. */
    public static Report list(Options options, SocketSink sink) throws IOException {
        List<String> problems = new ArrayList<>();
        long sockets = 0;
        int namespaces = 0;
        if (!options.allNamespaces()) {
            sockets += listCurrent(options, sink, problems);
            return new Report(sockets, 1, List.copyOf(problems));
        }
        NetnsScanner scanner = NetnsScanner.system();
        List<NetnsRef> refs = scanner.scan();
        if (scanner.dropped() > 0) {
            problems.add(scanner.dropped() + " namespaces beyond the cap of " + NetnsScanner.MAX_NAMESPACES
                    + " were not listed");
        }
        long current = SockDiag.currentNamespaceInode();
        int denied = 0;
        for (NetnsRef ref : refs) {
            if (ref.inode() == current) { // no setns needed (and none allowed without root)
                sockets += listCurrent(options, sink, problems);
                namespaces++;
                continue;
            }
            try (NetNamespace ns = NetNamespace.open(ref.path())) {
                long[] n = new long[1];
                ns.run(() -> n[0] = listCurrent(options, sink, problems));
                sockets += n[0];
                namespaces++;
            } catch (SysException e) {
                if (e.errno() == Errno.EPERM || e.errno() == Errno.EACCES) {
                    denied++;
                } else {
                    problems.add("namespace " + ref.inode() + " (" + ref.path() + "): " + e.getMessage());
                }
            }
        }
        if (denied > 0) {
            problems.add(denied + " other network namespace" + (denied == 1 ? " was" : "s were")
                    + " not listed: entering a namespace needs root (CAP_SYS_ADMIN)");
        }
        return new Report(sockets, namespaces, List.copyOf(problems));
    }

    /** Lists the calling thread's namespace: sock_diag, else /proc/thread-self/net. */
    private static long listCurrent(Options options, SocketSink sink, List<String> problems) throws IOException {
        try (SockDiag diag = SockDiag.open()) {
            long n = 0;
            for (Protocol p : Protocol.values()) {
                for (AddressFamily f : AddressFamily.values()) {
                    if (!options.protocols().contains(p) || !options.families().contains(f)) {
                        continue;
                    }
                    try {
                        DumpStats s = diag.dump(p, f, InetDiag.ALL_STATES, sink);
                        n += s.sockets();
                        if (s.interrupted() > 0) {
                            problems.add(p.label() + "/" + f.label() + " in namespace " + diag.netns()
                                    + ": the table changed during the dump; a socket may be missing or repeated");
                        }
                    } catch (NetlinkException e) {
                        problems.add(p.label() + "/" + f.label() + " via sock_diag: " + e.getMessage()
                                + "; read from /proc/net instead");
                        n += fromProc(diag.netns(), Set.of(p), Set.of(f), sink, problems);
                    }
                }
            }
            return n;
        } catch (NetlinkException e) {
            problems.add("sock_diag unavailable (" + e.getMessage() + "); read from /proc/net instead");
            return fromProc(SockDiag.currentNamespaceInode(), options.protocols(), options.families(), sink, problems);
        }
    }

    private static long fromProc(long netns, Set<Protocol> protocols, Set<AddressFamily> families, SocketSink sink,
            List<String> problems) throws IOException {
        try {
            ProcNetStats s = new ProcNetReader().readAll(Path.of("/proc/thread-self/net"), netns, protocols, families,
                    e -> {
                        try {
                            sink.accept(e);
                        } catch (IOException io) {
                            throw new UncheckedIOException(io);
                        }
                    });
            if (s.malformed() > 0) {
                problems.add(s.malformed() + " malformed /proc/net rows skipped (first: " + s.firstError() + ")");
            }
            return s.rows();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
