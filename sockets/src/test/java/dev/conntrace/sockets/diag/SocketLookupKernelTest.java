package dev.conntrace.sockets.diag;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conntrace.sockets.AddressFamily;
import dev.conntrace.sockets.FiveTuple;
import dev.conntrace.sockets.Protocol;
import dev.conntrace.sockets.SocketState;
import dev.conntrace.sockets.direction.UdpDirectionMemory;
import dev.conntrace.sockets.process.ProcessDetails;
import dev.conntrace.sockets.process.ProcessIndex;
import dev.conntrace.sockets.process.ProcessInfo;
import dev.conntrace.sys.IpAddress;
import dev.conntrace.sys.PrivateNamespace;
import dev.conntrace.sys.testing.Prerequisites;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.time.InstantSource;
import org.junit.jupiter.api.Test;

/**
 * {@link SocketLookup} against the real kernel in a fresh namespace: sockets opened by this JVM on
 * the namespace's loopback, looked up by exact sock_diag gets.
 */
class SocketLookupKernelTest {
    private static final int SELF = (int) ProcessHandle.current().pid();
    private static final IpAddress LO = IpAddress.parse("127.0.0.1");
    // budgets are tested with fake steps; here a cold JVM's first calls must not run out of time
    private static final SocketLookup.Config NO_CACHE = new SocketLookup.Config(Duration.ofSeconds(5),
            Duration.ofSeconds(10), Duration.ZERO, 16);
    private static final SocketLookup.Config CACHE = new SocketLookup.Config(Duration.ofSeconds(5),
            Duration.ofSeconds(10), Duration.ofSeconds(30), 16);

    private static int port(java.net.SocketAddress a) {
        return ((InetSocketAddress) a).getPort();
    }

    /** An IPv4 socket connected to {@code to} (Java's default would be a dual-stack IPv6 one). */
    private static SocketChannel connect4(java.net.SocketAddress to) throws java.io.IOException {
        SocketChannel c = SocketChannel.open(StandardProtocolFamily.INET);
        c.connect(to);
        return c;
    }

    private static SocketLookup lookup(SockDiag diag, SocketLookup.Config config) throws java.io.IOException {
        ProcessIndex index = ProcessIndex.system();
        index.fullScan(); // a fast lookup reads the index as it is
        return new SocketLookup(diag.netns(), LookupSteps.kernel(diag, index, ProcessDetails.system()),
                new UdpDirectionMemory(InstantSource.system(), UdpDirectionMemory.Limits.DEFAULT), config);
    }

    @Test
    void tcpExactListenerTrapMissAndV4Mapped() throws Exception {
        Prerequisites.requireRoot();
        try (PrivateNamespace ns = PrivateNamespace.create();
                ServerSocketChannel listener = ns.call(() -> ServerSocketChannel.open(StandardProtocolFamily.INET)
                        .bind(new InetSocketAddress("127.0.0.1", 0)));
                SocketChannel client = ns.call(() -> connect4(listener.getLocalAddress()));
                SocketChannel accepted = listener.accept();
                ServerSocketChannel dual = ns.call(() -> ServerSocketChannel.open(StandardProtocolFamily.INET6)
                        .bind(new InetSocketAddress("::", 0)));
                SocketChannel v4Client = ns.call(() -> connect4(
                        new InetSocketAddress("127.0.0.1", port(dual.getLocalAddress()))));
                SocketChannel v4Accepted = dual.accept();
                SockDiag diag = SockDiag.open(ns.namespace())) {
            SocketLookup l = lookup(diag, NO_CACHE);
            int sport = port(listener.getLocalAddress());
            int cport = port(client.getLocalAddress());
            FiveTuple toServer = new FiveTuple(Protocol.TCP, LO, cport, LO, sport);

            // arriving at the server: the accepted socket, inbound
            LookupResult in = l.lookup(toServer, true, SocketLookup.Mode.THOROUGH);
            assertThat(in.outcome()).isEqualTo(LookupOutcome.FOUND);
            assertThat(in.attribution()).isEqualTo(Attribution.EXACT_SOCKET);
            assertThat(in.socket().state()).isEqualTo(SocketState.ESTABLISHED);
            assertThat(in.socket().localPort()).isEqualTo(sport);
            assertThat(in.socket().remotePort()).isEqualTo(cport).isEqualTo(port(accepted.getRemoteAddress()));
            assertThat(in.inbound()).isTrue();
            assertThat(in.processes()).extracting(ProcessInfo::pid).containsExactly(SELF);

            // leaving the client: the client's socket, outbound
            LookupResult out = l.lookup(toServer, false, SocketLookup.Mode.THOROUGH);
            assertThat(out.attribution()).isEqualTo(Attribution.EXACT_SOCKET);
            assertThat(out.socket().localPort()).isEqualTo(cport);
            assertThat(out.inbound()).isFalse();
            assertThat(out.processes()).extracting(ProcessInfo::pid).containsExactly(SELF);

            // no such connection: the kernel's get answers with the listener, reported as such
            int stray = cport == 40000 ? 40001 : 40000;
            LookupResult syn = l.lookup(new FiveTuple(Protocol.TCP, LO, stray, LO, sport), true,
                    SocketLookup.Mode.FAST);
            assertThat(syn.attribution()).isEqualTo(Attribution.LISTENER);
            assertThat(syn.socket().isListening()).isTrue();
            assertThat(syn.inbound()).isTrue();
            assertThat(l.exists(new FiveTuple(Protocol.TCP, LO, stray, LO, sport), true)).isFalse();
            assertThat(l.exists(toServer, true)).isTrue();

            // nothing on the port at all: an explicit miss
            int closed = sport == 9 ? 10 : 9;
            LookupResult miss = l.lookup(new FiveTuple(Protocol.TCP, LO, 40000, LO, closed), true,
                    SocketLookup.Mode.THOROUGH);
            assertThat(miss.outcome()).isEqualTo(LookupOutcome.CONNECTION_NOT_FOUND);
            assertThat(miss.attribution()).isEqualTo(Attribution.NOT_FOUND);
            assertThat(miss.socket()).isNull();
            assertThat(miss.processes()).isEmpty();

            // an IPv4 connection accepted by a dual-stack IPv6 listener
            int dport = port(dual.getLocalAddress());
            int vport = port(v4Client.getLocalAddress());
            LookupResult mapped = l.lookup(new FiveTuple(Protocol.TCP, LO, vport, LO, dport), true,
                    SocketLookup.Mode.THOROUGH);
            assertThat(mapped.outcome()).isEqualTo(LookupOutcome.FOUND);
            assertThat(mapped.attribution()).isEqualTo(Attribution.V4_MAPPED);
            assertThat(mapped.socket().family()).isEqualTo(AddressFamily.INET6);
            assertThat(mapped.socket().remotePort()).isEqualTo(vport).isEqualTo(port(v4Accepted.getRemoteAddress()));
            assertThat(mapped.inbound()).isTrue();
        }
    }

