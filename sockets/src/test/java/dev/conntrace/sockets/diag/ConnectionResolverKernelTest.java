package dev.conntrace.sockets.diag;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conntrace.sockets.Direction;
import dev.conntrace.sockets.Protocol;
import dev.conntrace.sockets.SocketState;
import dev.conntrace.sockets.direction.UdpDirectionMemory;
import dev.conntrace.sockets.process.ProcessDetails;
import dev.conntrace.sockets.process.ProcessIndex;
import dev.conntrace.sys.IpAddress;
import dev.conntrace.sys.PrivateNamespace;
import dev.conntrace.sys.testing.Prerequisites;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.InstantSource;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Two fresh namespaces joined by a veth pair (10.99.0.1 ↔ 10.99.0.2): a TCP server and a UDP
 * server in A, their clients in B, all in this JVM. The resolver must name this process and tell
 * incoming (A) from outgoing (B).
 */
class ConnectionResolverKernelTest {
    private static final int SELF = (int) ProcessHandle.current().pid();
    private static final IpAddress A = IpAddress.parse("10.99.0.1");
    private static final IpAddress B = IpAddress.parse("10.99.0.2");

    private static void veth(PrivateNamespace a, PrivateNamespace b) throws IOException {
        a.exec("ip", "link", "add", "ct0", "type", "veth", "peer", "name", "ct1", "netns", b.name());
        a.exec("ip", "addr", "add", A + "/24", "dev", "ct0");
        a.exec("ip", "link", "set", "ct0", "up");
        b.exec("ip", "addr", "add", B + "/24", "dev", "ct1");
        b.exec("ip", "link", "set", "ct1", "up");
    }

    @Test
    void ownerAndDirectionAcrossNamespaces() throws Exception {
        Prerequisites.requireRoot();
        Prerequisites.requireTool("ip");
        try (PrivateNamespace a = PrivateNamespace.create(); PrivateNamespace b = PrivateNamespace.create()) {
            veth(a, b);
            try (ServerSocketChannel server = a.call(() -> {
                        ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.INET);
                        s.bind(new InetSocketAddress(A.toString(), 0));
                        return s;
                    });
                    DatagramChannel udpServer = a.call(() -> {
                        DatagramChannel u = DatagramChannel.open(StandardProtocolFamily.INET);
                        u.bind(new InetSocketAddress("0.0.0.0", 5353));
                        return u;
                    });
                    SocketChannel client = b.call(() -> SocketChannel.open(server.getLocalAddress()));
                    SocketChannel accepted = server.accept();
                    DatagramChannel udpClient = b.call(() -> DatagramChannel.open(StandardProtocolFamily.INET));
                    SocketTable table = new SocketTable(1000)) {
                int sport = ((InetSocketAddress) server.getLocalAddress()).getPort();
                int cport = ((InetSocketAddress) client.getLocalAddress()).getPort();
                udpClient.send(ByteBuffer.wrap(new byte[] {1}), new InetSocketAddress(A.toString(), 5353));
                int uport = ((InetSocketAddress) udpClient.getLocalAddress()).getPort();
                assertThat(((InetSocketAddress) accepted.getRemoteAddress()).getPort()).isEqualTo(cport);
                udpServer.configureBlocking(false);
                java.net.SocketAddress from = null;
                for (int i = 0; i < 200 && from == null; i++) { // the datagram crosses the veth: wait at most 2 s
                    from = udpServer.receive(ByteBuffer.allocate(8));
                    if (from == null) {
                        Thread.sleep(10);
                    }
                }
                assertThat(from).isNotNull();
                long nsA = table.addNamespace(a.namespace());
                long nsB = table.addNamespace(b.namespace());
                ProcessIndex index = ProcessIndex.system();
                index.fullScan();
                ConnectionResolver r = new ConnectionResolver(table, index, ProcessDetails.system(),
                        new UdpDirectionMemory(InstantSource.system(), UdpDirectionMemory.Limits.DEFAULT));
                r.refresh();

                ConnectionResolver.Owner in = r.resolve(nsA, Protocol.TCP, A, sport, B, cport, null);
                assertThat(in.direction()).isEqualTo(Direction.INCOMING);
                assertThat(in.socket().state()).isEqualTo(SocketState.ESTABLISHED);
                assertThat(in.processes()).extracting(p -> p.pid()).containsExactly(SELF);

                ConnectionResolver.Owner out = r.resolve(nsB, Protocol.TCP, B, cport, A, sport, null);
                assertThat(out.direction()).isEqualTo(Direction.OUTGOING);
                assertThat(out.processes()).extracting(p -> p.pid()).containsExactly(SELF);
                assertThat(out.socket().netns()).isEqualTo(nsB);

                // a SYN to the listening port from a new peer port maps to the listener
                ConnectionResolver.Owner syn = r.resolve(nsA, Protocol.TCP, A, sport, B, 1, null);
                assertThat(syn.socket().isListening()).isTrue();
                assertThat(syn.direction()).isEqualTo(Direction.INCOMING);

                // UDP: the first datagram (arriving at A) fixes the direction for both later packets
                ConnectionResolver.Owner udpIn = r.resolve(nsA, Protocol.UDP, A, 5353, B, uport, Direction.INCOMING);
                assertThat(udpIn.direction()).isEqualTo(Direction.INCOMING);
                assertThat(udpIn.processes()).extracting(p -> p.pid()).containsExactly(SELF);
                assertThat(r.resolve(nsA, Protocol.UDP, A, 5353, B, uport, Direction.OUTGOING).direction())
                        .isEqualTo(Direction.INCOMING);
                ConnectionResolver.Owner udpOut = r.resolve(nsB, Protocol.UDP, B, uport, A, 5353, Direction.OUTGOING);
                assertThat(udpOut.direction()).isEqualTo(Direction.OUTGOING);
                assertThat(udpOut.socket()).isNotNull();
                assertThat(List.of(udpOut.socket().localPort())).containsExactly(uport);
            }
        }
    }
}
