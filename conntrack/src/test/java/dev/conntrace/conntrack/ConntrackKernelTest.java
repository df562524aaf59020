package dev.conntrace.conntrack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conntrace.conntrack.text.ConntrackText;
import dev.conntrace.netlink.NetlinkException;
import dev.conntrace.sys.Errno;
import dev.conntrace.sys.IpAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The client against the real kernel, each test in a fresh network namespace. */
@Tag("kernel")
class ConntrackKernelTest {

    private static final IpAddress A = IpAddress.parse("10.1.0.1");
    private static final IpAddress B = IpAddress.parse("10.1.0.2");
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

    private static Flow tcp(IpAddress src, int sport, IpAddress dst, int dport) {
        return Flow.builder().original(Tuple.tcp(src, sport, dst, dport)).timeout(300).tcpState(TcpState.ESTABLISHED)
                .status(Status.of(Status.Bit.SEEN_REPLY, Status.Bit.ASSURED)).mark(5).build();
    }

    private List<Flow> dumpAll(FlowFilter filter) throws Exception {
        List<Flow> out = new ArrayList<>();
        k.ct.dump(filter, out::add);
        return out;
    }

    @Test
    void createGetUpdateDeleteRoundTrip() throws Exception {
        Flow f = tcp(A, 1000, B, 80);
        k.ct.create(f);
        Flow got = k.ct.get(f.original()).orElseThrow();
        assertThat(got.original()).isEqualTo(f.original());
        assertThat(got.reply()).isEqualTo(Tuple.tcp(B, 80, A, 1000));
        assertThat(got.mark()).isEqualTo(5);
        assertThat(got.tcpState()).isEqualTo(TcpState.ESTABLISHED);
        assertThat(got.status().isAssured()).isTrue();
        assertThat(got.status().isConfirmed()).isTrue();
        assertThat(got.timeout()).isBetween(295, 300);
        assertThat(got.hasId()).isTrue();

        assertThatThrownBy(() -> k.ct.create(f)).isInstanceOfSatisfying(NetlinkException.class,
                e -> assertThat(e.errno()).isEqualTo(Errno.EEXIST));

        k.ct.update(Flow.builder().original(f.original()).mark(77).timeout(1000).build());
        Flow updated = k.ct.get(f.original()).orElseThrow();
        assertThat(updated.mark()).isEqualTo(77);
        assertThat(updated.timeout()).isGreaterThan(900);
        assertThat(updated.id()).isEqualTo(got.id());

        assertThat(k.ct.delete(f.original(), 0, got.id() + 1)).as("wrong id").isFalse();
        assertThat(k.ct.get(f.original())).isPresent();
        assertThat(k.ct.delete(updated)).isTrue();
        assertThat(k.ct.get(f.original())).isEmpty();
        assertThat(k.ct.delete(f.original(), 0, null)).isFalse();
        assertThatThrownBy(() -> k.ct.update(f)).isInstanceOfSatisfying(NetlinkException.class,
                e -> assertThat(e.errno()).isEqualTo(Errno.ENOENT));
    }

