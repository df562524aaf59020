package dev.conntrace.sockets.diag;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conntrace.sockets.AddressFamily;
import dev.conntrace.sockets.Protocol;
import dev.conntrace.sockets.SocketEntry;
import dev.conntrace.sockets.SocketState;
import dev.conntrace.sockets.V6Only;
import dev.conntrace.sockets.process.ProcessIndex;
import dev.conntrace.sys.IpAddress;
import dev.conntrace.sys.PrivateNamespace;
import dev.conntrace.sys.testing.Prerequisites;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * sock_diag against the real kernel in a fresh namespace, cross-checked with {@code ss -tuanep}
 * run in the same namespace and with the process index. Sockets are created by this JVM inside
 * the namespace; traffic stays on its loopback.
 */
class SockDiagKernelTest {
    private static final int SELF = (int) ProcessHandle.current().pid();

    /** The sockets of the scenario, opened inside the namespace. */
    private record Scenario(ServerSocketChannel listener, SocketChannel client, SocketChannel server,
            ServerSocketChannel v6Only, DatagramChannel udp, DatagramChannel udpClient) implements AutoCloseable {
        @Override
        public void close() throws java.io.IOException {
            for (java.io.Closeable c : List.of(listener, client, server, v6Only, udp, udpClient)) {
                c.close();
            }
        }
    }

    private static Scenario open() throws Exception {
        ServerSocketChannel l = ServerSocketChannel.open(StandardProtocolFamily.INET);
        l.bind(new InetSocketAddress("127.0.0.1", 0), 16);
        SocketChannel c = SocketChannel.open(new InetSocketAddress("127.0.0.1", port(l.getLocalAddress())));
        SocketChannel s = l.accept();
        c.write(ByteBuffer.wrap("hello".getBytes()));
        ServerSocketChannel six = ServerSocketChannel.open(StandardProtocolFamily.INET6);
        six.setOption(java.net.StandardSocketOptions.SO_REUSEADDR, true);
        six.bind(new InetSocketAddress("::1", 0));
        DatagramChannel u = DatagramChannel.open(StandardProtocolFamily.INET);
        u.bind(new InetSocketAddress("127.0.0.1", 0));
        DatagramChannel uc = DatagramChannel.open(StandardProtocolFamily.INET);
        uc.connect(u.getLocalAddress());
        uc.write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
        // a closed pair: the client side ends in TIME_WAIT, held by no process (inode 0)
        try (ServerSocketChannel tl = ServerSocketChannel.open(StandardProtocolFamily.INET)) {
            tl.bind(new InetSocketAddress("127.0.0.1", 0));
            SocketChannel tc = SocketChannel.open(tl.getLocalAddress());
            try (SocketChannel ts = tl.accept()) {
                tc.close(); // the client closes first and so ends in TIME_WAIT
                ts.read(ByteBuffer.allocate(1)); // EOF: the FIN arrived
            } finally {
                tc.close();
            }
        }
        return new Scenario(l, c, s, six, u, uc);
    }

    private static int port(java.net.SocketAddress a) {
        return ((InetSocketAddress) a).getPort();
    }

    /** One socket as both tools describe it. */
    private record Row(String proto, String state, IpAddress local, int lport, IpAddress remote, int rport, long inode) {}

    private static String ssState(SocketEntry e) {
        SocketState s = e.state();
        if (s.equals(SocketState.CLOSE)) {
            return "UNCONN";
        }
        return switch (s.name()) {
            case "ESTABLISHED" -> "ESTAB";
            case "FIN_WAIT1" -> "FIN-WAIT-1";
            case "FIN_WAIT2" -> "FIN-WAIT-2";
            default -> s.name().replace('_', '-');
        };
    }

    private static Row row(SocketEntry e) {
        return new Row(e.protocol().label(), ssState(e), e.localAddress(), e.localPort(), e.remoteAddress(),
                e.remotePort(), e.inode());
    }

    private static IpAddress ssAddress(String text) {
        if (text.equals("*")) {
            return IpAddress.parse("::");
        }
        return IpAddress.parse(text.startsWith("[") ? text.substring(1, text.length() - 1) : text);
    }

    private static int ssPort(String text) {
        return text.equals("*") ? 0 : Integer.parseInt(text);
    }

