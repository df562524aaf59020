package dev.conntrace.sockets.diag;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conntrace.netlink.DecodeException;
import dev.conntrace.netlink.MessageCursor;
import dev.conntrace.netlink.Netlink;
import dev.conntrace.netlink.NetlinkMessage;
import dev.conntrace.sockets.AddressFamily;
import dev.conntrace.sockets.Protocol;
import dev.conntrace.sockets.SocketEntry;
import dev.conntrace.sockets.SocketState;
import dev.conntrace.sockets.TcpInfo;
import dev.conntrace.sockets.V6Only;
import dev.conntrace.sys.IpAddress;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Decodes dumps captured from the kernel (see resources/diag/README.md). */
class InetDiagDecoderTest {
    private static byte[] vector(String name) throws IOException {
        try (InputStream in = InetDiagDecoderTest.class.getResourceAsStream("/diag/" + name)) {
            return HexFormat.of().parseHex(new String(in.readAllBytes(), StandardCharsets.US_ASCII).strip());
        }
    }

    private static MemorySegment nativeCopy(byte[] b) {
        MemorySegment s = Arena.ofAuto().allocate(b.length, 8);
        MemorySegment.copy(MemorySegment.ofArray(b), 0, s, 0, b.length);
        return s;
    }

    private static List<SocketEntry> decodeAll(byte[] bytes, Protocol protocol) throws DecodeException {
        MemorySegment s = nativeCopy(bytes);
        MessageCursor c = new MessageCursor().reset(s, 0, s.byteSize());
        InetDiagDecoder d = new InetDiagDecoder();
        List<SocketEntry> out = new ArrayList<>();
        while (c.next()) {
            NetlinkMessage m = c.message();
            if (m.type() == InetDiag.SOCK_DIAG_BY_FAMILY) {
                out.add(d.decode(m, 42, protocol));
            }
        }
        return out;
    }

    private static Map<Long, SocketEntry> byInode(List<SocketEntry> l) {
        return l.stream().collect(Collectors.toMap(SocketEntry::inode, Function.identity()));
    }

    @Test
    void tcp4ListenerClientAndServer() throws IOException {
        Map<Long, SocketEntry> m = byInode(decodeAll(vector("tcp4.hex"), Protocol.TCP));
        assertThat(m).containsOnlyKeys(135168L, 136193L, 136194L);
        SocketEntry l = m.get(135168L);
        assertThat(l.state()).isEqualTo(SocketState.LISTEN);
        assertThat(l.localAddress()).isEqualTo(IpAddress.parse("127.0.0.1"));
        assertThat(l.localPort()).isEqualTo(8080);
        assertThat(l.remoteAddress().isAny()).isTrue();
        assertThat(l.txQueue()).isEqualTo(7); // LISTEN: wqueue is the backlog
        assertThat(l.netns()).isEqualTo(42);
        assertThat(l.family()).isEqualTo(AddressFamily.INET);
        assertThat(l.v6Only()).isEqualTo(V6Only.UNKNOWN);

        SocketEntry c = m.get(136193L);
        assertThat(c.state()).isEqualTo(SocketState.ESTABLISHED);
        assertThat(c.localPort()).isEqualTo(51410);
        assertThat(c.remotePort()).isEqualTo(8080);
        assertThat(c.uid()).isZero();
        assertThat(c.cookie()).isNotEqualTo(-1L).isNotZero();
        TcpInfo ci = c.tcpInfo();
        assertThat(ci).isNotNull();
        assertThat(ci.length()).isEqualTo(TcpInfoDecoder.KNOWN_SIZE);
        assertThat(ci.state()).isEqualTo(SocketState.ESTABLISHED.code());
        assertThat(ci.bytesAcked()).isEqualTo(12); // 11 bytes + the SYN
        assertThat(ci.segsOut()).isGreaterThanOrEqualTo(3);
        assertThat(ci.rttUs()).isPositive();
        assertThat(ci.sndCwnd()).isBetween(10L, 20L); // IW10, grown by the one ACKed segment
        assertThat(ci.sndMss()).isPositive();

        SocketEntry a = m.get(136194L);
        assertThat(a.localPort()).isEqualTo(8080);
        assertThat(a.remotePort()).isEqualTo(51410);
        assertThat(a.rxQueue()).isEqualTo(6);
        assertThat(a.tcpInfo().bytesReceived()).isEqualTo(11);
        assertThat(a.cookie()).isNotEqualTo(c.cookie());
    }

    @Test
    void tcp6V6OnlyAndDualStack() throws IOException {
        Map<Long, SocketEntry> m = byInode(decodeAll(vector("tcp6.hex"), Protocol.TCP));
        assertThat(m).containsKeys(136195L, 136196L);
        SocketEntry only = m.get(136195L);
        SocketEntry dual = m.get(136196L);
        assertThat(only.v6Only()).isEqualTo(V6Only.V6_ONLY);
        assertThat(only.localAddress()).isEqualTo(IpAddress.parse("::1"));
        assertThat(only.localPort()).isEqualTo(8443);
        assertThat(dual.v6Only()).isEqualTo(V6Only.DUAL_STACK);
        assertThat(dual.localAddress()).isEqualTo(IpAddress.parse("::"));
        assertThat(dual.localPort()).isEqualTo(8444);
        assertThat(dual.family()).isEqualTo(AddressFamily.INET6);
    }

