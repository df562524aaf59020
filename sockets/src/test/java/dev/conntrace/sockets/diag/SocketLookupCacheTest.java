package dev.conntrace.sockets.diag;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The result cache of {@link SocketLookup} with fake steps: hits, expiry, LRU eviction, its bound. */
class SocketLookupCacheTest {
    private static final IpAddress HOST = IpAddress.parse("10.0.0.1");
    private static final IpAddress HOST6 = IpAddress.parse("fd00::1");

    /** Every TCP socket asked for exists (connected, inode = its remote port) and is held by pid 7. */
    static final class EverySocket implements LookupSteps {
        final AtomicInteger gets = new AtomicInteger();
        private final ProcessInfo process = new ProcessInfo(7, 1, "fake", "fake", "/bin/fake", 0, "root", 1,
                Instant.EPOCH, null);

        @Override
        public SocketEntry get(Protocol protocol, AddressFamily family, IpAddress src, int sport, IpAddress dst,
                int dport, long deadlineNanos) {
            gets.incrementAndGet();
            if (dport == 0) {
                return null; // no listener
            }
            return new SocketEntry(1, protocol, family, SocketState.ESTABLISHED, src, sport, dst, dport, 0, 0, 0,
                    dport, dport, 0, V6Only.UNKNOWN, 0, null);
        }

        @Override
        public int[] pids(long inode, boolean thorough, long deadlineNanos) {
            return new int[] {7};
        }

        @Override
        public ProcessInfo process(int pid) {
            return process;
        }
    }

    static SocketLookup lookup(LookupSteps steps, Duration ttl, int size) {
        return new SocketLookup(1, steps, new UdpDirectionMemory(InstantSource.system(),
                UdpDirectionMemory.Limits.DEFAULT), new SocketLookup.Config(Duration.ofSeconds(5),
                        Duration.ofSeconds(10), ttl, size)); // not budget tests: a loaded machine must not miss them
    }

    static FiveTuple outgoing(int remotePort) {
        return new FiveTuple(Protocol.TCP, HOST, 40000, IpAddress.ipv4(0x0A00_0000 | remotePort), remotePort);
    }

    @Test
    void aRepeatedTupleIsTheCachedResultAndAsksNothing() throws Exception {
        EverySocket steps = new EverySocket();
        SocketLookup l = lookup(steps, Duration.ofSeconds(30), 16);
        FiveTuple t = outgoing(443);
        LookupResult first = l.lookup(t, false, SocketLookup.Mode.FAST);
        assertThat(first.found()).isTrue();
        int gets = steps.gets.get();
        // an equal tuple, not the same object: the key is the tuple's value
        LookupResult again = l.lookup(new FiveTuple(Protocol.TCP, HOST, 40000, t.destination(), 443), false,
                SocketLookup.Mode.FAST);
        assertThat(again).isSameAs(first);
        assertThat(steps.gets.get()).isEqualTo(gets);
        assertThat(l.cacheHits()).isEqualTo(1);

        // the same ports and addresses seen the other way, or as another protocol or family, are other keys
        assertThat(l.lookup(t, true, SocketLookup.Mode.FAST)).isNotSameAs(first);
        assertThat(l.lookup(new FiveTuple(Protocol.UDP, HOST, 40000, t.destination(), 443), false,
                SocketLookup.Mode.FAST)).isNotSameAs(first);
        FiveTuple v6 = new FiveTuple(Protocol.TCP, HOST6, 40000, IpAddress.ipv6(0, t.destination().low()), 443);
        assertThat(l.lookup(v6, false, SocketLookup.Mode.FAST)).isNotSameAs(first);
        assertThat(l.cacheHits()).isEqualTo(1);
        assertThat(l.cacheSize()).isEqualTo(4);

        l.clearCache();
        assertThat(l.cacheSize()).isZero();
        assertThat(l.lookup(t, false, SocketLookup.Mode.FAST)).isNotSameAs(first).isEqualTo(first);
    }

    @Test
    void aCachedResultExpiresAfterItsTtl() throws Exception {
        EverySocket steps = new EverySocket();
        SocketLookup l = lookup(steps, Duration.ofMillis(2), 16);
        FiveTuple t = outgoing(443);
        LookupResult first = l.lookup(t, false, SocketLookup.Mode.FAST);
        int gets = steps.gets.get();
        Thread.sleep(20);
        LookupResult later = l.lookup(t, false, SocketLookup.Mode.FAST);
        assertThat(later).isNotSameAs(first).isEqualTo(first);
        assertThat(steps.gets.get()).isGreaterThan(gets);
        assertThat(l.cacheHits()).isZero();
    }

    @Test
    void aZeroTtlCachesNothing() throws Exception {
        EverySocket steps = new EverySocket();
        SocketLookup l = lookup(steps, Duration.ZERO, 16);
        FiveTuple t = outgoing(443);
        l.lookup(t, false, SocketLookup.Mode.FAST);
        int gets = steps.gets.get();
        l.lookup(t, false, SocketLookup.Mode.FAST);
        assertThat(steps.gets.get()).isGreaterThan(gets);
        assertThat(l.cacheHits()).isZero();
        assertThat(l.cacheSize()).isZero();
    }

    @Test
    void theCacheStaysWithinItsSizeEvictingTheLeastRecentlyUsed() throws Exception {
        EverySocket steps = new EverySocket();
        SocketLookup l = lookup(steps, Duration.ofSeconds(30), 2);
        LookupResult a = l.lookup(outgoing(1), false, SocketLookup.Mode.FAST);
        LookupResult b = l.lookup(outgoing(2), false, SocketLookup.Mode.FAST);
        assertThat(l.lookup(outgoing(1), false, SocketLookup.Mode.FAST)).isSameAs(a); // 2 is now the eldest
        l.lookup(outgoing(3), false, SocketLookup.Mode.FAST);
        assertThat(l.cacheEvictions()).isEqualTo(1);
        assertThat(l.cacheSize()).isEqualTo(2);
        assertThat(l.lookup(outgoing(1), false, SocketLookup.Mode.FAST)).isSameAs(a);
        assertThat(l.lookup(outgoing(2), false, SocketLookup.Mode.FAST)).isNotSameAs(b);
        for (int port = 10; port < 1000; port++) {
            l.lookup(outgoing(port), false, SocketLookup.Mode.FAST);
        }
        assertThat(l.cacheSize()).isEqualTo(2);
    }

    @Test
    void configRefusesACacheSizeOutOfRange() {
        assertThatThrownBy(() -> new SocketLookup.Config(Duration.ofMillis(1), Duration.ofMillis(2),
                Duration.ofSeconds(1), SocketLookup.Config.MAX_CACHE_SIZE + 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SocketLookup.Config(Duration.ofMillis(1), Duration.ofMillis(2),
                Duration.ofSeconds(1), 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
