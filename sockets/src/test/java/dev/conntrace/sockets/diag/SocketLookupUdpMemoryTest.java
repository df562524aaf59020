package dev.conntrace.sockets.diag;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conntrace.sockets.AddressFamily;
import dev.conntrace.sockets.FiveTuple;
import dev.conntrace.sockets.Protocol;
import dev.conntrace.sockets.SocketEntry;
import dev.conntrace.sockets.SocketState;
import dev.conntrace.sockets.V6Only;
import dev.conntrace.sockets.direction.UdpDirectionMemory;
import dev.conntrace.sockets.process.ProcessInfo;
import dev.conntrace.sys.IpAddress;
import java.time.Duration;
import java.time.InstantSource;
import org.junit.jupiter.api.Test;

/** UDP lookups with fake steps: directions are remembered per bind and forgotten when the bind is gone. */
class SocketLookupUdpMemoryTest {
    private static final IpAddress HOST = IpAddress.parse("10.0.0.1");
    private static final IpAddress PEER = IpAddress.parse("10.0.0.2");
    private static final IpAddress ANY = IpAddress.parse("0.0.0.0");

    /** An unconnected UDP socket on 0.0.0.0:53 while {@code open}. */
    private static final class Steps implements LookupSteps {
        boolean open = true;

        @Override
        public SocketEntry get(Protocol protocol, AddressFamily family, IpAddress src, int sport, IpAddress dst,
                int dport, long deadlineNanos) {
            if (!open || protocol != Protocol.UDP || family != AddressFamily.INET || dport != 53) {
                return null;
            }
            return new SocketEntry(1, Protocol.UDP, AddressFamily.INET, SocketState.CLOSE, ANY, 53, ANY, 0, 0, 0, 0,
                    99, 99, 0, V6Only.UNKNOWN, 0, null);
        }

        @Override
        public int[] pids(long inode, boolean thorough, long deadlineNanos) {
            return new int[] {7};
        }

        @Override
        public ProcessInfo process(int pid) {
            return new ProcessInfo(pid, 1, "dnsd", "dnsd", "/bin/dnsd", 0, "root", 1, java.time.Instant.EPOCH, null);
        }
    }

    @Test
    void directionsOfAClosedBindAreForgotten() throws Exception {
        Steps steps = new Steps();
        UdpDirectionMemory memory = new UdpDirectionMemory(InstantSource.system(), UdpDirectionMemory.Limits.DEFAULT);
        SocketLookup l = new SocketLookup(1, steps, memory,
                new SocketLookup.Config(Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ZERO, 16));
        FiveTuple query = new FiveTuple(Protocol.UDP, PEER, 40000, HOST, 53);
        FiveTuple answer = new FiveTuple(Protocol.UDP, HOST, 53, PEER, 40000);

        // the first datagram arrives: the conversation is inbound, and stays so for the answer
        assertThat(l.lookup(query, true, SocketLookup.Mode.FAST).inbound()).isTrue();
        LookupResult reply = l.lookup(answer, false, SocketLookup.Mode.FAST);
        assertThat(reply.attribution()).isEqualTo(Attribution.REMEMBERED_UDP_DIRECTION);
        assertThat(reply.inbound()).isTrue();
        assertThat(memory.size()).isEqualTo(1);

        // the socket closes: a miss there forgets the bind's directions
        steps.open = false;
        assertThat(l.lookup(answer, false, SocketLookup.Mode.FAST).outcome())
                .isEqualTo(LookupOutcome.CONNECTION_NOT_FOUND);
        assertThat(memory.size()).isZero();
        assertThat(memory.bindCount()).isZero();

        // a new socket on the port: its first datagram (now outgoing) decides afresh
        steps.open = true;
        LookupResult fresh = l.lookup(answer, false, SocketLookup.Mode.FAST);
        assertThat(fresh.attribution()).isEqualTo(Attribution.LISTENER);
        assertThat(fresh.inbound()).isFalse();
    }
}
