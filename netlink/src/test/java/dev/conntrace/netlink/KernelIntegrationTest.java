package dev.conntrace.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conntrace.netlink.netfilter.Nfgenmsg;
import dev.conntrace.netlink.netfilter.Nfnetlink;
import dev.conntrace.sys.Errno;
import dev.conntrace.sys.PrivateNamespace;
import dev.conntrace.sys.SocketConstants;
import dev.conntrace.sys.testing.Prerequisites;
import java.io.IOException;
import java.nio.channels.ServerSocketChannel;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The real kernel, each test in its own fresh network namespace; traffic only to 127.0.0.1 inside it. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class KernelIntegrationTest {
    private PrivateNamespace ns;
    private final List<AutoCloseable> resources = new ArrayList<>();

    @BeforeEach
    void createNamespace() throws IOException {
        Prerequisites.requireRoot();
        Prerequisites.requireTool("ip");
        Prerequisites.requireTool("nft");
        ns = PrivateNamespace.create();
    }

    @AfterEach
    void deleteNamespace() throws Exception {
        for (AutoCloseable r : resources.reversed()) {
            r.close();
        }
        if (ns != null) {
            String name = ns.name();
            ns.close();
            assertThat(ns.exists()).isFalse();
            assertThat(ipNetnsList()).doesNotContain(name);
        }
    }

    private static String ipNetnsList() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("ip", "netns", "list").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return out;
    }

    private NetlinkSocket open(int protocol, NetlinkSocket.Options options) throws IOException {
        NetlinkSocket socket = ns.call(() -> NetlinkSocket.open(protocol, options));
        resources.add(socket);
        return socket;
    }

    private static MessageBuilder ctDump(NetlinkSocket socket) {
        return Nfgenmsg.put(socket.request(KernelFixtures.CT_GET, 0), SocketConstants.AF_INET, 0);
    }

    /** UDP destination ports of the IPv4 flows in a ctnetlink message. */
    private static int udpDestinationPort(NetlinkMessage m, AttributeCursor cursor) throws DecodeException {
        AttributeCursor attrs = m.attributes(cursor, Nfgenmsg.SIZE);
        while (attrs.next()) {
            if (attrs.type() != KernelFixtures.CTA_TUPLE_ORIG) {
                continue;
            }
            AttributeCursor tuple = attrs.nested();
            while (tuple.next()) {
                if (tuple.type() != KernelFixtures.CTA_TUPLE_PROTO) {
                    continue;
                }
                int proto = -1;
                int port = -1;
                AttributeCursor p = tuple.nested();
                while (p.next()) {
                    if (p.type() == KernelFixtures.CTA_PROTO_NUM) {
                        proto = p.u8();
                    } else if (p.type() == KernelFixtures.CTA_PROTO_DST_PORT) {
                        port = p.be16();
                    }
                }
                return proto == KernelFixtures.IPPROTO_UDP ? port : -1;
            }
        }
        return -1;
    }

    @Test
    void netfilterAndSockDiagSocketsOpenWithAPortIdAndAForcedBuffer() throws IOException {
        NetlinkSocket nf = open(SocketConstants.NETLINK_NETFILTER, NetlinkSocket.Options.defaults());
        NetlinkSocket diag = open(SocketConstants.NETLINK_SOCK_DIAG, NetlinkSocket.Options.defaults());
        NetlinkSocket nf2 = open(SocketConstants.NETLINK_NETFILTER, NetlinkSocket.Options.defaults());
        assertThat(nf.portId()).isNotZero();
        assertThat(diag.portId()).isNotZero();
        assertThat(nf2.portId()).as("port ids are unique per protocol").isNotZero().isNotEqualTo(nf.portId());
        // SO_RCVBUFFORCE goes past net.core.rmem_max as root; the kernel doubles the value.
        assertThat(nf.receiveBufferSize(8 << 20)).isEqualTo(16 << 20);
    }

    @Test
    void sockDiagDumpFindsTheListenerOpenedInTheNamespace() throws IOException {
        ServerSocketChannel listener = ns.call(() -> KernelFixtures.listen(0));
        resources.add(listener);
        int port = ((java.net.InetSocketAddress) listener.getLocalAddress()).getPort();
        NetlinkSocket diag = open(SocketConstants.NETLINK_SOCK_DIAG, NetlinkSocket.Options.defaults());
        List<String> found = new ArrayList<>();
        DumpResult result = diag.dump("inet_diag dump",
                KernelFixtures.inetDiagDump(diag.request(0, 0), SocketConstants.AF_INET, 1 << KernelFixtures.TCP_LISTEN),
                m -> found.add(m.u8(1) + ":" + m.be16(4)));
        assertThat(found).containsExactly(KernelFixtures.TCP_LISTEN + ":" + port);
        assertThat(result.messages()).isEqualTo(1);
        assertThat(result.interrupted()).isFalse();
    }

    @Test
    void ctnetlinkDumpFindsAUdpFlowSentOnLoopback() throws IOException {
        KernelFixtures.trackConnections(ns);
        ns.call(() -> KernelFixtures.sendUdp(43000, 3));
        NetlinkSocket nf = open(SocketConstants.NETLINK_NETFILTER, NetlinkSocket.Options.defaults());
        Set<Integer> ports = new HashSet<>();
        AttributeCursor cursor = new AttributeCursor();
        DumpResult result = nf.dump("ctnetlink dump", ctDump(nf), m -> {
            assertThat(m.type()).isEqualTo(KernelFixtures.CT_NEW);
            ports.add(udpDestinationPort(m, cursor));
        });
        assertThat(ports).contains(43000, 43001, 43002);
        assertThat(result.messages()).isGreaterThanOrEqualTo(3);
        // The same socket dumps again (sequence advanced, buffer reused).
        assertThat(nf.dump("ctnetlink dump", ctDump(nf), m -> { }).messages()).isEqualTo(result.messages());
    }

    /** The dump path allocates nothing per message: a guard against a regression of the hot loop. */
    @Test
    void dumpAllocatesNothingPerMessage() throws IOException {
        KernelFixtures.trackConnections(ns);
        int flows = 3000;
        ns.call(() -> KernelFixtures.sendUdp(46000, flows));
        NetlinkSocket nf = open(SocketConstants.NETLINK_NETFILTER, NetlinkSocket.Options.defaults());
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long[] count = new long[1];
        MessageVisitor counter = m -> count[0]++;
        long allocated = Long.MAX_VALUE;
        for (int round = 0; round < 5; round++) { // the first rounds warm up; keep the best
            count[0] = 0;
            MessageBuilder request = ctDump(nf);
            long before = threads.getCurrentThreadAllocatedBytes();
            nf.dump("ctnetlink dump", request, counter);
            allocated = Math.min(allocated, threads.getCurrentThreadAllocatedBytes() - before);
            assertThat(count[0]).isEqualTo(flows);
        }
        assertThat(allocated).as("bytes allocated by a dump of %d messages", flows).isLessThan(flows * 4L);
    }

    @Test
    void malformedRequestIsAnsweredWithTheKernelsExtendedAck() throws IOException {
        NetlinkSocket nf = open(SocketConstants.NETLINK_NETFILTER, NetlinkSocket.Options.defaults());
        MessageBuilder request = KernelFixtures.ctGetWithShortMark(nf.request(0, 0));
        assertThatThrownBy(() -> nf.execute("ctnetlink get", request, null))
                .isInstanceOfSatisfying(NetlinkException.class, e -> {
                    assertThat(e.errno()).isIn(Errno.ERANGE, Errno.EINVAL);
                    assertThat(e.extAckMessage()).isEqualTo("Attribute failed policy validation");
                    assertThat(e.extAckOffset()).isEqualTo(Netlink.NLMSG_HDRLEN + Nfgenmsg.SIZE);
                    assertThat(e.sequence()).isEqualTo(request.sequence());
                });
        // Without extended ACKs the kernel sends only the errno.
        NetlinkSocket plain = open(SocketConstants.NETLINK_NETFILTER, NetlinkSocket.Options.defaults().withExtendedAck(false));
        assertThatThrownBy(() -> plain.execute("ctnetlink get", KernelFixtures.ctGetWithShortMark(plain.request(0, 0)), null))
                .isInstanceOfSatisfying(NetlinkException.class, e -> {
                    assertThat(e.errno()).isIn(Errno.ERANGE, Errno.EINVAL);
                    assertThat(e.extAckMessage()).isEmpty();
                });
    }

    @Test
    void joinedMulticastGroupReceivesTheNewFlowEvent() throws IOException {
        KernelFixtures.trackConnections(ns);
        NetlinkSocket events = open(SocketConstants.NETLINK_NETFILTER, NetlinkSocket.Options.defaults());
        events.join(Nfnetlink.NFNLGRP_CONNTRACK_NEW);
        ns.call(() -> KernelFixtures.sendUdp(44000, 1));
        AttributeCursor cursor = new AttributeCursor();
        Set<Integer> ports = new HashSet<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!ports.contains(44000) && System.nanoTime() < deadline) {
            events.receive(m -> {
                assertThat(Nfnetlink.subsystem(m.type())).isEqualTo(Nfnetlink.NFNL_SUBSYS_CTNETLINK);
                assertThat(Nfnetlink.message(m.type())).isEqualTo(Nfnetlink.IPCTNL_MSG_CT_NEW);
                ports.add(udpDestinationPort(m, cursor));
            }, 1000);
        }
        assertThat(ports).contains(44000);
        // After leaving, a new flow brings no event.
        events.leave(Nfnetlink.NFNLGRP_CONNTRACK_NEW);
        ns.call(() -> KernelFixtures.sendUdp(44100, 1));
        assertThat(events.receive(m -> { }, 300)).isZero();
    }

    @Test
    void overflowingATinyReceiveBufferIsReportedAndTheSocketStaysUsable() throws IOException {
        KernelFixtures.trackConnections(ns);
        NetlinkSocket events = open(SocketConstants.NETLINK_NETFILTER, NetlinkSocket.Options.defaults());
        events.receiveBufferSize(1024); // the kernel raises it to its minimum (a few KiB)
        events.join(Nfnetlink.NFNLGRP_CONNTRACK_NEW);
        events.join(Nfnetlink.NFNLGRP_CONNTRACK_DESTROY);
        int flows = 2000;
        ns.call(() -> KernelFixtures.sendUdp(45000, flows));
        boolean lost = false;
        int received = 0;
        for (int i = 0; i < flows && !lost; i++) { // bounded: at most one read per flow
            try {
                int n = events.receive(m -> { }, 1000);
                if (n == 0) {
                    break;
                }
                received += n;
            } catch (MessagesLostException e) {
                assertThat(e.errno()).isEqualTo(Errno.ENOBUFS);
                lost = true;
            }
        }
        assertThat(lost).as("ENOBUFS after %d events", received).isTrue();
        assertThat(received).isLessThan(flows);
        assertThat(events.lostCount()).isEqualTo(1);
        // Still usable: what is queued can be read, and a dump on the same socket works.
        for (int i = 0; i < flows && events.receive(m -> { }, 0) > 0; i++) {
            // drain the queued events
        }
        events.leave(Nfnetlink.NFNLGRP_CONNTRACK_NEW);
        events.leave(Nfnetlink.NFNLGRP_CONNTRACK_DESTROY);
        events.receiveBufferSize(4 << 20);
        Set<Integer> ports = new HashSet<>();
        AttributeCursor cursor = new AttributeCursor();
        events.dump("ctnetlink dump", ctDump(events), m -> ports.add(udpDestinationPort(m, cursor)));
        assertThat(ports).contains(45000, 45000 + flows - 1);
        assertThat(ports.stream().filter(p -> p >= 45000 && p < 45000 + flows)).hasSize(flows);
    }
}
