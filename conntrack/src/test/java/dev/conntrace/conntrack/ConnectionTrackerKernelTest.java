package dev.conntrace.conntrack;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Events, the listener and the tracker against the real kernel, each test in a fresh network namespace. */
@Tag("kernel")
class ConnectionTrackerKernelTest {
    private KernelNamespace k;

    @BeforeEach
    void namespace() throws Exception {
        k = KernelNamespace.create();
    }

    @AfterEach
    void cleanup() {
        if (k != null) {
            k.close();
        }
    }

    /** Sends one datagram from one socket to each of {@code count} addresses 127.{net}.x.y, port 9. */
    private void burst(int net, int count) throws Exception {
        k.ns.run(() -> {
            try (DatagramChannel ch = DatagramChannel.open()) {
                ByteBuffer one = ByteBuffer.allocate(1);
                for (int i = 0; i < count; i++) {
                    one.clear();
                    ch.send(one, new InetSocketAddress("127." + net + "." + (i / 250) + "." + (1 + i % 250), 9));
                }
            }
        });
    }

    private Set<FlowKey> kernelKeys() throws Exception {
        Set<FlowKey> keys = new HashSet<>();
        k.ct.dump(f -> {
            if (ConnectionTracker.Config.tcpOrUdp(f)) {
                keys.add(FlowKey.of(f));
            }
        });
        return keys;
    }

