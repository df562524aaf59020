package dev.conntrace.sockets.proc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conntrace.sockets.AddressFamily;
import dev.conntrace.sockets.Protocol;
import dev.conntrace.sockets.SocketEntry;
import dev.conntrace.sockets.SocketState;
import dev.conntrace.sockets.V6Only;
import dev.conntrace.sys.IpAddress;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Rows captured from a 6.x kernel (x86-64) in a scratch namespace, plus hand-made variants. */
class ProcNetParserTest {
    private final ProcNetParser le = new ProcNetParser(ByteOrder.LITTLE_ENDIAN);

    private SocketEntry tcp4(String row) {
        return le.parse(row, 7, Protocol.TCP, AddressFamily.INET);
    }

    private SocketEntry tcp6(String row) {
        return le.parse(row, 7, Protocol.TCP, AddressFamily.INET6);
    }

    @Test
    void ipv4ListenerBytesAreReversedPortIsNot() {
        SocketEntry e = tcp4("   0: 0100007F:8FEB 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0"
                + "        0 19147 1 00000000f6f60277 100 0 0 10 0                     ");
        assertThat(e.localAddress()).isEqualTo(IpAddress.parse("127.0.0.1"));
        assertThat(e.localPort()).isEqualTo(0x8FEB);
        assertThat(e.remoteAddress().isAny()).isTrue();
        assertThat(e.remotePort()).isZero();
        assertThat(e.state()).isEqualTo(SocketState.LISTEN);
        assertThat(e.inode()).isEqualTo(19147);
        assertThat(e.netns()).isEqualTo(7);
        assertThat(e.family()).isEqualTo(AddressFamily.INET);
        assertThat(e.cookie()).isEqualTo(-1);
        assertThat(e.isListening()).isTrue();
    }

    @Test
    void ipv4AsymmetricAddressShowsWordOrder() {
        // 10.1.2.3 is 0x0A010203 in network order, printed as 0302010A on little-endian hosts
        SocketEntry e = tcp4("   5: 0302010A:0016 0A00A8C0:D431 01 0000001A:00000002 01:00000014 00000000  1000"
                + "        0 4242 1 0000000000000000 20 4 30 10 -1");
        assertThat(e.localAddress()).hasToString("10.1.2.3");
        assertThat(e.remoteAddress()).hasToString("192.168.0.10");
        assertThat(e.localPort()).isEqualTo(22);
        assertThat(e.remotePort()).isEqualTo(0xD431);
        assertThat(e.txQueue()).isEqualTo(0x1A);
        assertThat(e.rxQueue()).isEqualTo(2);
        assertThat(e.uid()).isEqualTo(1000);
        assertThat(e.state()).isEqualTo(SocketState.ESTABLISHED);
    }

    @Test
    void bigEndianHostDoesNotSwap() {
        ProcNetParser be = new ProcNetParser(ByteOrder.BIG_ENDIAN);
        SocketEntry e = be.parse("   0: 0A010203:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 1",
                0, Protocol.TCP, AddressFamily.INET);
        assertThat(e.localAddress()).hasToString("10.1.2.3");
    }

    @Test
    void timeWaitAndFinWait2RowsHaveInodeZero() {
        SocketEntry fin = tcp4("   1: 0100007F:9504 0100007F:1F90 05 00000000:00000000 03:0000175C 00000000     0"
                + "        0 0 3 00000000313ff892                                      ");
        SocketEntry tw = tcp4("   2: 0100007F:ED98 0100007F:8FEB 06 00000000:00000000 03:0000175B 00000000     0"
                + "        0 0 3 00000000f9d83c92                                      ");
        assertThat(fin.state()).isEqualTo(SocketState.FIN_WAIT2);
        assertThat(fin.inode()).isZero();
        assertThat(fin.remotePort()).isEqualTo(8080);
        assertThat(tw.state()).isEqualTo(SocketState.TIME_WAIT);
        assertThat(tw.inode()).isZero();
        assertThat(tw.localPort()).isEqualTo(0xED98);
    }

    @Test
    void ipv6WordsAreEachByteReversed() {
        // 2001:db8:1:2::abcd -> words 20010db8 00010002 00000000 0000abcd
        SocketEntry e = tcp6("   0: B80D01200200010000000000CDAB0000:01BB 00000000000000000000000001000000:1F91 01"
                + " 00000000:00000000 00:00000000 00000000     0        0 99 1 0000000000000000 20 0 0 10 -1");
        assertThat(e.localAddress()).isEqualTo(IpAddress.parse("2001:db8:1:2::abcd"));
        assertThat(e.remoteAddress()).isEqualTo(IpAddress.parse("::1"));
        assertThat(e.localPort()).isEqualTo(443);
        assertThat(e.family()).isEqualTo(AddressFamily.INET6);
    }

