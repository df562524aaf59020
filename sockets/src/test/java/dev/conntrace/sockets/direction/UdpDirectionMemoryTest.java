package dev.conntrace.sockets.direction;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conntrace.sockets.Direction;
import dev.conntrace.sys.IpAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import org.junit.jupiter.api.Test;

class UdpDirectionMemoryTest {
    private Instant now = Instant.parse("2026-01-01T00:00:00Z");
    private final InstantSource clock = () -> now;
    private static final UdpBind DNS = new UdpBind(1, IpAddress.parse("0.0.0.0"), 53);
    private static final IpAddress PEER = IpAddress.parse("192.0.2.7");

    private void advance(Duration d) {
        now = now.plus(d);
    }

    @Test
    void firstDatagramFixesDirection() {
        UdpDirectionMemory m = new UdpDirectionMemory(clock, UdpDirectionMemory.Limits.DEFAULT);
        assertThat(m.lookup(DNS, PEER, 4000)).isEqualTo(Direction.UNKNOWN);
        assertThat(m.record(DNS, PEER, 4000, Direction.INCOMING)).isEqualTo(Direction.INCOMING);
        assertThat(m.record(DNS, PEER, 4000, Direction.OUTGOING)).isEqualTo(Direction.INCOMING);
        assertThat(m.record(DNS, PEER, 4001, Direction.OUTGOING)).isEqualTo(Direction.OUTGOING);
        assertThat(m.lookup(DNS, PEER, 4000)).isEqualTo(Direction.INCOMING);
        assertThat(m.size()).isEqualTo(2);
    }

    @Test
    void v4MappedRemoteAndBindMeetTheirIpv4Form() {
        UdpDirectionMemory m = new UdpDirectionMemory(clock, UdpDirectionMemory.Limits.DEFAULT);
        m.record(new UdpBind(1, IpAddress.parse("::ffff:10.0.0.1"), 53), PEER.toV4Mapped(), 9, Direction.INCOMING);
        assertThat(m.lookup(new UdpBind(1, IpAddress.parse("10.0.0.1"), 53), PEER, 9)).isEqualTo(Direction.INCOMING);
    }

    @Test
    void expiresSeventyTwoHoursAfterLastSeen() {
        UdpDirectionMemory m = new UdpDirectionMemory(clock, UdpDirectionMemory.Limits.DEFAULT);
        m.record(DNS, PEER, 4000, Direction.INCOMING);
        advance(Duration.ofHours(71));
        assertThat(m.record(DNS, PEER, 4000, Direction.OUTGOING)).isEqualTo(Direction.INCOMING); // refreshed
        advance(Duration.ofHours(71));
        assertThat(m.expire()).isZero();
        assertThat(m.lookup(DNS, PEER, 4000)).isEqualTo(Direction.INCOMING);
        advance(Duration.ofHours(1));
        assertThat(m.lookup(DNS, PEER, 4000)).isEqualTo(Direction.UNKNOWN);
        assertThat(m.expire()).isEqualTo(1);
        assertThat(m.size()).isZero();
        assertThat(m.bindCount()).isZero();
        assertThat(m.record(DNS, PEER, 4000, Direction.OUTGOING)).isEqualTo(Direction.OUTGOING);
    }

    @Test
    void crowdedBindExpiresAfterThreeHours() {
        UdpDirectionMemory m = new UdpDirectionMemory(clock, UdpDirectionMemory.Limits.DEFAULT);
        for (int port = 1; port <= 257; port++) {
            m.record(DNS, PEER, port, Direction.INCOMING);
        }
        advance(Duration.ofHours(3));
        // 257 > 256: the short lifetime applies until the bind is back to 256
        assertThat(m.lookup(DNS, PEER, 1)).isEqualTo(Direction.UNKNOWN);
        assertThat(m.expire()).isEqualTo(1);
        assertThat(m.size()).isEqualTo(256);
        assertThat(m.lookup(DNS, PEER, 2)).isEqualTo(Direction.INCOMING);
    }

