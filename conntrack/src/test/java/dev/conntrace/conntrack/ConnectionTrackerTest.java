package dev.conntrace.conntrack;

import static dev.conntrace.conntrack.EventMessages.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.conntrace.netlink.NetlinkSocket;
import dev.conntrace.netlink.fake.FakeKernel;
import dev.conntrace.netlink.fake.FakeKernel.Datagram;
import dev.conntrace.sys.Errno;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The tracker's contract on fake kernels: one for events, one answering dumps with {@link #table}. */
class ConnectionTrackerTest {
    private final List<Flow> table = new CopyOnWriteArrayList<>();
    private final AtomicInteger failDumps = new AtomicInteger();
    private final FakeKernel eventKernel = new FakeKernel(req -> List.of());
    private final FakeKernel dumpKernel = new FakeKernel(req -> failDumps.getAndDecrement() > 0
            ? List.of(Datagram.of(FakeKernel.error(req, FakeKernel.DEFAULT_PORT_ID, Errno.EBUSY, "busy", -1)))
            : dumpReply(req, table));
    private ConnectionTracker tracker;

    private ConnectionTracker start(ConnectionTracker.Config config) throws Exception {
        ConntrackEvents events = ConntrackEvents.over(NetlinkSocket.over(eventKernel, NetlinkSocket.Options.defaults()),
                EnumSet.allOf(EventType.class));
        tracker = ConnectionTracker.over(events, Conntrack.over(NetlinkSocket.over(dumpKernel,
                NetlinkSocket.Options.defaults())), config);
        assertThat(tracker.awaitSynced(10, TimeUnit.SECONDS)).isTrue();
        return tracker;
    }

    @AfterEach
    void close() {
        if (tracker != null) {
            tracker.close();
        }
    }

    private static Map<FlowKey, TrackedConnection> byKey(List<TrackedConnection> list) {
        assertThat(list).extracting(TrackedConnection::key).doesNotHaveDuplicates();
        return list.stream().collect(Collectors.toMap(TrackedConnection::key, c -> c));
    }

    private void inject(Datagram... datagrams) throws InterruptedException {
        long before = tracker.listener().received();
        eventKernel.inject(datagrams);
        await(() -> tracker.listener().received() >= before + datagrams.length && tracker.listener().queued() == 0,
                datagrams.length + " events");
        // queued() == 0 means taken, not yet applied: wait for the tracker to have applied them.
        Thread.sleep(20);
    }

    @Test
    void reportsActiveConnectionsAndThoseThatOpenedAndClosedInBetweenOnce() throws Exception {
        table.add(udp(1));
        table.add(udp(2, 20002, 0));
        table.add(udp(2, 20002, 7)); // same id, another zone: another connection
        start(ConnectionTracker.Config.defaults());
        Map<FlowKey, TrackedConnection> first = byKey(tracker.connections());
        assertThat(first.keySet()).containsExactlyInAnyOrder(new FlowKey(1, 0), new FlowKey(2, 0), new FlowKey(2, 7));
        assertThat(first.values()).allSatisfy(c -> {
            assertThat(c.active()).isTrue();
            assertThat(c.reconciled()).isFalse();
        });

        inject(event(EventType.NEW, udp(3)), event(EventType.DESTROY, udp(3)), event(EventType.DESTROY, udp(1)),
                event(EventType.NEW, udp(4)));
        await(() -> tracker.eventsApplied() == 4, "4 events applied");
        Map<FlowKey, TrackedConnection> second = byKey(tracker.connections());
        assertThat(second.keySet()).containsExactlyInAnyOrder(new FlowKey(1, 0), new FlowKey(2, 0), new FlowKey(2, 7),
                new FlowKey(3, 0), new FlowKey(4, 0));
        assertThat(second.get(new FlowKey(3, 0))).satisfies(c -> {
            assertThat(c.active()).isFalse();
            assertThat(c.reconciled()).isFalse();
            assertThat(c.endedAt()).isNotNull();
        });
        assertThat(second.get(new FlowKey(1, 0)).active()).isFalse();
        assertThat(second.get(new FlowKey(4, 0)).active()).isTrue();

        // Ended connections were reported once and are forgotten.
        assertThat(byKey(tracker.connections()).keySet()).containsExactlyInAnyOrder(new FlowKey(2, 0),
                new FlowKey(2, 7), new FlowKey(4, 0));
        assertThat(tracker.overruns()).isZero();
        assertThat(tracker.resyncs()).isEqualTo(1);
    }

    @Test
    void afterAnOverrunItRedumpsAndMarksWhatItInferredAsReconciled() throws Exception {
        table.addAll(List.of(udp(1), udp(2)));
        start(ConnectionTracker.Config.defaults());
        assertThat(tracker.connections()).hasSize(2);

        // The kernel's table moves on while events are lost: 1 ends, 4 starts, 2 stays.
        table.clear();
        table.addAll(List.of(udp(2), udp(4)));
        eventKernel.inject(Datagram.failure(Errno.ENOBUFS));
        await(() -> tracker.resyncs() == 2, "the re-dump after the overrun");
        assertThat(tracker.overruns()).isEqualTo(1);

        Map<FlowKey, TrackedConnection> got = byKey(tracker.connections());
        assertThat(got.keySet()).containsExactlyInAnyOrder(new FlowKey(1, 0), new FlowKey(2, 0), new FlowKey(4, 0));
        assertThat(got.get(new FlowKey(1, 0))).satisfies(c -> {
            assertThat(c.active()).isFalse();
            assertThat(c.reconciled()).isTrue();
        });
        assertThat(got.get(new FlowKey(4, 0))).satisfies(c -> {
            assertThat(c.active()).isTrue();
            assertThat(c.reconciled()).isTrue();
        });
        assertThat(got.get(new FlowKey(2, 0)).reconciled()).isFalse();

        // A real event for an inferred connection replaces the inference.
        inject(event(EventType.DESTROY, udp(4)));
        await(() -> tracker.eventsApplied() == 1, "the destroy event applied");
        assertThat(byKey(tracker.connections()).get(new FlowKey(4, 0))).satisfies(c -> {
            assertThat(c.active()).isFalse();
            assertThat(c.reconciled()).isFalse();
        });
    }

