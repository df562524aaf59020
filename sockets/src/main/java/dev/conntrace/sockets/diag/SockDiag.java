package dev.conntrace.sockets.diag;

import dev.conntrace.netlink.DecodeException;
import dev.conntrace.netlink.DumpResult;
import dev.conntrace.netlink.MessageBuilder;
import dev.conntrace.netlink.MessageVisitor;
import dev.conntrace.netlink.NetlinkException;
import dev.conntrace.netlink.NetlinkMessage;
import dev.conntrace.netlink.NetlinkSocket;
import dev.conntrace.sockets.AddressFamily;
import dev.conntrace.sockets.Protocol;
import dev.conntrace.sockets.SocketEntry;
import dev.conntrace.sockets.SocketState;
import dev.conntrace.sys.Errno;
import dev.conntrace.sys.IpAddress;
import dev.conntrace.sys.NetNamespace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * A sock_diag client: dumps the TCP and UDP sockets of one network namespace with
 * {@code SOCK_DIAG_BY_FAMILY} requests ({@code struct inet_diag_req_v2}), delivering each socket
 * as it is decoded, never as a list.
 *
 * <p>The netlink socket belongs to the namespace it was created in: {@link #open(NetNamespace)}
 * creates it inside the given namespace, and every dump then lists that namespace's sockets.
 * TCP dumps ask for {@code INET_DIAG_INFO} ({@code tcp_info}); IPv6 replies carry
 * {@code INET_DIAG_SKV6ONLY}. Not thread-safe: one dump at a time. Holds one netlink socket and
 * its fixed buffers until {@link #close()}.
 */
public final class SockDiag implements AutoCloseable {
    private final NetlinkSocket socket;
    private final long netns;
    private final InetDiagDecoder decoder = new InetDiagDecoder();
    /** The protocol of the get under way and its answer: the get's reply visitor is made once, not per call. */
    private Protocol getProtocol;
    private SocketEntry getAnswer;
    private final MessageVisitor getReply = this::acceptGetReply;

    /** Wraps an open {@code NETLINK_SOCK_DIAG} socket whose namespace has inode {@code netns}. */
    public SockDiag(NetlinkSocket socket, long netns) {
        this.socket = socket;
        this.netns = netns;
    }

    /** A client for the calling thread's network namespace. */
    public static SockDiag open() throws IOException {
        NetlinkSocket s = NetlinkSocket.open(InetDiag.NETLINK_SOCK_DIAG);
        try {
            return new SockDiag(s, currentNamespaceInode());
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    /** A client for namespace {@code ns}: its netlink socket is created inside it. */
    public static SockDiag open(NetNamespace ns) throws IOException {
        return ns.call(SockDiag::open);
    }

    /** The namespace inode of the calling thread, from {@code /proc/thread-self/ns/net}. */
    public static long currentNamespaceInode() throws IOException {
        String t = Files.readSymbolicLink(Path.of("/proc/thread-self/ns/net")).toString();
        if (!t.startsWith("net:[") || !t.endsWith("]")) {
            throw new IOException("unexpected namespace link '" + t + "'");
        }
        return Long.parseLong(t, 5, t.length() - 1, 10);
    }

    /** The namespace inode this client lists. */
    public long netns() {
        return netns;
    }

    /** Attributes of unknown types seen so far (skipped). */
    public long unknownAttributes() {
        return decoder.unknownAttributes();
    }

    /** The {@code idiag_states} mask for {@code states}. */
    public static int stateMask(Set<SocketState> states) {
        int mask = 0;
        for (SocketState s : states) {
            if (s.code() < 32) {
                mask |= 1 << s.code();
            }
        }
        return mask;
    }

    /**
     * Dumps sockets of one protocol and family whose state is in {@code stateMask}
     * ({@link InetDiag#ALL_STATES} for all; bit n selects state n).
     *
     * @throws NetlinkException the kernel refused (e.g. ENOENT when the protocol's diag module is absent)
     */
    public DumpStats dump(Protocol protocol, AddressFamily family, int stateMask, SocketSink sink) throws IOException {
        int ext = protocol == Protocol.TCP ? InetDiag.extBit(InetDiag.INET_DIAG_INFO) : 0;
        MessageBuilder req = socket.request(InetDiag.SOCK_DIAG_BY_FAMILY, 0)
                .putU8(family.number()) // sdiag_family
                .putU8(protocol.number()) // sdiag_protocol
                .putU8(ext) // idiag_ext
                .putU8(0) // pad
                .putU32(stateMask) // idiag_states
                .putZeros(InetDiag.REQ_V2_SIZE - 8); // id: struct inet_diag_sockid, all wildcards
        long[] count = new long[1];
        DumpResult r = socket.dump("sock_diag " + protocol.label() + "/" + family.label(), req, m -> {
            if (m.type() == InetDiag.SOCK_DIAG_BY_FAMILY) {
                sink.accept(decoder.decode(m, netns, protocol));
                count[0]++;
            }
        });
        return new DumpStats(count[0], r.messages(), r.interrupted() ? 1 : 0);
    }

    /**
     * One socket by its exact id, without a dump: a {@code SOCK_DIAG_BY_FAMILY} request without
     * {@code NLM_F_DUMP} (the kernel's {@code inet_diag_find_one_icsk} / {@code udp_dump_one}, a
     * hash lookup of a few microseconds). The id is given as the kernel reads it:
     * <ul>
     *   <li>TCP: {@code src} is the local end, {@code dst} the remote one; when no connection
     *       matches, the kernel answers with the socket listening on the local port (a LISTEN
     *       entry), not with "not found".
     *   <li>UDP: the receive orientation, {@code src} the remote end (a datagram's source) and
     *       {@code dst} the local one; the answer is the connected socket or else the best bound one.
     * </ul>
     * An {@link AddressFamily#INET6} request with IPv4-mapped addresses is looked up in the IPv4
     * tables by the kernel; an IPv4 request also finds dual-stack IPv6 sockets (the reply's family
     * says which). The socket cookie is not checked ({@code INET_DIAG_NOCOOKIE}).
     *
     * @return the socket, or null when the kernel has none ({@code ENOENT})
     * @throws NetlinkException any other refusal
     */
    public SocketEntry get(Protocol protocol, AddressFamily family, IpAddress src, int sport, IpAddress dst,
            int dport) throws IOException {
        return get(protocol, family, src, sport, dst, dport, true);
    }

    /**
     * As {@link #get(Protocol, AddressFamily, IpAddress, int, IpAddress, int)}; {@code tcpInfo} false
     * leaves {@code tcp_info} out of the request (a smaller answer, when only the socket's identity is needed).
     */
    public SocketEntry get(Protocol protocol, AddressFamily family, IpAddress src, int sport, IpAddress dst,
            int dport, boolean tcpInfo) throws IOException {
        int ext = protocol == Protocol.TCP && tcpInfo ? InetDiag.extBit(InetDiag.INET_DIAG_INFO) : 0;
        MessageBuilder req = socket.request(InetDiag.SOCK_DIAG_BY_FAMILY, 0)
                .putU8(family.number()) // sdiag_family
                .putU8(protocol.number()) // sdiag_protocol
                .putU8(ext) // idiag_ext
                .putU8(0) // pad
                .putU32(InetDiag.ALL_STATES) // idiag_states
                .putBe16(sport) // id.idiag_sport
                .putBe16(dport); // id.idiag_dport
        putAddress(req, src); // id.idiag_src
        putAddress(req, dst); // id.idiag_dst
        req.putU32(0) // id.idiag_if: any interface
                .putU32(InetDiag.INET_DIAG_NOCOOKIE) // id.idiag_cookie[0]
                .putU32(InetDiag.INET_DIAG_NOCOOKIE); // id.idiag_cookie[1]
        getProtocol = protocol;
        getAnswer = null;
        try {
            // one message answers a get: no ACK is awaited after it, and ENOENT comes back as a miss, not thrown
            boolean answered = socket.query(protocol == Protocol.TCP ? "sock_diag get TCP" : "sock_diag get UDP", req,
                    Errno.ENOENT, getReply);
            return answered ? getAnswer : null;
        } finally {
            getAnswer = null;
        }
    }

    private void acceptGetReply(NetlinkMessage m) throws DecodeException {
        if (m.type() == InetDiag.SOCK_DIAG_BY_FAMILY) {
            getAnswer = decoder.decode(m, netns, getProtocol);
        }
    }

    private static void putAddress(MessageBuilder req, IpAddress a) {
        if (a.v6()) {
            req.putBe32((int) (a.high() >>> 32)).putBe32((int) a.high()).putBe32((int) (a.low() >>> 32))
                    .putBe32((int) a.low());
        } else {
            req.putBe32(a.v4()).putU32(0).putU32(0).putU32(0);
        }
    }

    /** Dumps every state of every selected protocol and family, TCP before UDP, IPv4 before IPv6. */
    public DumpStats dumpAll(Set<Protocol> protocols, Set<AddressFamily> families, SocketSink sink) throws IOException {
        DumpStats total = DumpStats.EMPTY;
        for (Protocol p : Protocol.values()) {
            for (AddressFamily f : AddressFamily.values()) {
                if (protocols.contains(p) && families.contains(f)) {
                    total = total.plus(dump(p, f, InetDiag.ALL_STATES, sink));
                }
            }
        }
        return total;
    }

    @Override
    public void close() {
        socket.close();
    }
}