    @Test
    void createRequiresATimeout() {
        Flow noTimeout = Flow.builder().original(Tuple.udp(A, 1, B, 2)).build();
        assertThatThrownBy(() -> k.ct.create(noTimeout)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("timeout");
    }

    @Test
    void udpIcmpIpv6AndZonesRoundTrip() throws Exception {
        IpAddress s6 = IpAddress.parse("2001:db8::1");
        IpAddress d6 = IpAddress.parse("2001:db8::2");
        k.ct.create(Flow.builder().original(Tuple.udp(A, 53000, B, 53)).timeout(60).zone(7).build());
        k.ct.create(Flow.builder().original(Tuple.icmp(A, B, 33, 8, 0)).timeout(30).build());
        k.ct.create(Flow.builder().original(Tuple.icmp(s6, d6, 44, 128, 0)).timeout(30).build());
        k.ct.create(Flow.builder().original(Tuple.tcp(s6, 5, d6, 6)).timeout(30).tcpState(TcpState.SYN_SENT).build());

        assertThat(k.ct.get(Tuple.udp(A, 53000, B, 53))).as("zone 0").isEmpty();
        Flow zoned = k.ct.get(Tuple.udp(A, 53000, B, 53), 7).orElseThrow();
        assertThat(zoned.zone()).isEqualTo(7);
        Flow icmp = k.ct.get(Tuple.icmp(A, B, 33, 8, 0)).orElseThrow();
        assertThat(icmp.reply()).isEqualTo(Tuple.icmp(B, A, 33, 0, 0));
        Flow icmp6 = k.ct.get(Tuple.icmp(s6, d6, 44, 128, 0)).orElseThrow();
        assertThat(icmp6.reply().icmpType()).isEqualTo(129);

        assertThat(dumpAll(FlowFilter.ALL)).hasSize(4);
        assertThat(dumpAll(FlowFilter.of(AddressFamily.IPV6))).hasSize(2).allMatch(Flow::isIpv6);
        assertThat(dumpAll(FlowFilter.of(AddressFamily.IPV4))).hasSize(2).noneMatch(Flow::isIpv6);
        assertThat(dumpAll(FlowFilter.ALL.withZone(7))).singleElement().satisfies(f -> {
            assertThat(f.original()).isEqualTo(zoned.original());
            assertThat(f.id()).isEqualTo(zoned.id());
        });
        assertThat(dumpAll(FlowFilter.ALL.withZone(0))).hasSize(3).noneMatch(Flow::hasZone);
        List<Flow> icmpv6 = new ArrayList<>();
        DumpSummary byProto = k.ct.dump(FlowFilter.ALL.withProtocol(L4Protocol.ICMPV6), icmpv6::add);
        assertThat(icmpv6).singleElement().extracting(Flow::original).isEqualTo(Tuple.icmp(s6, d6, 44, 128, 0));
        assertThat(byProto.kernelFiltered()).as("CTA_FILTER needs a family").isFalse();
        assertThat(byProto.filtered()).isEqualTo(3);
        List<Flow> tcp6 = new ArrayList<>();
        DumpSummary tcpV6 = k.ct.dump(FlowFilter.of(AddressFamily.IPV6).withProtocol(L4Protocol.TCP), tcp6::add);
        assertThat(tcp6).singleElement().extracting(Flow::original).isEqualTo(Tuple.tcp(s6, 5, d6, 6));
        assertThat(tcpV6.kernelFiltered()).isTrue();
        assertThat(tcpV6.filtered()).as("the kernel filtered by protocol").isZero();
        for (TupleMatch m : new TupleMatch[] {
            TupleMatch.ANY.withSource(AddressMatch.of(s6)).withDestinationPort(6),
            TupleMatch.ANY.withDestination(AddressMatch.of(d6)).withSourcePort(5),
            TupleMatch.ANY.withSourcePort(5).withDestinationPort(6),
        }) {
            List<Flow> exact = new ArrayList<>();
            DumpSummary byTuple = k.ct.dump(FlowFilter.of(AddressFamily.IPV6).withProtocol(L4Protocol.TCP).withOriginal(m),
                    exact::add);
            assertThat(exact).as(m.toString()).singleElement().extracting(Flow::original).isEqualTo(Tuple.tcp(s6, 5, d6, 6));
            assertThat(byTuple.kernelFiltered()).isTrue();
            assertThat(byTuple.filtered()).as("the kernel filtered by port").isZero();
        }
        List<Flow> none = new ArrayList<>();
        k.ct.dump(FlowFilter.of(AddressFamily.IPV6).withProtocol(L4Protocol.TCP)
                .withOriginal(TupleMatch.ANY.withSource(AddressMatch.of(s6)).withSourcePort(6)), none::add);
        assertThat(none).isEmpty();

        k.ct.create(Flow.builder().original(Tuple.udp(A, 7, B, 7)).timeout(60).mark(0x21).build());
        k.ct.create(Flow.builder().original(Tuple.udp(A, 8, B, 8)).timeout(60).mark(0x12).build());
        k.ct.flush(AddressFamily.IPV4, 0x1, 0xf);
        assertThat(dumpAll(FlowFilter.ALL)).hasSize(5).noneMatch(f -> f.mark() == 0x21);
        k.ct.flush(AddressFamily.IPV6, 0x12, -1);
        assertThat(dumpAll(FlowFilter.ALL)).as("the family holds").hasSize(5);
        k.ct.flush(AddressFamily.IPV4);
        assertThat(dumpAll(FlowFilter.ALL)).hasSize(2).allMatch(Flow::isIpv6);
        k.ct.flush(AddressFamily.ANY);
        assertThat(dumpAll(FlowFilter.ALL)).isEmpty();
    }

    @Test
    void kernelFiltersOnMarkAndStatus() throws Exception {
        for (int i = 0; i < 20; i++) {
            Flow.Builder b = Flow.builder().original(Tuple.udp(A, 2000 + i, B, 53)).timeout(60).mark(i % 4);
            if (i % 5 == 0) {
                b.status(Status.of(Status.Bit.SEEN_REPLY, Status.Bit.ASSURED));
            }
            k.ct.create(b.build());
        }
        List<Flow> marked = new ArrayList<>();
        DumpSummary s = k.ct.dump(FlowFilter.ALL.withMark(1, 0x3), marked::add);
        assertThat(s.kernelFiltered()).isTrue();
        assertThat(s.filtered()).as("the kernel did the filtering").isZero();
        assertThat(marked).hasSize(5).allMatch(f -> f.mark() == 1);

        List<Flow> assured = new ArrayList<>();
        DumpSummary st = k.ct.dump(FlowFilter.ALL.withStatus(Status.Bit.ASSURED.mask(), Status.Bit.ASSURED.mask()),
                assured::add);
        assertThat(st.kernelFiltered()).isTrue();
        assertThat(assured).hasSize(4).allMatch(f -> f.status().isAssured());

        for (TupleMatch m : new TupleMatch[] {
            TupleMatch.ANY.withSource(AddressMatch.of(A)).withSourcePort(2003),
            TupleMatch.ANY.withDestination(AddressMatch.of(B)).withSourcePort(2003).withDestinationPort(53),
        }) {
            List<Flow> exact = new ArrayList<>();
            DumpSummary byTuple = k.ct.dump(FlowFilter.of(AddressFamily.IPV4).withProtocol(L4Protocol.UDP).withOriginal(m),
                    exact::add);
            assertThat(exact).as(m.toString()).singleElement().extracting(f -> f.original().sourcePort()).isEqualTo(2003);
            assertThat(byTuple.kernelFiltered()).isTrue();
            assertThat(byTuple.filtered()).as("the kernel filtered by address and port").isZero();
        }
        List<Flow> elsewhere = new ArrayList<>();
        k.ct.dump(FlowFilter.of(AddressFamily.IPV4).withProtocol(L4Protocol.UDP)
                .withOriginal(TupleMatch.ANY.withSource(AddressMatch.of(B))), elsewhere::add);
        assertThat(elsewhere).isEmpty();
    }

    @Test
    void countAndCpuStatsMatchConntrack() throws Exception {
        for (int i = 0; i < 7; i++) {
            k.ct.create(tcp(A, 3000 + i, B, 443));
        }
        TableStats stats = k.ct.count();
        assertThat(stats.entries()).isEqualTo(7);
        assertThat(stats.entries()).isEqualTo(Long.parseLong(k.conntrack("-C").strip()));
        assertThat(stats.maxEntries()).isPositive();
        List<CpuStats> cpus = k.ct.cpuStats();
        assertThat(cpus).isNotEmpty();
        assertThat(cpus.size()).isEqualTo(k.conntrack("-S").strip().split("\n").length);
        assertThat(cpus.stream().mapToLong(CpuStats::insert).sum()).isGreaterThanOrEqualTo(0);
    }

    @Test
    void dumpAndZeroCountersResetsAccounting() throws Exception {
        k.ns.run(() -> {
            try (DatagramChannel ch = DatagramChannel.open()) {
                for (int i = 0; i < 3; i++) {
                    ch.send(ByteBuffer.wrap(new byte[100]), new InetSocketAddress("127.0.0.2", 9));
                }
            }
        });
        List<Flow> first = new ArrayList<>();
        k.ct.dumpAndZeroCounters(FlowFilter.ALL.withProtocol(L4Protocol.UDP), first::add);
        assertThat(first).singleElement().satisfies(f -> {
            assertThat(f.countersOriginal().packets()).isEqualTo(3);
            assertThat(f.countersOriginal().bytes()).isEqualTo(3 * 128);
        });
        List<Flow> second = new ArrayList<>();
        k.ct.dump(FlowFilter.ALL.withProtocol(L4Protocol.UDP), second::add);
        assertThat(second).singleElement().satisfies(f -> assertThat(f.countersOriginal().packets()).isZero());
    }

    @Test
    void expectationsOfTheFtpHelperDumpLikeConntrackPrintsThem() throws Exception {
        k.ns.exec("sh", "-c", "nft add ct helper inet t ftp-h '{ type \"ftp\" protocol tcp; }'"
                + " && nft insert rule inet t out tcp dport 21 ct helper set \"ftp-h\"");
        ConntrackEvents expectEvents = k.ns.call(() -> ConntrackEvents.open(java.util.Set.of(),
                java.util.EnumSet.of(EventType.NEW, EventType.DESTROY), dev.conntrace.netlink.NetlinkSocket.Options.defaults()));
        byte[] greeting = "220 hello\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] pasv = "PASV\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] reply = "227 Entering Passive Mode (127,0,0,1,195,80).\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        java.net.Socket[] open = k.ns.call(() -> {
            try (java.net.ServerSocket server = new java.net.ServerSocket()) {
                server.bind(new InetSocketAddress("127.0.0.1", 21));
                server.setSoTimeout(5000);
                java.net.Socket client = new java.net.Socket("127.0.0.1", 21);
                java.net.Socket accepted = server.accept();
                client.setSoTimeout(5000);
                accepted.setSoTimeout(5000);
                // The helper parses a reply line only after it saw the previous one end (the greeting).
                accepted.getOutputStream().write(greeting);
                client.getInputStream().readNBytes(greeting.length);
                client.getOutputStream().write(pasv);
                accepted.getInputStream().readNBytes(pasv.length);
                accepted.getOutputStream().write(reply);
                client.getInputStream().readNBytes(reply.length);
                return new java.net.Socket[] {client, accepted};
            }
        });
        try {
            List<Expect> expects = new ArrayList<>();
            k.ct.dumpExpectations(AddressFamily.ANY, expects::add);
            assertThat(expects).singleElement().satisfies(e -> {
                assertThat(e.helper()).isEqualTo("ftp");
                assertThat(e.tuple().destinationPort()).isEqualTo(50000);
                assertThat(e.master().destinationPort()).isEqualTo(21);
            });
            String theirs = k.conntrack("-L", "expect").strip();
            String ours = dev.conntrace.conntrack.text.ExpectText.format(expects.getFirst());
            // Compare without the leading timeout.
            assertThat(ours.substring(ours.indexOf(' '))).isEqualTo(theirs.substring(theirs.indexOf(' ')));
            assertThat(dumpAll(FlowFilter.ALL.withProtocol(L4Protocol.TCP))).singleElement()
                    .extracting(Flow::helper).isEqualTo("ftp");
            List<ConntrackEvent> events = new ArrayList<>();
            for (int i = 0; i < 20 && events.isEmpty(); i++) {
                expectEvents.receive(250, events::add);
            }
            assertThat(events).singleElement().isInstanceOfSatisfying(ExpectEvent.class, e -> {
                assertThat(e.type()).isEqualTo(EventType.NEW);
                // The id in an expectation event differs from the dump's on this kernel (6.18), and the timeout ticks.
                assertThat(e.expect()).usingRecursiveComparison().ignoringFields("id", "timeout")
                        .isEqualTo(expects.getFirst());
            });
        } finally {
            expectEvents.close();
            open[0].close();
            open[1].close();
        }
    }

    @Test
    void expectationsAreCreatedForAFlowWithAHelperGotAndDeleted() throws Exception {
        k.ns.exec("sh", "-c", "ip link set lo up && nft add ct helper inet t ftp-h '{ type \"ftp\" protocol tcp; }'"
                + " && nft insert rule inet t out tcp dport 21 ct helper set \"ftp-h\"");
        IpAddress lo = IpAddress.parse("127.0.0.1");
        IpAddress all = IpAddress.parse("255.255.255.255");
        // Listen first: the kernel reports a flow's (and its expectations') events only when someone
        // listened as the flow was created.
        ConntrackEvents events = k.ns.call(() -> ConntrackEvents.open(java.util.Set.of(),
                java.util.EnumSet.of(EventType.NEW, EventType.DESTROY), dev.conntrace.netlink.NetlinkSocket.Options.defaults()));
        java.net.Socket[] open = k.ns.call(() -> {
            try (java.net.ServerSocket server = new java.net.ServerSocket()) {
                server.bind(new InetSocketAddress("127.0.0.1", 21));
                java.net.Socket client = new java.net.Socket("127.0.0.1", 21);
                return new java.net.Socket[] {client, server.accept()};
            }
        });
        try (events) {
            Tuple master = Tuple.tcp(lo, open[0].getLocalPort(), lo, 21);
            Tuple expected = Tuple.tcp(lo, 0, lo, 40000);
            Expect e = Expect.of(master, expected, Tuple.tcp(all, 0, all, 0xFFFF)).withTimeout(100);
            k.ct.createExpectation(e);

            Expect got = k.ct.getExpectation(expected, 0).orElseThrow();
            assertThat(got.master()).isEqualTo(master);
            assertThat(got.tuple()).isEqualTo(expected);
            assertThat(got.mask().destinationPort()).isEqualTo(0xFFFF);
            assertThat(got.mask().sourcePort()).isZero();
            assertThat(got.helper()).isEqualTo("ftp");
            assertThat(got.timeout()).isPositive();
            // The mask lets any source port through: a connection from port 5555 is expected too.
            assertThat(k.ct.getExpectation(Tuple.tcp(lo, 5555, lo, 40000), 0)).isPresent();
            assertThat(k.ct.getExpectation(Tuple.tcp(lo, 0, lo, 40001), 0)).isEmpty();
            List<Expect> listed = new ArrayList<>();
            k.ct.dumpExpectations(AddressFamily.IPV4, listed::add);
            assertThat(listed).singleElement().satisfies(x -> assertThat(x.id()).isEqualTo(got.id()));
            String theirs = k.conntrack("-L", "expect").strip();
            assertThat(theirs).contains("dport=40000", "master-src=127.0.0.1", "sport=" + open[0].getLocalPort());

            assertThatThrownBy(() -> k.ct.createExpectation(e)).isInstanceOfSatisfying(NetlinkException.class,
                    x -> assertThat(x.errno()).isEqualTo(Errno.EEXIST));
            Tuple noSuchMaster = Tuple.tcp(lo, 1, lo, 21);
            assertThatThrownBy(() -> k.ct.createExpectation(Expect.of(noSuchMaster, Tuple.tcp(lo, 0, lo, 40002),
                    Tuple.tcp(all, 0, all, 0xFFFF)))).isInstanceOfSatisfying(NetlinkException.class,
                    x -> assertThat(x.errno()).isEqualTo(Errno.ENOENT));
            Flow plain = tcp(A, 5000, B, 21);
            k.ct.create(plain);
            assertThatThrownBy(() -> k.ct.createExpectation(Expect.of(plain.original(), Tuple.tcp(A, 0, B, 40003),
                    Tuple.tcp(all, 0, all, 0xFFFF)))).as("a master without a helper")
                    .isInstanceOfSatisfying(NetlinkException.class, x -> assertThat(x.errno()).isEqualTo(Errno.EOPNOTSUPP));
            assertThatThrownBy(() -> k.ct.createExpectation(Expect.of(master, Tuple.tcp(IpAddress.parse("::1"), 0,
                    IpAddress.parse("::1"), 40004), Tuple.tcp(all, 0, all, 0xFFFF)))).isInstanceOf(IllegalArgumentException.class);

            assertThat(k.ct.deleteExpectation(expected, 0)).isTrue();
            assertThat(k.ct.getExpectation(expected, 0)).isEmpty();
            assertThat(k.ct.deleteExpectation(expected, 0)).isFalse();
            List<ConntrackEvent> seen = new ArrayList<>();
            for (int i = 0; i < 20 && seen.size() < 2; i++) {
                events.receive(250, seen::add);
            }
            assertThat(seen).allSatisfy(x -> assertThat(x).isInstanceOf(ExpectEvent.class))
                    .extracting(x -> ((ExpectEvent) x).type()).containsExactly(EventType.NEW, EventType.DESTROY);
            assertThat(seen).allSatisfy(x -> assertThat(((ExpectEvent) x).expect().tuple()).isEqualTo(expected));
            assertThat(seen).allSatisfy(x -> assertThat(((ExpectEvent) x).portId()).isNotZero());

            IpAddress lo6 = IpAddress.parse("::1");
            IpAddress all6 = IpAddress.ipv6(-1L, -1L);
            java.net.Socket[] open6 = k.ns.call(() -> {
                try (java.net.ServerSocket server = new java.net.ServerSocket()) {
                    server.bind(new InetSocketAddress("::1", 21));
                    java.net.Socket client = new java.net.Socket("::1", 21);
                    return new java.net.Socket[] {client, server.accept()};
                }
            });
            try {
                Tuple master6 = Tuple.tcp(lo6, open6[0].getLocalPort(), lo6, 21);
                Tuple expected6 = Tuple.tcp(lo6, 0, lo6, 40005);
                k.ct.createExpectation(Expect.of(master6, expected6, Tuple.tcp(all6, 0, all6, 0xFFFF)));
                Expect got6 = k.ct.getExpectation(Tuple.tcp(lo6, 1234, lo6, 40005), 0).orElseThrow();
                assertThat(got6.master()).isEqualTo(master6);
                assertThat(got6.tuple()).isEqualTo(expected6);
                List<Expect> v6 = new ArrayList<>();
                k.ct.dumpExpectations(AddressFamily.IPV6, v6::add);
                assertThat(v6).singleElement().extracting(Expect::tuple).isEqualTo(expected6);
                assertThat(k.ct.deleteExpectation(expected6, 0)).isTrue();
            } finally {
                open6[0].close();
                open6[1].close();
            }
        } finally {
            open[0].close();
            open[1].close();
        }
    }

    @Test
    void ipv6AddressFiltersSelectExactlyTheMatchingFlows() throws Exception {
        IpAddress s1 = IpAddress.parse("2001:db8::1");
        IpAddress s2 = IpAddress.parse("2001:db8::2");
        IpAddress d1 = IpAddress.parse("2001:db8:1::1");
        IpAddress d2 = IpAddress.parse("2001:db8:1::2");
        k.ct.create(tcp(s1, 5, d1, 6));
        k.ct.create(tcp(s2, 5, d1, 6));
        k.ct.create(tcp(s1, 7, d2, 6));
        k.ct.create(tcp(A, 5, B, 6));
        record Case(TupleMatch match, int flows) {}
        for (Case c : List.of(
                new Case(TupleMatch.ANY.withSource(AddressMatch.of(s1)), 2),
                new Case(TupleMatch.ANY.withSource(AddressMatch.of(s2)), 1),
                new Case(TupleMatch.ANY.withDestination(AddressMatch.of(d2)), 1),
                new Case(TupleMatch.ANY.withSource(AddressMatch.of(s1)).withDestination(AddressMatch.of(d1)), 1),
                new Case(TupleMatch.ANY.withSource(AddressMatch.of(s1)).withDestinationPort(6), 2),
                new Case(TupleMatch.ANY.withSource(AddressMatch.of(s2)).withSourcePort(7), 0),
                new Case(TupleMatch.ANY.withDestination(AddressMatch.parse("2001:db8:1::/64")), 3))) {
            for (FlowFilter f : new FlowFilter[] {
                FlowFilter.of(AddressFamily.IPV6).withProtocol(L4Protocol.TCP).withOriginal(c.match()),
                FlowFilter.ALL.withOriginal(c.match()),
            }) {
                List<Flow> got = new ArrayList<>();
                k.ct.dump(f, got::add);
                assertThat(got).as(f.toString()).hasSize(c.flows()).allSatisfy(x -> assertThat(c.match().test(x.original())).isTrue());
            }
        }
    }

    @Test
    void directionZonesAreCreatedFoundAndFiltered() throws Exception {
        Tuple t = Tuple.udp(A, 100, B, 53);
        k.ct.create(Flow.builder().original(t.withZone(5)).timeout(60).build());
        k.ct.create(Flow.builder().original(Tuple.udp(A, 101, B, 53)).reply(Tuple.udp(B, 53, A, 101).withZone(6))
                .timeout(60).build());
        k.ct.create(Flow.builder().original(Tuple.udp(A, 102, B, 53)).timeout(60).zone(5).build());
        k.ct.create(Flow.builder().original(Tuple.udp(A, 103, B, 53)).timeout(60).build());

        assertThat(k.ct.get(t)).as("zone 0").isEmpty();
        Flow zoned = k.ct.get(t.withZone(5)).orElseThrow();
        assertThat(zoned.original().zone()).isEqualTo(5);
        assertThat(zoned.reply().hasZone()).isFalse();
        assertThat(zoned.hasZone()).isFalse();
        assertThat(k.conntrack("-L", "--orig-zone", "5")).contains("sport=100 ", "zone-orig=5");

        List<Flow> orig5 = new ArrayList<>();
        k.ct.dump(FlowFilter.ALL.withOriginal(TupleMatch.ANY.withZone(5)), orig5::add);
        assertThat(orig5).singleElement().extracting(f -> f.original().sourcePort()).isEqualTo(100);
        List<Flow> reply6 = new ArrayList<>();
        k.ct.dump(FlowFilter.ALL.withReply(TupleMatch.ANY.withZone(6)), reply6::add);
        assertThat(reply6).singleElement().extracting(f -> f.original().sourcePort()).isEqualTo(101);
        List<Flow> orig0 = new ArrayList<>();
        k.ct.dump(FlowFilter.ALL.withOriginal(TupleMatch.ANY.withZone(0)), orig0::add);
        assertThat(orig0).extracting(f -> f.original().sourcePort()).containsExactlyInAnyOrder(101, 102, 103);

        assertThat(k.ct.delete(t, 0, null)).isFalse();
        assertThat(k.ct.delete(t.withZone(5), 0, null)).isTrue();
        assertThat(k.ct.count().entries()).isEqualTo(3);
    }

    @Test
    void labelsAreSetAddedRemovedAndFiltered() throws Exception {
        // Connection labels exist only while some rule uses them.
        k.ns.exec("nft", "add", "rule", "inet", "t", "out", "udp", "dport", "4343", "ct", "label", "set", "3");
        Tuple t = Tuple.udp(A, 200, B, 53);
        k.ct.create(Flow.builder().original(t).timeout(60).labels(LabelSet.of(1, 70).toBitmap()).build());
        k.ct.create(Flow.builder().original(Tuple.udp(A, 201, B, 53)).timeout(60).build());
        Flow created = k.ct.get(t).orElseThrow();
        assertThat(created.hasLabel(1)).isTrue();
        assertThat(created.hasLabel(70)).isTrue();
        assertThat(created.hasLabel(5)).isFalse();

        LabelSet add = LabelSet.of(5);
        k.ct.update(Flow.builder().original(t).labels(add.toBitmap()).labelsMask(add.toBitmap()).build());
        Flow added = k.ct.get(t).orElseThrow();
        assertThat(added.hasLabel(1) && added.hasLabel(5) && added.hasLabel(70)).as(added.toString()).isTrue();
        k.ct.update(Flow.builder().original(t).labels(LabelSet.NONE.toBitmap()).labelsMask(LabelSet.of(1).toBitmap()).build());
        Flow removed = k.ct.get(t).orElseThrow();
        assertThat(removed.hasLabel(1)).isFalse();
        assertThat(removed.hasLabel(5) && removed.hasLabel(70)).isTrue();

        List<Flow> both = new ArrayList<>();
        k.ct.dump(FlowFilter.ALL.withLabels(LabelSet.of(5, 70)), both::add);
        assertThat(both).singleElement().extracting(Flow::original).isEqualTo(t);
        List<Flow> none = new ArrayList<>();
        k.ct.dump(FlowFilter.ALL.withLabels(LabelSet.of(1, 5)), none::add);
        assertThat(none).isEmpty();
    }

    @Test
    void eventsReportNewAndDestroyedFlows() throws Exception {
        try (ConntrackEvents events = k.ns.call(() -> ConntrackEvents.open(java.util.EnumSet.of(EventType.NEW,
                EventType.DESTROY)))) {
            Flow f = tcp(A, 4000, B, 80);
            k.ct.create(f);
            k.ct.delete(f.original(), 0, null);
            List<FlowEvent> got = new ArrayList<>();
            for (int i = 0; i < 20 && got.size() < 2; i++) {
                events.poll(250, got::add);
            }
            assertThat(got).extracting(FlowEvent::type).containsExactly(EventType.NEW, EventType.DESTROY);
            assertThat(got).allSatisfy(e -> assertThat(e.flow().original()).isEqualTo(f.original()));
            assertThat(ConntrackText.formatEvent(EventType.NEW, got.getFirst().flow(), ConntrackText.Options.DEFAULT, 0))
                    .startsWith("    [NEW] tcp      6 ");
            assertThat(got).allMatch(FlowEvent::fromUserspace);
            StringBuilder line = new StringBuilder();
            ConntrackText.appendEvent(line, got.getLast(), ConntrackText.Options.DEFAULT, 0);
            assertThat(line.toString()).startsWith("[DESTROY] tcp      6 ").contains(" [USERSPACE] portid=");
            assertThat(events.lost()).isZero();
            assertThat(events.counters().malformed()).isZero();
        }
    }

    private static final Pattern DELTA = Pattern.compile(" delta-time=\\d+");

    /** The line without its timeout column (index 4 in extended output) and delta-time. */
    private static String comparable(String line) {
        String[] t = DELTA.matcher(line.strip()).replaceAll("").split(" +");
        List<String> tokens = new ArrayList<>(Arrays.asList(t));
        tokens.remove(4);
        return String.join(" ", tokens);
    }

    @Test
    void thousandsOfFlowsDumpLikeConntrackPrintsThem() throws Exception {
        int n = 3000;
        k.ns.run(() -> {
            try (DatagramChannel ch = DatagramChannel.open()) {
                for (int i = 0; i < n; i++) {
                    String dst = "127.1." + (i / 250) + "." + (1 + i % 250);
                    ch.send(ByteBuffer.wrap(new byte[] {1}), new InetSocketAddress(dst, 9));
                }
            }
        });
        for (int i = 0; i < 50; i++) {
            k.ct.create(tcp(A, 10000 + i, B, 80));
        }
        List<String> ours = new ArrayList<>();
        long now = System.currentTimeMillis() / 1000;
        DumpSummary s = k.ct.dump(f -> ours.add(comparable(ConntrackText.format(f, ConntrackText.Options.EXTENDED, now))));
        assertThat(s.delivered()).isEqualTo(n + 50);
        assertThat(s.malformed()).isZero();
        assertThat(k.ct.count().entries()).isEqualTo(n + 50);
        String[] theirs = k.conntrack("-L", "-o", "extended").strip().split("\n");
        List<String> reference = Arrays.stream(theirs).map(ConntrackKernelTest::comparable).sorted().toList();
        assertThat(ours.stream().sorted().toList()).isEqualTo(reference);
        assertThat(k.ct.counters().malformed()).isZero();
    }
}
