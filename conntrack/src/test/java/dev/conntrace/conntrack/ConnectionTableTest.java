package dev.conntrace.conntrack;

import static dev.conntrace.conntrack.EventMessages.udp;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The kernel reuses conntrack ids: events about an id's earlier life must not touch its current one. */
class ConnectionTableTest {
    private static final FlowKey KEY = new FlowKey(5, 0);
    private final Flow oldLife = udp(5, 40_001, 0);
    private final Flow newLife = udp(5, 40_002, 0);
    private final ConnectionTable table = new ConnectionTable(100, 100, Clock.systemUTC());

    private TrackedConnection active(List<TrackedConnection> list) {
        return list.stream().filter(TrackedConnection::active).findFirst().orElseThrow();
    }

    @Test
    void staleEventsOfAnEarlierLifeLeaveTheDumpedConnectionAlone() {
        table.merge(Map.of(KEY, newLife), true, true); // a re-dump after an overrun: the id now is newLife
        table.apply(KEY, EventType.NEW, oldLife);       // queued before the dump: stale
        table.apply(KEY, EventType.UPDATE, oldLife);
        table.apply(KEY, EventType.DESTROY, oldLife);
        List<TrackedConnection> now = table.connections();
        assertThat(now).hasSize(2);
        assertThat(active(now).flow()).isEqualTo(newLife);
        // The earlier life opened and closed in between: still reported once, as ended.
        assertThat(now).filteredOn(c -> !c.active()).singleElement()
                .satisfies(c -> assertThat(c.flow()).isEqualTo(oldLife));
        assertThat(table.connections()).singleElement().satisfies(c -> assertThat(c.flow()).isEqualTo(newLife));
    }

    @Test
    void aDumpShowingAReusedIdEndsTheConnectionTrackedUnderIt() {
        table.apply(KEY, EventType.NEW, oldLife);
        table.merge(Map.of(KEY, newLife), true, true);
        List<TrackedConnection> now = table.connections();
        assertThat(active(now).flow()).isEqualTo(newLife);
        assertThat(active(now).reconciled()).isTrue();
        assertThat(now).filteredOn(c -> !c.active()).singleElement().satisfies(c -> {
            assertThat(c.flow()).isEqualTo(oldLife);
            assertThat(c.reconciled()).isTrue();
        });
    }

    @Test
    void eventsOfTheSameLifeStillUpdateAndEnd() {
        table.apply(KEY, EventType.NEW, oldLife);
        table.apply(KEY, EventType.DESTROY, oldLife);
        assertThat(table.connections()).singleElement().satisfies(c -> assertThat(c.active()).isFalse());
        assertThat(table.connections()).isEmpty();
    }
}