    @Test
    void udpIsLookedUpInTheReceiveOrientation() throws Exception {
        Prerequisites.requireRoot();
        try (PrivateNamespace ns = PrivateNamespace.create();
                DatagramChannel server = ns.call(() -> DatagramChannel.open(StandardProtocolFamily.INET)
                        .bind(new InetSocketAddress("127.0.0.1", 0)));
                DatagramChannel client = ns.call(() -> DatagramChannel.open(StandardProtocolFamily.INET)
                        .connect(server.getLocalAddress()));
                SockDiag diag = SockDiag.open(ns.namespace())) {
            client.write(ByteBuffer.wrap(new byte[] {1}));
            SocketLookup l = lookup(diag, NO_CACHE);
            int sport = port(server.getLocalAddress());
            int cport = port(client.getLocalAddress());
            FiveTuple request = new FiveTuple(Protocol.UDP, LO, cport, LO, sport);

            // sent by the client: its own connected socket (the TCP orientation would find the server's)
            LookupResult sent = l.lookup(request, false, SocketLookup.Mode.FAST);
            assertThat(sent.outcome()).isEqualTo(LookupOutcome.FOUND);
            assertThat(sent.attribution()).isEqualTo(Attribution.EXACT_SOCKET);
            assertThat(sent.socket().localPort()).isEqualTo(cport);
            assertThat(sent.socket().remotePort()).isEqualTo(sport);
            assertThat(sent.inbound()).isFalse();

            // received by the server: its unconnected socket; the first datagram makes it inbound
            LookupResult received = l.lookup(request, true, SocketLookup.Mode.FAST);
            assertThat(received.attribution()).isEqualTo(Attribution.LISTENER);
            assertThat(received.socket().localPort()).isEqualTo(sport);
            assertThat(received.socket().isConnected()).isFalse();
            assertThat(received.inbound()).isTrue();
            assertThat(received.processes()).extracting(ProcessInfo::pid).containsExactly(SELF);

            // the server's answer goes out, yet the conversation stays inbound
            LookupResult reply = l.lookup(new FiveTuple(Protocol.UDP, LO, sport, LO, cport), false,
                    SocketLookup.Mode.FAST);
            assertThat(reply.attribution()).isEqualTo(Attribution.REMEMBERED_UDP_DIRECTION);
            assertThat(reply.socket().localPort()).isEqualTo(sport);
            assertThat(reply.inbound()).isTrue();

            LookupResult none = l.lookup(new FiveTuple(Protocol.UDP, LO, cport, LO, sport == 9 ? 10 : 9), true,
                    SocketLookup.Mode.FAST);
            assertThat(none.outcome()).isEqualTo(LookupOutcome.CONNECTION_NOT_FOUND);
        }
    }

