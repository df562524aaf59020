package dev.conntrace.conntrack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conntrace.conntrack.wire.Ctnetlink;
import dev.conntrace.netlink.Netlink;
import dev.conntrace.netlink.NetlinkSocket;
import dev.conntrace.netlink.fake.FakeKernel;
import dev.conntrace.netlink.fake.FakeKernel.Datagram;
import dev.conntrace.sys.Errno;
import dev.conntrace.sys.IpAddress;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The client against a fake kernel: request bytes, the filter fallback, malformed replies. */
class ConntrackFakeKernelTest {

    private static final int PORT = FakeKernel.DEFAULT_PORT_ID;

    private static List<String> resource(String name) {
        try (InputStream in = ConntrackFakeKernelTest.class.getResourceAsStream("/golden/" + name)) {
            return Arrays.asList(new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<byte[]> dumpMessages() {
        return resource("dump-mixed.txt").stream().filter(l -> l.startsWith("msg "))
                .map(l -> HexFormat.of().parseHex(l.substring(4))).toList();
    }

    private static Conntrack client(FakeKernel kernel) throws Exception {
        return Conntrack.over(NetlinkSocket.over(kernel, NetlinkSocket.Options.defaults()));
    }

    /** Replies to a dump request with {@code messages} (re-addressed to it) and NLMSG_DONE. */
    private static List<Datagram> dumpReply(byte[] request, List<byte[]> messages) {
        List<Datagram> out = new ArrayList<>();
        for (byte[] m : messages) {
            out.add(Datagram.of(FakeKernel.message(FakeKernel.type(m), Netlink.NLM_F_MULTI, FakeKernel.sequence(request),
                    PORT, Arrays.copyOfRange(m, 16, m.length))));
        }
        out.add(Datagram.of(FakeKernel.done(request, PORT)));
        return out;
    }

    /** Top-level attribute types of a request (after nlmsghdr and nfgenmsg). */
    private static List<Integer> topTypes(byte[] request) {
        List<Integer> types = new ArrayList<>();
        for (int at = 20; at + 4 <= request.length; ) {
            int len = (request[at] & 0xFF) | (request[at + 1] & 0xFF) << 8;
            types.add(((request[at + 2] & 0xFF) | (request[at + 3] & 0xFF) << 8) & Netlink.NLA_TYPE_MASK);
            at += (len + 3) & ~3;
        }
        return types;
    }

    @Test
    void rejectedKernelFilterFallsBackToFilteringHere() throws Exception {
        List<byte[]> all = dumpMessages();
        FakeKernel kernel = new FakeKernel(req -> topTypes(req).contains(Ctnetlink.CTA_MARK)
                ? List.of(Datagram.of(FakeKernel.error(req, PORT, Errno.EOPNOTSUPP, "no mark filter", -1)))
                : dumpReply(req, all));
        try (Conntrack ct = client(kernel)) {
            List<Flow> got = new ArrayList<>();
            DumpSummary s = ct.dump(FlowFilter.ALL.withMark(42, -1), got::add);
            assertThat(s.kernelFiltered()).isFalse();
            assertThat(got).singleElement().satisfies(f -> assertThat(f.mark()).isEqualTo(42));
            assertThat(s.delivered()).isEqualTo(1);
            assertThat(s.filtered()).isEqualTo(all.size() - 1);
            assertThat(kernel.requests()).hasSize(2);
            assertThat(topTypes(kernel.requests().get(0))).containsExactly(Ctnetlink.CTA_MARK, Ctnetlink.CTA_MARK_MASK);
            assertThat(topTypes(kernel.requests().get(1))).isEmpty();
        }
    }

    @Test
    void otherKernelErrorsAreNotRetried() throws Exception {
        FakeKernel kernel = new FakeKernel(req -> List.of(Datagram.of(FakeKernel.error(req, PORT, Errno.EPERM, null, -1))));
        try (Conntrack ct = client(kernel)) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> ct.dump(FlowFilter.ALL.withZone(3), f -> { }))
                    .isInstanceOfSatisfying(dev.conntrace.netlink.NetlinkException.class,
                            e -> assertThat(e.errno()).isEqualTo(Errno.EPERM));
            assertThat(kernel.requests()).hasSize(1);
        }
    }

    @Test
    void familyGoesInTheNfgenmsgAndIsCheckedHereToo() throws Exception {
        List<byte[]> all = dumpMessages();
        FakeKernel kernel = new FakeKernel(req -> dumpReply(req, all));
        try (Conntrack ct = client(kernel)) {
            List<Flow> v6 = new ArrayList<>();
            ct.dump(FlowFilter.of(AddressFamily.IPV6), v6::add);
            assertThat(kernel.requests().getFirst()[16]).isEqualTo((byte) 10);
            assertThat(v6).hasSize(4).allMatch(Flow::isIpv6);
        }
    }

    @Test
    void malformedMessagesInADumpAreSkippedAndCounted() throws Exception {
        List<byte[]> msgs = new ArrayList<>(dumpMessages());
        byte[] broken = msgs.get(2).clone();
        broken[20] = 2; // first attribute's length below its header
        msgs.set(2, broken);
        FakeKernel kernel = new FakeKernel(req -> dumpReply(req, msgs));
        try (Conntrack ct = client(kernel)) {
            List<Flow> got = new ArrayList<>();
            DumpSummary s = ct.dump(got::add);
            assertThat(s.malformed()).isEqualTo(1);
            assertThat(got).hasSize(msgs.size() - 1);
            assertThat(ct.counters().lastMalformed()).contains("below");
        }
    }

    /** Attributes as a tree, order and padding ignored: type -> value hex or nested tree. */
    private static Map<Integer, Object> tree(byte[] b, int from, int to) {
        Map<Integer, Object> out = new TreeMap<>();
        for (int at = from; at + 4 <= to; ) {
            int len = (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8;
            int raw = (b[at + 2] & 0xFF) | (b[at + 3] & 0xFF) << 8;
            int type = raw & Netlink.NLA_TYPE_MASK;
            out.put(type, (raw & Netlink.NLA_F_NESTED) != 0 ? tree(b, at + 4, at + len)
                    : HexFormat.of().formatHex(b, at + 4, at + len));
            at += (len + 3) & ~3;
        }
        return out;
    }

    @Test
    void createRequestsCarryWhatConntrackSends() throws Exception {
        IpAddress a = IpAddress.parse("10.9.0.1");
        IpAddress b = IpAddress.parse("10.9.0.2");
        IpAddress s6 = IpAddress.parse("2001:db8::1");
        IpAddress d6 = IpAddress.parse("2001:db8::2");
        Map<String, Flow> flows = new LinkedHashMap<>();
        flows.put("-p tcp -s 10.9.0.1 -d 10.9.0.2 --sport 1000 --dport 80 --state ESTABLISHED -t 120 -u ASSURED,SEEN_REPLY",
                Flow.builder().original(Tuple.tcp(a, 1000, b, 80)).protoInfo(ProtoInfo.Tcp.liberal(TcpState.ESTABLISHED)).timeout(120)
                        .status(Status.of(Status.Bit.ASSURED, Status.Bit.SEEN_REPLY)).build());
        flows.put("-p udp -s 10.9.0.1 -d 10.9.0.2 --sport 5000 --dport 53 -t 30 -m 7 -w 3",
                Flow.builder().original(Tuple.udp(a, 5000, b, 53)).timeout(30).mark(7).zone(3).build());
        flows.put("-p icmp -s 10.9.0.1 -d 10.9.0.2 --icmp-type 8 --icmp-code 0 --icmp-id 77 -t 30",
                Flow.builder().original(Tuple.icmp(a, b, 77, 8, 0)).timeout(30).build());
        flows.put("-p tcp -s 2001:db8::1 -d 2001:db8::2 --sport 10 --dport 20 --state SYN_SENT -t 100",
                Flow.builder().original(Tuple.tcp(s6, 10, d6, 20)).protoInfo(ProtoInfo.Tcp.liberal(TcpState.SYN_SENT)).timeout(100).build());
        flows.put("-p udp -s 10.9.0.3 -d 10.9.0.4 --sport 1 --dport 2 -t 30 --orig-zone 4",
                Flow.builder().original(Tuple.udp(IpAddress.parse("10.9.0.3"), 1, IpAddress.parse("10.9.0.4"), 2)
                        .withZone(4)).timeout(30).build());
        List<String> lines = resource("requests.txt");
        Function<byte[], List<Datagram>> acker = req -> List.of(Datagram.of(FakeKernel.ack(req, PORT)));
        int compared = 0;
        for (int i = 0; i + 1 < lines.size(); i++) {
            if (!lines.get(i).startsWith("args ")) {
                continue;
            }
            String args = lines.get(i).substring(5);
            byte[] theirs = HexFormat.of().parseHex(lines.get(i + 1).substring(4));
            FakeKernel kernel = new FakeKernel(acker);
            try (Conntrack ct = client(kernel)) {
                ct.create(flows.get(args));
            }
            byte[] ours = kernel.requests().getFirst();
            assertThat(FakeKernel.type(ours)).isEqualTo(FakeKernel.type(theirs));
            assertThat(FakeKernel.flags(ours)).as(args).isEqualTo(FakeKernel.flags(theirs));
            assertThat(Arrays.copyOfRange(ours, 16, 20)).as(args).isEqualTo(Arrays.copyOfRange(theirs, 16, 20));
            assertThat(tree(ours, 20, ours.length)).as(args).isEqualTo(tree(theirs, 20, theirs.length));
            compared++;
        }
        assertThat(compared).isEqualTo(flows.size());
    }
}
