package dev.conntrace.conntrack;

import static dev.conntrace.conntrack.EventMessages.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.conntrace.conntrack.wire.RequestWriter;
import dev.conntrace.netlink.MessageBuilder;
import dev.conntrace.netlink.Netlink;
import dev.conntrace.netlink.NetlinkSocket;
import dev.conntrace.netlink.fake.FakeKernel;
import dev.conntrace.netlink.fake.FakeKernel.Datagram;
import dev.conntrace.netlink.netfilter.Nfgenmsg;
import dev.conntrace.netlink.netfilter.Nfnetlink;
import dev.conntrace.conntrack.wire.Ctnetlink;
import dev.conntrace.sys.Errno;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The listener's order, overflow policies, loss reports and closing, on a fake kernel. */
class ConntrackListenerTest {

    private static ConntrackEvents events(FakeKernel kernel) throws Exception {
        return ConntrackEvents.over(NetlinkSocket.over(kernel, NetlinkSocket.Options.defaults()),
                EnumSet.allOf(EventType.class), EnumSet.allOf(EventType.class));
    }

    private static List<ConntrackEvent> take(ConntrackListener l, int n) throws InterruptedException {
        List<ConntrackEvent> got = new ArrayList<>();
        while (got.size() < n) {
            ConntrackEvent e = l.poll(5, TimeUnit.SECONDS);
            assertThat(e).as("event %d of %d", got.size() + 1, n).isNotNull();
            got.add(e);
        }
        return got;
    }

