package dev.conntrace.sockets.direction;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conntrace.sockets.AddressFamily;
import dev.conntrace.sockets.Direction;
import dev.conntrace.sockets.Protocol;
import dev.conntrace.sockets.SocketEntry;
import dev.conntrace.sockets.SocketState;
import dev.conntrace.sockets.V6Only;
import dev.conntrace.sys.IpAddress;
import org.junit.jupiter.api.Test;

class PortMapTest {
    private static final IpAddress ANY4 = IpAddress.parse("0.0.0.0");
    private static final IpAddress ANY6 = IpAddress.parse("::");
    private static final IpAddress HOST = IpAddress.parse("10.0.0.2");
    private static final IpAddress PEER = IpAddress.parse("198.51.100.9");

    private static SocketEntry sock(long ns, Protocol p, SocketState st, IpAddress local, int lport, IpAddress remote,
            int rport, V6Only v6) {
        return new SocketEntry(ns, p, local.v6() ? AddressFamily.INET6 : AddressFamily.INET, st, local, lport, remote,
                rport, 0, 0, 0, 1, -1, 0, v6, 0, null);
    }

    private static SocketEntry listen(long ns, IpAddress local, int port, V6Only v6) {
        return sock(ns, Protocol.TCP, SocketState.LISTEN, local, port, local.v6() ? ANY6 : ANY4, 0, v6);
    }

    @Test
    void tcpIncomingOutgoingLocal() {
        PortMap m = PortMap.builder()
                .add(listen(1, ANY4, 22, V6Only.UNKNOWN))
                .add(sock(1, Protocol.TCP, SocketState.ESTABLISHED, HOST, 22, PEER, 50000, V6Only.UNKNOWN))
                .build();
        assertThat(m.classify(1, Protocol.TCP, HOST, 22, PEER, 50000)).isEqualTo(Direction.INCOMING);
        assertThat(m.classify(1, Protocol.TCP, HOST, 50001, PEER, 443)).isEqualTo(Direction.OUTGOING);
        assertThat(m.classify(1, Protocol.TCP, HOST, 50002, HOST, 22)).isEqualTo(Direction.LOCAL);
        assertThat(m.classify(1, Protocol.TCP, HOST, 50002, IpAddress.parse("127.0.0.5"), 22)).isEqualTo(Direction.LOCAL);
        // another namespace has no listener on 22
        assertThat(m.classify(2, Protocol.TCP, HOST, 22, PEER, 50000)).isEqualTo(Direction.OUTGOING);
    }

    @Test
    void specificAddressListenerOnlyMatchesThatAddress() {
        PortMap m = PortMap.builder().add(listen(1, IpAddress.parse("127.0.0.1"), 8080, V6Only.UNKNOWN)).build();
        assertThat(m.isBound(1, Protocol.TCP, IpAddress.parse("127.0.0.1"), 8080)).isTrue();
        assertThat(m.isBound(1, Protocol.TCP, HOST, 8080)).isFalse();
        assertThat(m.isBound(1, Protocol.TCP, IpAddress.parse("::ffff:127.0.0.1"), 8080)).isTrue();
    }

    @Test
    void dualStackAndV6OnlyListeners() {
        PortMap m = PortMap.builder()
                .add(listen(1, ANY6, 80, V6Only.DUAL_STACK))
                .add(listen(1, ANY6, 81, V6Only.V6_ONLY))
                .add(listen(1, ANY6, 82, V6Only.UNKNOWN))
                .add(listen(1, ANY4, 83, V6Only.UNKNOWN))
                .build();
        IpAddress v6 = IpAddress.parse("2001:db8::2");
        assertThat(m.isBound(1, Protocol.TCP, HOST, 80)).isTrue();
        assertThat(m.isBound(1, Protocol.TCP, HOST.toV4Mapped(), 80)).isTrue();
        assertThat(m.isBound(1, Protocol.TCP, HOST, 81)).isFalse();
        assertThat(m.isBound(1, Protocol.TCP, v6, 81)).isTrue();
        assertThat(m.isBound(1, Protocol.TCP, HOST, 82)).isTrue();
        assertThat(m.isBound(1, Protocol.TCP, v6, 83)).isFalse();
        assertThat(m.size()).isEqualTo(4);
    }

    @Test
    void udpBoundPortsOutsideEphemeralRangeAreServers() {
        PortMap m = PortMap.builder()
                .add(sock(1, Protocol.UDP, SocketState.CLOSE, ANY4, 53, ANY4, 0, V6Only.UNKNOWN))
                .add(sock(1, Protocol.UDP, SocketState.CLOSE, ANY4, 40000, ANY4, 0, V6Only.UNKNOWN))
                .add(sock(1, Protocol.UDP, SocketState.ESTABLISHED, HOST, 40001, PEER, 53, V6Only.UNKNOWN))
                .build();
        assertThat(m.classify(1, Protocol.UDP, HOST, 53, PEER, 5555)).isEqualTo(Direction.INCOMING);
        assertThat(m.classify(1, Protocol.UDP, HOST, 40000, PEER, 53)).isEqualTo(Direction.UNKNOWN);
        assertThat(m.classify(1, Protocol.UDP, HOST, 40001, PEER, 53)).isEqualTo(Direction.OUTGOING);
        assertThat(m.isBound(1, Protocol.TCP, HOST, 53)).isFalse();
    }
}