    private static Row ssRow(String line, List<Integer> pids) {
        String[] t = line.trim().split("\\s+");
        int lc = t[4].lastIndexOf(':');
        int rc = t[5].lastIndexOf(':');
        long inode = -1;
        for (String tok : t) {
            if (tok.startsWith("ino:")) {
                inode = Long.parseLong(tok.substring(4));
            }
            int p = tok.indexOf("pid=");
            if (p >= 0) {
                pids.add(Integer.parseInt(tok.substring(p + 4, tok.indexOf(',', p))));
            }
        }
        return new Row(t[0], t[1], ssAddress(t[4].substring(0, lc)), ssPort(t[4].substring(lc + 1)),
                ssAddress(t[5].substring(0, rc)), ssPort(t[5].substring(rc + 1)), inode);
    }

    @Test
    void dumpMatchesSsAndProcessIndex() throws Exception {
        Prerequisites.requireRoot();
        Prerequisites.requireTool("ip");
        Prerequisites.requireTool("ss");
        try (PrivateNamespace ns = PrivateNamespace.create(); Scenario sc = ns.call(SockDiagKernelTest::open);
                SocketTable table = new SocketTable(SocketTable.DEFAULT_MAX_ENTRIES)) {
            long inode = table.addNamespace(ns.namespace());
            assertThat(inode).isEqualTo((Long) Files.getAttribute(ns.path(), "unix:ino"));
            DumpStats stats = table.refresh();
            assertThat(stats.sockets()).isEqualTo(table.size());

            List<SocketEntry> ours = new ArrayList<>();
            table.forEach(ours::add);
            assertThat(ours).allSatisfy(e -> assertThat(e.netns()).isEqualTo(inode));

            int lport = port(sc.listener().getLocalAddress());
            int cport = port(sc.client().getLocalAddress());
            IpAddress lo = IpAddress.parse("127.0.0.1");
            SocketEntry listener = table.lookup(inode, Protocol.TCP, lo, lport, IpAddress.parse("0.0.0.0"), 0);
            assertThat(listener.state()).isEqualTo(SocketState.LISTEN);
            SocketEntry client = table.lookup(inode, Protocol.TCP, lo, cport, lo, lport);
            SocketEntry server = table.lookup(inode, Protocol.TCP, lo, lport, lo, cport);
            assertThat(client.state()).isEqualTo(SocketState.ESTABLISHED);
            assertThat(server.state()).isEqualTo(SocketState.ESTABLISHED);
            assertThat(client.tcpInfo().bytesAcked()).isEqualTo(6); // "hello" + SYN
            assertThat(server.tcpInfo().bytesReceived()).isEqualTo(5);
            assertThat(server.rxQueue()).isEqualTo(5);
            // a packet to the listening port from an unknown peer resolves to the listener
            assertThat(table.lookup(inode, Protocol.TCP, lo, lport, lo, 1)).isEqualTo(listener);

            SocketEntry six = table.lookup(inode, Protocol.TCP, IpAddress.parse("::1"),
                    port(sc.v6Only().getLocalAddress()), IpAddress.parse("::"), 0);
            assertThat(six.family()).isEqualTo(AddressFamily.INET6);
            assertThat(six.v6Only()).isIn(V6Only.V6_ONLY, V6Only.DUAL_STACK);

            int uport = port(sc.udp().getLocalAddress());
            SocketEntry udp = table.lookup(inode, Protocol.UDP, lo, uport, lo, 9);
            assertThat(udp.state()).isEqualTo(SocketState.CLOSE);
            SocketEntry udpClient = table.lookup(inode, Protocol.UDP, lo, port(sc.udpClient().getLocalAddress()), lo,
                    uport);
            assertThat(udpClient.state()).isEqualTo(SocketState.ESTABLISHED);
            assertThat(ours).anySatisfy(e -> {
                assertThat(e.state()).isEqualTo(SocketState.TIME_WAIT);
                assertThat(e.inode()).isZero();
            });

            // the process index maps every live socket's inode to this JVM
            ProcessIndex index = ProcessIndex.system();
            index.fullScan();
            for (SocketEntry e : List.of(listener, client, server, six, udp, udpClient)) {
                assertThat(index.pidsOf(e.inode())).as("holders of %s", e.key()).containsExactly(SELF);
            }

            // ss in the same namespace sees the same sockets, states and inodes
            List<Integer> ssPids = new ArrayList<>();
            Set<Row> fromSs = new HashSet<>();
            for (String line : ns.exec("ss", "-Htuanep").split("\n")) {
                if (!line.isBlank()) {
                    fromSs.add(ssRow(line, ssPids));
                }
            }
            Set<Row> fromUs = new HashSet<>();
            ours.forEach(e -> fromUs.add(row(e)));
            assertThat(fromUs).isEqualTo(fromSs);
            assertThat(ssPids).isNotEmpty().containsOnly(SELF);
        }
    }