    @Test
    void aDestroyEventQueuedBeforeTheRedumpKeepsTheConnectionsFirstSeenAndIsNotAnEviction() throws Exception {
        table.add(udp(1));
        start(ConnectionTracker.Config.defaults());
        TrackedConnection before = tracker.connections().getFirst();
        table.clear();
        eventKernel.inject(Datagram.failure(Errno.ENOBUFS), event(EventType.DESTROY, udp(1)));
        await(() -> tracker.resyncs() == 2 && tracker.eventsApplied() == 1, "re-dump and destroy");
        assertThat(tracker.connections()).singleElement().satisfies(c -> {
            assertThat(c.active()).isFalse();
            assertThat(c.reconciled()).isFalse();
            assertThat(c.firstSeen()).isEqualTo(before.firstSeen());
        });
        assertThat(tracker.evicted()).isZero();
    }

    @Test
    void capsBoundActiveAndEndedConnectionsAndCountWhatDidNotFit() throws Exception {
        start(ConnectionTracker.Config.defaults().withCaps(2, 1));
        inject(event(EventType.NEW, udp(1)), event(EventType.NEW, udp(2)), event(EventType.NEW, udp(3)));
        await(() -> tracker.eventsApplied() == 3, "3 events applied");
        assertThat(tracker.untracked()).isEqualTo(1);
        inject(event(EventType.DESTROY, udp(1)), event(EventType.DESTROY, udp(2)));
        await(() -> tracker.eventsApplied() == 5, "5 events applied");
        assertThat(tracker.evicted()).isEqualTo(1);
        assertThat(tracker.connections()).singleElement().satisfies(c -> {
            assertThat(c.key()).isEqualTo(new FlowKey(2, 0));
            assertThat(c.active()).isFalse();
        });
    }

    @Test
    void onlyTcpAndUdpAreTrackedByDefault() throws Exception {
        Tuple icmp = Tuple.icmp(A, B, 7, 8, 0);
        table.add(Flow.builder().original(icmp).reply(Tuples.inverse(icmp)).id(9).build());
        table.add(udp(1));
        start(ConnectionTracker.Config.defaults());
        assertThat(tracker.connections()).extracting(TrackedConnection::key).containsExactly(new FlowKey(1, 0));
    }

    @Test
    void aFailedDumpIsRetried() throws Exception {
        failDumps.set(1);
        table.add(udp(5));
        start(ConnectionTracker.Config.defaults());
        assertThat(tracker.dumpFailures()).isEqualTo(1);
        assertThat(tracker.lastError()).isNotNull();
        assertThat(tracker.connections()).extracting(TrackedConnection::key).containsExactly(new FlowKey(5, 0));
    }

    @Test
    void closeStopsBothThreadsPromptlyAndClosesBothSockets() throws Exception {
        start(ConnectionTracker.Config.defaults());
        long t0 = System.nanoTime();
        tracker.close();
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isLessThan(2000);
        assertThat(eventKernel.isClosed()).isTrue();
        assertThat(dumpKernel.isClosed()).isTrue();
        assertThat(tracker.listener().isStopped()).isTrue();
    }

    @Test
    void withUpdatesAnUpdateRefreshesTheStateAndStandsInForAMissedNew() throws Exception {
        table.add(udp(1));
        start(ConnectionTracker.Config.defaults().withUpdates(true));
        Flow marked = udp(1).toBuilder().mark(42).build();
        inject(event(EventType.UPDATE, marked), event(EventType.UPDATE, udp(2)));
        await(() -> tracker.eventsApplied() == 2, "2 updates applied");
        Map<FlowKey, TrackedConnection> got = byKey(tracker.connections());
        assertThat(got.get(new FlowKey(1, 0)).flow().mark()).isEqualTo(42);
        assertThat(got.get(new FlowKey(2, 0))).satisfies(c -> {
            assertThat(c.active()).isTrue();
            assertThat(c.reconciled()).isFalse();
        });
    }

    @Test
    void everyEndedConnectionIsReportedExactlyOnceWhileAnotherThreadKeepsLooking() throws Exception {
        start(ConnectionTracker.Config.defaults());
        Map<FlowKey, Integer> endedReports = new java.util.concurrent.ConcurrentHashMap<>();
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        Thread looker = Thread.ofPlatform().start(() -> {
            while (!stop.get()) {
                for (TrackedConnection c : tracker.connections()) {
                    if (!c.active()) {
                        endedReports.merge(c.key(), 1, Integer::sum);
                    }
                }
            }
        });
        int n = 1000;
        for (int i = 1; i <= n; i++) {
            eventKernel.inject(event(EventType.NEW, udp(i)), event(EventType.DESTROY, udp(i)));
        }
        await(() -> tracker.eventsApplied() == 2L * n, "all events applied");
        stop.set(true);
        looker.join(5000);
        for (TrackedConnection c : tracker.connections()) {
            assertThat(c.active()).isFalse();
            endedReports.merge(c.key(), 1, Integer::sum);
        }
        assertThat(endedReports).hasSize(n);
        assertThat(endedReports.values()).containsOnly(1);
        assertThat(tracker.evicted()).isZero();
    }
}