    @Test
    void ipv6TcpAndUdp() throws Exception {
        Prerequisites.requireRoot();
        IpAddress lo6 = IpAddress.parse("::1");
        try (PrivateNamespace ns = PrivateNamespace.create();
                ServerSocketChannel listener = ns.call(() -> ServerSocketChannel.open(StandardProtocolFamily.INET6)
                        .bind(new InetSocketAddress("::1", 0)));
                SocketChannel client = ns.call(() -> SocketChannel.open(listener.getLocalAddress()));
                SocketChannel accepted = listener.accept();
                DatagramChannel server = ns.call(() -> DatagramChannel.open(StandardProtocolFamily.INET6)
                        .bind(new InetSocketAddress("::1", 0)));
                DatagramChannel udpClient = ns.call(() -> DatagramChannel.open(StandardProtocolFamily.INET6)
                        .connect(server.getLocalAddress()));
                SockDiag diag = SockDiag.open(ns.namespace())) {
            udpClient.write(ByteBuffer.wrap(new byte[] {1}));
            SocketLookup l = lookup(diag, NO_CACHE);
            int sport = port(listener.getLocalAddress());
            int cport = port(client.getLocalAddress());
            assertThat(port(accepted.getRemoteAddress())).isEqualTo(cport);
            FiveTuple tcp = new FiveTuple(Protocol.TCP, lo6, cport, lo6, sport);
            LookupResult in = l.lookup(tcp, true, SocketLookup.Mode.FAST);
            assertThat(in.outcome()).isEqualTo(LookupOutcome.FOUND);
            assertThat(in.attribution()).isEqualTo(Attribution.EXACT_SOCKET);
            assertThat(in.socket().family()).isEqualTo(AddressFamily.INET6);
            assertThat(in.socket().localPort()).isEqualTo(sport);
            assertThat(in.inbound()).isTrue();
            assertThat(in.processes()).extracting(ProcessInfo::pid).containsExactly(SELF);
            LookupResult out = l.lookup(tcp, false, SocketLookup.Mode.FAST);
            assertThat(out.socket().localPort()).isEqualTo(cport);
            assertThat(out.inbound()).isFalse();
            assertThat(l.exists(tcp, true)).isTrue();

            int uport = port(server.getLocalAddress());
            int ucport = port(udpClient.getLocalAddress());
            FiveTuple udp = new FiveTuple(Protocol.UDP, lo6, ucport, lo6, uport);
            LookupResult received = l.lookup(udp, true, SocketLookup.Mode.FAST);
            assertThat(received.outcome()).isEqualTo(LookupOutcome.FOUND);
            assertThat(received.socket().family()).isEqualTo(AddressFamily.INET6);
            assertThat(received.socket().localPort()).isEqualTo(uport);
            assertThat(received.socket().isConnected()).isFalse();
            assertThat(received.inbound()).isTrue();
            LookupResult sent = l.lookup(udp, false, SocketLookup.Mode.FAST);
            assertThat(sent.attribution()).isEqualTo(Attribution.EXACT_SOCKET);
            assertThat(sent.socket().localPort()).isEqualTo(ucport);
            assertThat(sent.inbound()).isFalse();
            assertThat(l.exists(udp, true)).isTrue();
        }
    }

    @Test
    void repeatedTupleIsAnsweredFromTheCache() throws Exception {
        Prerequisites.requireRoot();
        try (PrivateNamespace ns = PrivateNamespace.create();
                ServerSocketChannel listener = ns.call(() -> ServerSocketChannel.open(StandardProtocolFamily.INET)
                        .bind(new InetSocketAddress("127.0.0.1", 0)));
                SocketChannel client = ns.call(() -> SocketChannel.open(listener.getLocalAddress()));
                SocketChannel accepted = listener.accept();
                SockDiag diag = SockDiag.open(ns.namespace())) {
            SocketLookup l = lookup(diag, CACHE);
            FiveTuple t = new FiveTuple(Protocol.TCP, LO, port(accepted.getRemoteAddress()), LO,
                    port(listener.getLocalAddress()));
            LookupResult first = l.lookup(t, true, SocketLookup.Mode.THOROUGH);
            assertThat(first.found()).isTrue();
            assertThat(first.socket().remotePort()).isEqualTo(port(client.getLocalAddress()));
            assertThat(l.cacheHits()).isZero();
            assertThat(l.lookup(t, true, SocketLookup.Mode.FAST)).isSameAs(first);
            assertThat(l.cacheHits()).isEqualTo(1);
            l.clearCache();
            LookupResult again = l.lookup(t, true, SocketLookup.Mode.THOROUGH);
            assertThat(again).isNotSameAs(first);
            assertThat(again.socket().key()).isEqualTo(first.socket().key());
        }
    }
}