    @Test
    void ipv6LoopbackConnection() {
        SocketEntry e = tcp6("   3: 00000000000000000000000001000000:88B6 00000000000000000000000001000000:1F91 01"
                + " 00000000:00000000 00:00000000 00000000     0        0 19145 2 000000006dcc1ad3 20 0 0 10 -1");
        assertThat(e.localAddress().isLoopback()).isTrue();
        assertThat(e.remoteAddress()).hasToString("::1");
        assertThat(e.localPort()).isEqualTo(0x88B6);
        assertThat(e.inode()).isEqualTo(19145);
    }

    @Test
    void v4MappedRowInTcp6StaysMapped() {
        SocketEntry e = tcp6("   2: 0000000000000000FFFF00000100007F:1F90 0000000000000000FFFF00000100007F:9504 08"
                + " 00000000:00000001 00:00000000 00000000     0        0 19144 1 00000000727d0191 20 4 0 10 -1");
        assertThat(e.localAddress().isV4Mapped()).isTrue();
        assertThat(e.localAddress()).hasToString("::ffff:127.0.0.1");
        assertThat(e.localAddress().fromV4Mapped()).isEqualTo(IpAddress.parse("127.0.0.1"));
        assertThat(e.remotePort()).isEqualTo(0x9504);
        assertThat(e.state()).isEqualTo(SocketState.CLOSE_WAIT);
        assertThat(e.rxQueue()).isEqualTo(1);
    }

    @Test
    void v6OnlyAndDualStackListenersLookTheSame() {
        // port 8080 was dual-stack (IPV6_V6ONLY=0), 8081 V6ONLY: /proc shows no difference
        SocketEntry dual = tcp6("   0: 00000000000000000000000000000000:1F90 00000000000000000000000000000000:0000 0A"
                + " 00000000:00000000 00:00000000 00000000     0        0 19141 1 000000002c2b8ca2 100 0 0 10 0");
        SocketEntry only = tcp6("   1: 00000000000000000000000000000000:1F91 00000000000000000000000000000000:0000 0A"
                + " 00000000:00000000 00:00000000 00000000     0        0 19142 1 00000000f78a8983 100 0 0 10 0");
        assertThat(dual.v6Only()).isEqualTo(V6Only.UNKNOWN).isEqualTo(only.v6Only());
        assertThat(dual.localAddress()).isEqualTo(only.localAddress());
        assertThat(dual.localAddress().isAny()).isTrue();
        assertThat(dual.state()).isEqualTo(only.state()).isEqualTo(SocketState.LISTEN);
        assertThat(dual.localPort()).isNotEqualTo(only.localPort());
    }

    @Test
    void udpConnectedIsState01UnconnectedIs07() {
        SocketEntry connected = le.parse("11017: 0100007F:CCFA 0100007F:14E9 01 00000000:00000000 00:00000000"
                + " 00000000     0        0 19151 2 000000007d03eef6 0         ", 0, Protocol.UDP, AddressFamily.INET);
        SocketEntry bound = le.parse("13048: 00000000:14E9 00000000:0000 07 00000000:00000000 00:00000000"
                + " 00000000     0        0 19150 2 00000000a398f8f3 0         ", 0, Protocol.UDP, AddressFamily.INET);
        assertThat(connected.state()).isEqualTo(SocketState.ESTABLISHED);
        assertThat(connected.isConnected()).isTrue();
        assertThat(connected.remotePort()).isEqualTo(5353);
        assertThat(bound.state()).isEqualTo(SocketState.CLOSE);
        assertThat(bound.isConnected()).isFalse();
        assertThat(bound.localPort()).isEqualTo(5353);
        assertThat(bound.protocol()).isEqualTo(Protocol.UDP);
        assertThat(bound.isListening()).isFalse();
    }

    @Test
    void unknownStateIsCarried() {
        SocketEntry e = tcp4("   0: 0100007F:0050 00000000:0000 1F 00000000:00000000 00:00000000 00000000 0 0 5");
        assertThat(e.state().isKnown()).isFalse();
        assertThat(e.state().name()).isEqualTo("unknown(31)");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "garbage",
        "   0 0100007F:0050 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 5",
        "   0: 0100007:0050 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 5",
        "   0: 0100007G:0050 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 5",
        "   0: 0100007F:050 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 5",
        "   0: 0100007F:0050 00000000:0000 0A0 00000000:00000000 00:00000000 00000000 0 0 5",
        "   0: 0100007F:0050 00000000:0000 0A 00000000 00:00000000 00000000 0 0 5",
        "   0: 0100007F:0050 00000000:0000 0A 00000000:00000000 00:00000000 00000000 x 0 5",
        "   0: 0100007F:0050 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0",
        "   0: 0100007F:0050 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 -5",
        "   0: 0100007F:0050 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 99999999999999999999",
        "   0: 0100007F:0050 00000000:0000 0A 00000000:00000000 00:00000000 00000000 4294967296 0 5",
    })
    void malformedRowsReturnNullWithReason(String row) {
        assertThat(tcp4(row)).isNull();
        assertThat(le.lastError()).isNotBlank();
    }

    @Test
    void ipv4RowInIpv6TableIsMalformed() {
        assertThat(tcp6("   0: 0100007F:8FEB 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 1")).isNull();
    }
}