    /** ss's endpoint text: {@code 127.0.0.1:80}, {@code [::1]:80}. */
    private static String ssEndpoint(IpAddress a, int port) {
        return (a.v6() ? "[" + a + "]" : a.toString()) + ":" + port;
    }

    /** {@code ss -Htni} in the namespace: "local peer" → the info line's {@code key:value} fields. */
    private static Map<String, Map<String, String>> ssInfo(PrivateNamespace ns) throws java.io.IOException {
        Map<String, Map<String, String>> info = new HashMap<>();
        String row = null;
        for (String line : ns.exec("ss", "-Htni").split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            String[] t = line.trim().split("\\s+");
            if (!Character.isWhitespace(line.charAt(0))) {
                row = t[3] + " " + t[4];
                continue;
            }
            Map<String, String> fields = new HashMap<>();
            for (String tok : t) {
                int colon = tok.indexOf(':');
                if (colon > 0 && !tok.contains("(")) {
                    fields.put(tok.substring(0, colon), tok.substring(colon + 1));
                }
            }
            info.put(row, fields);
        }
        return info;
    }

    @Test
    void tcpInfoMatchesSsWithinTolerance() throws Exception {
        Prerequisites.requireRoot();
        Prerequisites.requireTool("ip");
        Prerequisites.requireTool("ss");
        try (PrivateNamespace ns = PrivateNamespace.create(); Scenario sc = ns.call(SockDiagKernelTest::open);
                SockDiag diag = SockDiag.open(ns.namespace())) {
            Thread.sleep(300); // past the delayed ACK: the connection is idle, its counters stay put
            List<SocketEntry> ours = new ArrayList<>();
            for (AddressFamily f : AddressFamily.values()) {
                diag.dump(Protocol.TCP, f, SockDiag.stateMask(Set.of(SocketState.ESTABLISHED)), ours::add);
            }
            Map<String, Map<String, String>> theirs = ssInfo(ns);
            assertThat(ours).hasSize(2);
            assertThat(theirs).hasSize(2);
            for (SocketEntry e : ours) {
                String key = ssEndpoint(e.localAddress(), e.localPort()) + " " + ssEndpoint(e.remoteAddress(), e.remotePort());
                Map<String, String> ss = theirs.get(key);
                assertThat(ss).as("ss row for %s", key).isNotNull();
                var t = e.tcpInfo();
                String[] rtt = ss.get("rtt").split("/"); // milliseconds
                assertThat((double) t.rttUs()).as("rtt of %s", key)
                        .isCloseTo(Double.parseDouble(rtt[0]) * 1000, org.assertj.core.data.Offset.offset(1.0));
                assertThat((double) t.rttVarUs()).as("rttvar of %s", key)
                        .isCloseTo(Double.parseDouble(rtt[1]) * 1000, org.assertj.core.data.Offset.offset(1.0));
                assertThat(t.rtoUs() / 1000.0).isCloseTo(Double.parseDouble(ss.get("rto")),
                        org.assertj.core.data.Offset.offset(0.001));
                assertThat(t.sndMss()).isEqualTo(Integer.parseInt(ss.get("mss")));
                assertThat(t.rcvMss()).isEqualTo(Integer.parseInt(ss.get("rcvmss")));
                assertThat(t.pmtu()).isEqualTo(Integer.parseInt(ss.get("pmtu")));
                assertThat(t.sndCwnd()).isEqualTo(Integer.parseInt(ss.get("cwnd")));
                assertThat(t.segsOut()).isEqualTo(Long.parseLong(ss.get("segs_out")));
                assertThat(t.segsIn()).isEqualTo(Long.parseLong(ss.get("segs_in")));
                // ss leaves out counters that are zero
                assertThat(t.bytesAcked()).isEqualTo(Long.parseLong(ss.getOrDefault("bytes_acked", "0")));
                assertThat(t.bytesReceived()).isEqualTo(Long.parseLong(ss.getOrDefault("bytes_received", "0")));
                assertThat(t.bytesSent()).isEqualTo(Long.parseLong(ss.getOrDefault("bytes_sent", "0")));
                assertThat(t.totalRetrans()).isEqualTo(0);
            }
            assertThat(ours).anySatisfy(e -> assertThat(e.tcpInfo().bytesReceived()).isEqualTo(5)); // "hello"
            assertThat(sc.client().isConnected()).isTrue();
        }
    }