    @Test
    void udpConnectedAndUnconnected() throws IOException {
        Map<Long, SocketEntry> m = byInode(decodeAll(vector("udp4.hex"), Protocol.UDP));
        assertThat(m).containsOnlyKeys(136197L, 136198L);
        SocketEntry server = m.get(136197L);
        SocketEntry client = m.get(136198L);
        assertThat(server.state()).isEqualTo(SocketState.CLOSE);
        assertThat(server.localPort()).isEqualTo(5353);
        assertThat(server.rxQueue()).isPositive(); // memory charged for the queued datagram
        assertThat(server.tcpInfo()).isNull();
        assertThat(client.state()).isEqualTo(SocketState.ESTABLISHED);
        assertThat(client.localPort()).isEqualTo(40000);
        assertThat(client.remotePort()).isEqualTo(5353);
        assertThat(client.protocol()).isEqualTo(Protocol.UDP);
    }

    /** The first SOCK_DIAG_BY_FAMILY message of a vector, copied out. */
    private static byte[] firstMessage(String name) throws IOException {
        byte[] all = vector(name);
        MemorySegment s = MemorySegment.ofArray(all);
        int len = s.get(ValueLayout.JAVA_INT_UNALIGNED, 0);
        return java.util.Arrays.copyOf(all, len);
    }

    private static SocketEntry decodeOne(byte[] message) throws DecodeException {
        MemorySegment s = nativeCopy(message);
        MessageCursor c = new MessageCursor().reset(s, 0, s.byteSize());
        c.next();
        return new InetDiagDecoder().decode(c.message(), 0, Protocol.TCP);
    }

    @Test
    void shortReplyIsCorrupt() throws IOException {
        byte[] m = java.util.Arrays.copyOf(firstMessage("tcp4.hex"), Netlink.NLMSG_HDRLEN + 40);
        MemorySegment.ofArray(m).set(ValueLayout.JAVA_INT_UNALIGNED, 0, m.length);
        assertThatThrownBy(() -> decodeOne(m)).isInstanceOfSatisfying(DecodeException.class,
                e -> assertThat(e.isTruncated()).isFalse());
    }

    @Test
    void unknownFamilyIsCorrupt() throws IOException {
        byte[] m = firstMessage("tcp4.hex");
        m[Netlink.NLMSG_HDRLEN] = 7;
        assertThatThrownBy(() -> decodeOne(m)).isInstanceOf(DecodeException.class).hasMessageContaining("family 7");
    }

    @Test
    void attributeOverrunningTheMessageIsCorrupt() throws IOException {
        byte[] m = firstMessage("tcp4.hex");
        int attr = Netlink.NLMSG_HDRLEN + InetDiag.MSG_SIZE;
        MemorySegment.ofArray(m).set(ValueLayout.JAVA_SHORT_UNALIGNED, attr, (short) 4000);
        assertThatThrownBy(() -> decodeOne(m)).isInstanceOfSatisfying(DecodeException.class,
                e -> assertThat(e.kind()).isEqualTo(DecodeException.Kind.CORRUPT));
    }

    @Test
    void unknownAttributeIsSkippedAndCounted() throws IOException {
        byte[] m = firstMessage("tcp4.hex");
        byte[] longer = java.util.Arrays.copyOf(m, m.length + 8);
        MemorySegment s = MemorySegment.ofArray(longer);
        s.set(ValueLayout.JAVA_INT_UNALIGNED, 0, longer.length);
        s.set(ValueLayout.JAVA_SHORT_UNALIGNED, m.length, (short) 8);
        s.set(ValueLayout.JAVA_SHORT_UNALIGNED, m.length + 2, (short) 200);
        MemorySegment n = nativeCopy(longer);
        MessageCursor c = new MessageCursor().reset(n, 0, n.byteSize());
        c.next();
        InetDiagDecoder d = new InetDiagDecoder();
        SocketEntry e = d.decode(c.message(), 0, Protocol.TCP);
        assertThat(e).isEqualTo(decodeOne(m));
        assertThat(d.unknownAttributes()).isEqualTo(1);
    }

    @Test
    void shortTcpInfoReadsMissingFieldsAsZero() throws IOException {
        Map<Long, SocketEntry> m = byInode(decodeAll(vector("tcp4.hex"), Protocol.TCP));
        TcpInfo full = m.get(136193L).tcpInfo();
        // the same bytes cut at 104 (a 4.x-era struct): rtt kept, 64-bit counters absent
        byte[] raw = new byte[TcpInfoDecoder.KNOWN_SIZE];
        MemorySegment s = MemorySegment.ofArray(raw);
        s.set(ValueLayout.JAVA_INT_UNALIGNED, TcpInfoDecoder.TCPI_RTT, (int) full.rttUs());
        s.set(ValueLayout.JAVA_LONG_UNALIGNED, TcpInfoDecoder.TCPI_BYTES_ACKED, 99);
        TcpInfo cut = TcpInfoDecoder.decode(nativeCopy(raw), 0, 104);
        assertThat(cut.length()).isEqualTo(104);
        assertThat(cut.rttUs()).isEqualTo(full.rttUs());
        assertThat(cut.bytesAcked()).isZero();
        assertThat(TcpInfoDecoder.decode(nativeCopy(raw), 0, raw.length).bytesAcked()).isEqualTo(99);
    }
}