    @Test
    void eventsArriveInKernelOrderThroughABlockingQueueSmallerThanTheBurst() throws Exception {
        FakeKernel kernel = new FakeKernel(req -> List.of());
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            int id = 1 + i % 7;
            EventType t = EventType.values()[i % 3];
            kernel.inject(event(t, udp(id)));
            sent.add(t + "/" + id);
        }
        try (ConntrackListener l = ConntrackListener.start(events(kernel),
                ConntrackListener.Config.defaults().withQueueCapacity(4))) {
            List<String> got = take(l, 300).stream()
                    .map(e -> ((FlowEvent) e).type() + "/" + ((FlowEvent) e).flow().id()).toList();
            assertThat(got).isEqualTo(sent);
            assertThat(l.queueDrops()).isZero();
            assertThat(l.received()).isEqualTo(300);
        }
    }

    @Test
    void dropNewestCountsWhatDidNotFitAndReportsItAsAnOverrunOnceThereIsRoom() throws Exception {
        FakeKernel kernel = new FakeKernel(req -> List.of());
        for (int i = 1; i <= 10; i++) {
            kernel.inject(event(EventType.NEW, udp(i)));
        }
        try (ConntrackListener l = ConntrackListener.start(events(kernel),
                ConntrackListener.Config.defaults().withQueueCapacity(3).withPolicy(OverflowPolicy.DROP_NEWEST))) {
            await(() -> l.received() == 10, "10 events read");
            assertThat(l.queueDrops()).isEqualTo(7);
            List<ConntrackEvent> got = take(l, 4);
            assertThat(got.subList(0, 3)).extracting(e -> ((FlowEvent) e).flow().id()).containsExactly(1, 2, 3);
            assertThat(got.get(3)).isInstanceOfSatisfying(Overrun.class, o -> {
                assertThat(o.queueDrops()).isEqualTo(7);
                assertThat(o.kernelOverruns()).isZero();
            });
            kernel.inject(event(EventType.DESTROY, udp(11)));
            assertThat(take(l, 1).getFirst()).isInstanceOfSatisfying(FlowEvent.class,
                    e -> assertThat(e.flow().id()).isEqualTo(11));
            assertThat(l.isStopped()).isFalse();
        }
    }

    @Test
    void kernelOverrunIsDeliveredInItsPlaceAndListeningContinues() throws Exception {
        FakeKernel kernel = new FakeKernel(req -> List.of());
        kernel.inject(event(EventType.NEW, udp(1)), Datagram.failure(Errno.ENOBUFS), event(EventType.NEW, udp(2)),
                Datagram.failure(Errno.ENOBUFS), event(EventType.DESTROY, udp(1)));
        try (ConntrackListener l = ConntrackListener.start(events(kernel), ConntrackListener.Config.defaults())) {
            List<ConntrackEvent> got = take(l, 5);
            assertThat(got.get(0)).isInstanceOf(FlowEvent.class);
            assertThat(got.get(1)).isInstanceOfSatisfying(Overrun.class, o -> {
                assertThat(o.kernelOverruns()).isEqualTo(1);
                assertThat(o.socketDrops()).isEqualTo(-1); // a fake socket has no /proc/net/netlink row
            });
            assertThat(got.get(2)).isInstanceOf(FlowEvent.class);
            assertThat(got.get(3)).isInstanceOfSatisfying(Overrun.class, o -> assertThat(o.kernelOverruns()).isEqualTo(2));
            assertThat(got.get(4)).isInstanceOfSatisfying(FlowEvent.class,
                    e -> assertThat(e.type()).isEqualTo(EventType.DESTROY));
            assertThat(l.kernelOverruns()).isEqualTo(2);
            assertThat(l.isStopped()).isFalse();
        }
    }

    @Test
    void closeStopsAnIdleReaderPromptlyAndClosesTheSocket() throws Exception {
        FakeKernel kernel = new FakeKernel(req -> List.of());
        ConntrackListener l = ConntrackListener.start(events(kernel), ConntrackListener.Config.defaults());
        Thread.sleep(100);
        long start = System.nanoTime();
        l.close();
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(millis).isLessThan(1000);
        assertThat(l.isStopped()).isTrue();
        assertThat(kernel.isClosed()).isTrue();
        assertThat(l.poll(10, TimeUnit.MILLISECONDS)).isNull();
        assertThat(l.failure()).isNull();
    }

    @Test
    void closeReleasesAReaderBlockedOnAFullQueue() throws Exception {
        FakeKernel kernel = new FakeKernel(req -> List.of());
        for (int i = 1; i <= 5; i++) {
            kernel.inject(event(EventType.NEW, udp(i)));
        }
        ConntrackListener l = ConntrackListener.start(events(kernel), ConntrackListener.Config.defaults().withQueueCapacity(1));
        await(() -> l.received() >= 2, "the reader to block on the full queue");
        l.close();
        assertThat(l.isStopped()).isTrue();
        assertThat(kernel.isClosed()).isTrue();
    }

    @Test
    void expectationEventsDecodeWithTheirType() throws Exception {
        Tuple master = Tuple.tcp(A, 40000, B, 21);
        Tuple expected = Tuple.tcp(A, 0, B, 50000);
        MessageBuilder b = MessageBuilder.allocate(4096);
        b.begin(Nfnetlink.type(Ctnetlink.NFNL_SUBSYS_CTNETLINK_EXP, Ctnetlink.IPCTNL_MSG_EXP_NEW),
                Netlink.NLM_F_CREATE | Netlink.NLM_F_EXCL);
        Nfgenmsg.put(b, 2, 0);
        RequestWriter.tuple(b, Ctnetlink.CTA_EXPECT_MASTER, master);
        RequestWriter.tuple(b, Ctnetlink.CTA_EXPECT_TUPLE, expected);
        b.addString(Ctnetlink.CTA_EXPECT_HELP_NAME, "ftp");
        b.finish();
        byte[] created = b.toByteArray();
        byte[] destroyed = created.clone();
        destroyed[4] = (byte) Ctnetlink.IPCTNL_MSG_EXP_DELETE;
        destroyed[6] = 0;
        destroyed[7] = 0;
        FakeKernel kernel = new FakeKernel(req -> List.of());
        kernel.inject(Datagram.multicast(8, created), Datagram.multicast(32, destroyed), event(EventType.NEW, udp(3)));
        try (ConntrackEvents events = ConntrackEvents.over(NetlinkSocket.over(kernel, NetlinkSocket.Options.defaults()),
                Set.of(EventType.NEW), EnumSet.of(EventType.NEW, EventType.DESTROY))) {
            List<ConntrackEvent> got = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                events.receive(0, got::add);
            }
            assertThat(got).hasSize(3);
            assertThat(got.get(0)).isInstanceOfSatisfying(ExpectEvent.class, e -> {
                assertThat(e.type()).isEqualTo(EventType.NEW);
                assertThat(e.expect().master()).isEqualTo(master);
                assertThat(e.expect().tuple().destinationPort()).isEqualTo(50000);
                assertThat(e.expect().helper()).isEqualTo("ftp");
            });
            assertThat(got.get(1)).isInstanceOfSatisfying(ExpectEvent.class,
                    e -> assertThat(e.type()).isEqualTo(EventType.DESTROY));
            assertThat(got.get(2)).isInstanceOf(FlowEvent.class);
            assertThat(events.counters().malformed()).isZero();
        }
    }

    @Test
    void socketDropsComeFromThisSocketsRowOfProcNetNetlink() {
        assertThat(SocketDrops.parse("""
                sk               Eth Pid        Groups   Rmem     Wmem     Dump  Locks    Drops    Inode
                0000000000000000 0   1          00000550 0        0        0     2        0        12345
                ffff8a0b4c1e2000 12  3520102401 00000007 4608     0        0     2        1791     99887
                ffff8a0b4c1e2800 12  77         00000007 0        0        0     2        5        99888
                """, 12, (int) 3520102401L)).isEqualTo(1791);
        assertThat(SocketDrops.parse("sk Eth Pid\n", 12, 77)).isEqualTo(-1);
    }
}
