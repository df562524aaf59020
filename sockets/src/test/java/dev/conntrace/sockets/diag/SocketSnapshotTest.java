package dev.conntrace.sockets.diag;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conntrace.sockets.AddressFamily;
import dev.conntrace.sockets.Protocol;
import dev.conntrace.sockets.SocketEntry;
import dev.conntrace.sockets.SocketState;
import dev.conntrace.sockets.V6Only;
import dev.conntrace.sys.IpAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The portmaster-shaped snapshot sorts sockets by protocol, family and listening, and is capped. */
class SocketSnapshotTest {
    private static final IpAddress ANY4 = IpAddress.parse("0.0.0.0");
    private static final IpAddress ANY6 = IpAddress.parse("::");
    private static final IpAddress A = IpAddress.parse("10.0.0.1");
    private static final IpAddress B = IpAddress.parse("10.0.0.2");

    private static SocketEntry socket(Protocol p, AddressFamily f, SocketState s, IpAddress local, int lport,
            IpAddress remote, int rport, long inode) {
        return new SocketEntry(7, p, f, s, local, lport, remote, rport, 0, 0, 0, inode, inode, 0, V6Only.UNKNOWN, 0,
                null);
    }

    @Test
    void sortsIntoPortmastersLists() throws Exception {
        SocketEntry listen4 = socket(Protocol.TCP, AddressFamily.INET, SocketState.LISTEN, ANY4, 22, ANY4, 0, 1);
        SocketEntry listenLocal4 = socket(Protocol.TCP, AddressFamily.INET, SocketState.LISTEN, A, 80, ANY4, 0, 2);
        SocketEntry conn4 = socket(Protocol.TCP, AddressFamily.INET, SocketState.ESTABLISHED, A, 22, B, 5000, 3);
        SocketEntry timeWait4 = socket(Protocol.TCP, AddressFamily.INET, SocketState.TIME_WAIT, A, 40000, B, 80, 0);
        SocketEntry listen6 = socket(Protocol.TCP, AddressFamily.INET6, SocketState.LISTEN, ANY6, 443, ANY6, 0, 4);
        SocketEntry mapped6 = socket(Protocol.TCP, AddressFamily.INET6, SocketState.ESTABLISHED, A.toV4Mapped(), 443,
                B.toV4Mapped(), 6000, 5);
        SocketEntry udpAny4 = socket(Protocol.UDP, AddressFamily.INET, SocketState.CLOSE, ANY4, 53, ANY4, 0, 6);
        SocketEntry udpConnected4 = socket(Protocol.UDP, AddressFamily.INET, SocketState.ESTABLISHED, A, 41000, B, 53,
                7);
        SocketEntry udpAny6 = socket(Protocol.UDP, AddressFamily.INET6, SocketState.CLOSE, ANY6, 5353, ANY6, 0, 8);
        SocketSnapshot.Builder b = SocketSnapshot.builder(7, 100);
        for (SocketEntry e : List.of(listen4, listenLocal4, conn4, timeWait4, listen6, mapped6, udpAny4, udpConnected4,
                udpAny6)) {
            b.accept(e);
        }
        SocketSnapshot s = b.build();
        assertThat(s.netns()).isEqualTo(7);
        assertThat(s.tcp4Connections()).containsExactly(conn4, timeWait4);
        assertThat(s.tcp4Listeners()).containsExactly(new SocketSnapshot.Bind(listen4, true),
                new SocketSnapshot.Bind(listenLocal4, false));
        assertThat(s.tcp6Connections()).containsExactly(mapped6);
        assertThat(s.tcp6Listeners()).containsExactly(new SocketSnapshot.Bind(listen6, true));
        assertThat(s.udp4Binds()).containsExactly(new SocketSnapshot.Bind(udpAny4, true),
                new SocketSnapshot.Bind(udpConnected4, false));
        assertThat(s.udp6Binds()).containsExactly(new SocketSnapshot.Bind(udpAny6, true));
        assertThat(s.dropped()).isZero();
    }

    @Test
    void capCountsWhatIsLeftOut() throws Exception {
        SocketSnapshot.Builder b = SocketSnapshot.builder(1, 2);
        for (int port = 1; port <= 5; port++) {
            b.accept(socket(Protocol.TCP, AddressFamily.INET, SocketState.ESTABLISHED, A, port, B, 80, port));
        }
        SocketSnapshot s = b.build();
        assertThat(s.tcp4Connections()).extracting(SocketEntry::localPort).containsExactly(1, 2);
        assertThat(s.dropped()).isEqualTo(3);
    }
}