    /** Calls connections() until {@code done} holds for what was reported so far (10 s at most); returns it all. */
    private static Map<FlowKey, List<TrackedConnection>> collect(ConnectionTracker t,
            Predicate<Map<FlowKey, List<TrackedConnection>>> done) throws InterruptedException {
        Map<FlowKey, List<TrackedConnection>> seen = new HashMap<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() - deadline < 0) {
            for (TrackedConnection c : t.connections()) {
                seen.computeIfAbsent(c.key(), x -> new ArrayList<>()).add(c);
            }
            if (done.test(seen)) {
                break;
            }
            Thread.sleep(20);
        }
        return seen;
    }

    @Test
    void eventSocketGetsAnEightMebibyteQueueByDefault() throws Exception {
        try (ConntrackEvents events = k.ns.call(() -> ConntrackEvents.open(EnumSet.of(EventType.NEW)))) {
            // The kernel reports twice what was set (its bookkeeping overhead).
            assertThat(events.receiveBufferSize()).isEqualTo(2 * ConntrackEvents.DEFAULT_RECEIVE_BUFFER);
        }
    }

    @Test
    void aRealTcpConnectionIsReportedActiveThenEndedByItsDestroyEvent() throws Exception {
        try (ConnectionTracker t = k.ns.call(() -> ConnectionTracker.open(ConnectionTracker.Config.defaults()))) {
            assertThat(t.awaitSynced(10, TimeUnit.SECONDS)).isTrue();
            int port = k.ns.call(() -> {
                try (ServerSocket server = new ServerSocket()) {
                    server.bind(new InetSocketAddress("127.0.0.1", 0));
                    try (Socket client = new Socket("127.0.0.1", server.getLocalPort());
                         Socket accepted = server.accept()) {
                        client.getOutputStream().write(1);
                        assertThat(accepted.getInputStream().read()).isEqualTo(1);
                    }
                    return server.getLocalPort();
                }
            });
            Map<FlowKey, List<TrackedConnection>> active = collect(t, m -> !m.isEmpty());
            assertThat(active.values()).singleElement().satisfies(list -> assertThat(list.getFirst().flow().original()
                    .destinationPort()).isEqualTo(port));
            FlowKey key = active.keySet().iterator().next();
            k.conntrack("-D", "-p", "tcp", "--dport", Integer.toString(port));
            Map<FlowKey, List<TrackedConnection>> ended = collect(t, m -> m.containsKey(key) && !m.get(key).getLast().active());
            assertThat(ended.get(key).getLast()).satisfies(c -> {
                assertThat(c.active()).isFalse();
                assertThat(c.reconciled()).isFalse();
                assertThat(c.endedAt()).isAfterOrEqualTo(c.firstSeen());
            });
            assertThat(t.connections()).extracting(TrackedConnection::key).doesNotContain(key);
            assertThat(t.overruns()).isZero();
        }
    }

    @Test
    void aConnectionOlderThanTheTrackerIsFoundEndedByAPeriodicDump() throws Exception {
        // With nf_conntrack_events=2 (the default since Linux 5.19) a flow made while nobody listened never
        // gets a DESTROY event: only a dump can tell that it ended.
        k.ns.exec("sysctl", "-qw", "net.netfilter.nf_conntrack_events=2");
        k.conntrack("-I", "-p", "udp", "-s", "10.1.1.1", "-d", "10.1.1.2", "--sport", "1", "--dport", "2", "-t", "60");
        ConnectionTracker.Config eventsOnly = ConnectionTracker.Config.defaults().withResyncEvery(java.time.Duration.ZERO);
        ConnectionTracker.Config dumping = eventsOnly.withResyncEvery(java.time.Duration.ofMillis(200));
        try (ConnectionTracker quiet = k.ns.call(() -> ConnectionTracker.open(eventsOnly));
             ConnectionTracker periodic = k.ns.call(() -> ConnectionTracker.open(dumping))) {
            assertThat(quiet.awaitSynced(10, TimeUnit.SECONDS)).isTrue();
            assertThat(periodic.awaitSynced(10, TimeUnit.SECONDS)).isTrue();
            assertThat(quiet.connections()).singleElement().satisfies(c -> assertThat(c.active()).isTrue());
            FlowKey key = periodic.connections().getFirst().key();
            k.conntrack("-D", "-p", "udp", "-s", "10.1.1.1");
            Map<FlowKey, List<TrackedConnection>> ended = collect(periodic,
                    m -> m.containsKey(key) && !m.get(key).getLast().active());
            assertThat(ended.get(key).getLast()).satisfies(c -> {
                assertThat(c.active()).isFalse();
                assertThat(c.reconciled()).isTrue();
            });
            assertThat(periodic.resyncs()).isGreaterThan(1);
            // the tracker that only listens still believes it active: the kernel sent nothing
            assertThat(quiet.connections()).singleElement().satisfies(c -> assertThat(c.active()).isTrue());
            assertThat(quiet.resyncs()).isEqualTo(1);
        }
    }

    @Test
    @SuppressWarnings("try") // closes the tracker explicitly to time it
    void udpFlowsOfBothFamiliesThatOpenAndCloseBetweenTwoLooksAreReportedOnce() throws Exception {
        try (ConnectionTracker t = k.ns.call(() -> ConnectionTracker.open(ConnectionTracker.Config.defaults()))) {
            assertThat(t.awaitSynced(10, TimeUnit.SECONDS)).isTrue();
            assertThat(t.connections()).isEmpty();
            k.ns.run(() -> {
                try (DatagramChannel v4 = DatagramChannel.open(); DatagramChannel v6 = DatagramChannel.open()) {
                    v4.send(ByteBuffer.allocate(1), new InetSocketAddress("127.0.0.1", 9));
                    v6.send(ByteBuffer.allocate(1), new InetSocketAddress("::1", 9));
                }
            });
            k.conntrack("-D", "-p", "udp", "--dport", "9"); // both families
            // Look only once both NEW and both DESTROY events were applied: between two looks.
            EventMessages.await(() -> t.eventsApplied() == 4, "4 events applied");
            List<TrackedConnection> seen = t.connections();
            assertThat(seen).hasSize(2).allSatisfy(c -> {
                assertThat(c.active()).isFalse();
                assertThat(c.reconciled()).isFalse();
            });
            assertThat(seen).extracting(c -> c.flow().isIpv6()).containsExactlyInAnyOrder(false, true);
            assertThat(t.connections()).isEmpty();
            long t0 = System.nanoTime();
            t.close();
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isLessThan(2000);
            assertThat(t.listener().isStopped()).isTrue();
        }
    }

    @Test
    void anOverrunIsReportedWithTheKernelsDropCountAndListeningContinues() throws Exception {
        try (ConntrackEvents events = k.ns.call(() -> ConntrackEvents.open(EnumSet.of(EventType.NEW), Set.of(),
                dev.conntrace.netlink.NetlinkSocket.Options.defaults().withSocketReceiveBuffer(4096)))) {
            burst(1, 500); // nobody reads meanwhile: the tiny queue overflows
            List<ConntrackEvent> got = new ArrayList<>();
            for (int i = 0; i < 1000 && got.stream().noneMatch(Overrun.class::isInstance); i++) {
                events.receive(100, got::add);
            }
            assertThat(got).filteredOn(Overrun.class::isInstance).first().isInstanceOfSatisfying(Overrun.class, o -> {
                assertThat(o.kernelOverruns()).isEqualTo(1);
                assertThat(o.socketDrops()).isPositive();
            });
            while (events.receive(100, e -> { }) > 0) {
                // drain what is left of the burst
            }
            burst(2, 1);
            List<ConntrackEvent> after = new ArrayList<>();
            for (int i = 0; i < 20 && after.isEmpty(); i++) {
                events.receive(100, after::add);
            }
            assertThat(after).singleElement().isInstanceOfSatisfying(FlowEvent.class,
                    e -> assertThat(e.flow().original().destination().toString()).isEqualTo("127.2.0.1"));
        }
    }

    @Test
    void afterABurstOverflowsASmallQueueTheTrackersViewEqualsTheKernelsTable() throws Exception {
        ConnectionTracker.Config config = ConnectionTracker.Config.defaults().withReceiveBuffer(4096)
                .withListener(ConntrackListener.Config.defaults().withQueueCapacity(64));
        try (ConnectionTracker t = k.ns.call(() -> ConnectionTracker.open(config))) {
            assertThat(t.awaitSynced(10, TimeUnit.SECONDS)).isTrue();
            burst(1, 2000);
            k.conntrack("-F"); // 2000 DESTROY events in one system call: far more than 4 KiB holds
            burst(2, 1500);
            Map<FlowKey, List<TrackedConnection>> seen = new HashMap<>();
            Set<FlowKey> kernel = kernelKeys();
            Set<FlowKey> view = Set.of();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (System.nanoTime() - deadline < 0) {
                List<TrackedConnection> now = t.connections();
                for (TrackedConnection c : now) {
                    seen.computeIfAbsent(c.key(), x -> new ArrayList<>()).add(c);
                }
                view = new HashSet<>();
                for (TrackedConnection c : now) {
                    if (c.active()) {
                        view.add(c.key());
                    }
                }
                if (t.overruns() > 0 && view.equals(kernel) && t.listener().queued() == 0) {
                    break;
                }
                Thread.sleep(50);
            }
            assertThat(t.overruns()).isPositive();
            assertThat(t.resyncs()).isGreaterThan(1);
            assertThat(kernel).hasSize(1500);
            assertThat(view).isEqualTo(kernel);
            // Some of what it holds it had to infer from the re-dump.
            assertThat(seen.values().stream().flatMap(List::stream).filter(TrackedConnection::reconciled)).isNotEmpty();
            assertThat(t.untracked()).isZero();
            assertThat(t.listener().isStopped()).isFalse();
        }
    }
}