    @Test
    void snapshotInPortmastersShape() throws Exception {
        Prerequisites.requireRoot();
        Prerequisites.requireTool("ip");
        try (PrivateNamespace ns = PrivateNamespace.create(); Scenario sc = ns.call(SockDiagKernelTest::open);
                SockDiag diag = SockDiag.open(ns.namespace())) {
            SocketSnapshot s = SocketSnapshot.take(diag, SocketSnapshot.DEFAULT_MAX_ENTRIES);
            assertThat(s.netns()).isEqualTo(diag.netns());
            int lport = port(sc.listener().getLocalAddress());
            assertThat(s.tcp4Listeners()).singleElement().satisfies(b -> {
                assertThat(b.socket().localPort()).isEqualTo(lport);
                assertThat(b.listensAny()).isFalse(); // bound to 127.0.0.1
            });
            // the accepted end is IPv4 (from an IPv4 listener); Java's clients are dual-stack IPv6 sockets,
            // so the client end and the closed pair's TIME_WAIT end are IPv6 connections with mapped addresses
            assertThat(s.tcp4Connections()).singleElement()
                    .satisfies(e -> assertThat(e.localPort()).isEqualTo(lport));
            assertThat(s.tcp6Connections()).hasSize(2)
                    .anySatisfy(e -> assertThat(e.localPort()).isEqualTo(port(sc.client().getLocalAddress())))
                    .anySatisfy(e -> assertThat(e.state()).isEqualTo(SocketState.TIME_WAIT))
                    .allSatisfy(e -> assertThat(e.localAddress()).isEqualTo(IpAddress.parse("::ffff:127.0.0.1")));
            assertThat(s.tcp6Listeners()).singleElement()
                    .satisfies(b -> assertThat(b.socket().localPort()).isEqualTo(port(sc.v6Only().getLocalAddress())));
            assertThat(s.udp4Binds()).extracting(b -> b.socket().localPort()).containsExactlyInAnyOrder(
                    port(sc.udp().getLocalAddress()), port(sc.udpClient().getLocalAddress()));
            assertThat(s.udp6Binds()).isEmpty();
            assertThat(s.dropped()).isZero();
        }
    }

    @Test
    void dumpsStreamOneSocketAtATimeAndFilterByState() throws Exception {
        Prerequisites.requireRoot();
        Prerequisites.requireTool("ip");
        try (PrivateNamespace ns = PrivateNamespace.create(); Scenario sc = ns.call(SockDiagKernelTest::open);
                SockDiag diag = SockDiag.open(ns.namespace())) {
            List<SocketEntry> listening = new ArrayList<>();
            diag.dump(Protocol.TCP, AddressFamily.INET, SockDiag.stateMask(Set.of(SocketState.LISTEN)), listening::add);
            assertThat(listening).singleElement().satisfies(e -> {
                assertThat(e.localPort()).isEqualTo(port(sc.listener().getLocalAddress()));
                assertThat(e.isListening()).isTrue();
            });
            int[] count = new int[1];
            DumpStats all = diag.dumpAll(EnumSet.allOf(Protocol.class), EnumSet.allOf(AddressFamily.class),
                    e -> count[0]++);
            assertThat(all.sockets()).isEqualTo(count[0]).isGreaterThanOrEqualTo(7);
            assertThat(diag.netns()).isEqualTo((Long) Files.getAttribute(Path.of(ns.path().toString()), "unix:ino"));
        }
    }
}