    @Test
    void quietBindKeepsLongLifetime() {
        UdpDirectionMemory m = new UdpDirectionMemory(clock, UdpDirectionMemory.Limits.DEFAULT);
        for (int port = 1; port <= 256; port++) {
            m.record(DNS, PEER, port, Direction.INCOMING);
        }
        advance(Duration.ofHours(3));
        assertThat(m.expire()).isZero();
        assertThat(m.size()).isEqualTo(256);
    }

    @Test
    void bindRemovalForgetsItsEntries() {
        UdpDirectionMemory m = new UdpDirectionMemory(clock, UdpDirectionMemory.Limits.DEFAULT);
        UdpBind other = new UdpBind(1, IpAddress.parse("0.0.0.0"), 123);
        UdpBind third = new UdpBind(2, IpAddress.parse("0.0.0.0"), 123);
        m.record(DNS, PEER, 1, Direction.INCOMING);
        m.record(other, PEER, 1, Direction.OUTGOING);
        m.record(third, PEER, 1, Direction.OUTGOING);
        m.removeBind(DNS);
        assertThat(m.lookup(DNS, PEER, 1)).isEqualTo(Direction.UNKNOWN);
        assertThat(m.size()).isEqualTo(2);
        m.retainBinds(List.of(third));
        assertThat(m.lookup(other, PEER, 1)).isEqualTo(Direction.UNKNOWN);
        assertThat(m.lookup(third, PEER, 1)).isEqualTo(Direction.OUTGOING);
        assertThat(m.size()).isEqualTo(1);
    }

    @Test
    void perBindCapEvictsLeastRecentlySeen() {
        UdpDirectionMemory m = new UdpDirectionMemory(clock,
                new UdpDirectionMemory.Limits(Duration.ofHours(72), Duration.ofHours(3), 256, 3, 100));
        m.record(DNS, PEER, 1, Direction.INCOMING);
        m.record(DNS, PEER, 2, Direction.INCOMING);
        m.record(DNS, PEER, 3, Direction.INCOMING);
        m.record(DNS, PEER, 1, Direction.INCOMING); // 1 seen again: 2 is now the oldest
        m.record(DNS, PEER, 4, Direction.OUTGOING);
        assertThat(m.evictions()).isEqualTo(1);
        assertThat(m.lookup(DNS, PEER, 2)).isEqualTo(Direction.UNKNOWN);
        assertThat(m.lookup(DNS, PEER, 1)).isEqualTo(Direction.INCOMING);
        assertThat(m.size()).isEqualTo(3);
    }

    @Test
    void totalCapEvictsFromLargestBind() {
        UdpDirectionMemory m = new UdpDirectionMemory(clock,
                new UdpDirectionMemory.Limits(Duration.ofHours(72), Duration.ofHours(3), 256, 100, 4));
        UdpBind small = new UdpBind(1, IpAddress.parse("0.0.0.0"), 9);
        m.record(DNS, PEER, 1, Direction.INCOMING);
        m.record(DNS, PEER, 2, Direction.INCOMING);
        m.record(DNS, PEER, 3, Direction.INCOMING);
        m.record(small, PEER, 1, Direction.OUTGOING);
        m.record(small, PEER, 2, Direction.OUTGOING);
        assertThat(m.size()).isEqualTo(4);
        assertThat(m.evictions()).isEqualTo(1);
        assertThat(m.lookup(DNS, PEER, 1)).isEqualTo(Direction.UNKNOWN);
        assertThat(m.lookup(small, PEER, 1)).isEqualTo(Direction.OUTGOING);
    }

    @Test
    void totalCapPrefersExpiringOverEvicting() {
        UdpDirectionMemory m = new UdpDirectionMemory(clock,
                new UdpDirectionMemory.Limits(Duration.ofHours(72), Duration.ofHours(3), 256, 100, 2));
        m.record(DNS, PEER, 1, Direction.INCOMING);
        m.record(DNS, PEER, 2, Direction.INCOMING);
        advance(Duration.ofHours(73));
        m.record(DNS, PEER, 3, Direction.OUTGOING);
        assertThat(m.evictions()).isZero();
        assertThat(m.expirations()).isEqualTo(2);
        assertThat(m.size()).isEqualTo(1);
        assertThat(m.lookup(DNS, PEER, 3)).isEqualTo(Direction.OUTGOING);
    }
}
