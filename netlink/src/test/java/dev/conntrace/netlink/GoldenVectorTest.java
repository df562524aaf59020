package dev.conntrace.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import dev.conntrace.netlink.fake.FakeKernel;
import dev.conntrace.netlink.fake.FakeKernel.Datagram;
import dev.conntrace.netlink.netfilter.Nfgenmsg;
import dev.conntrace.sys.Errno;
import dev.conntrace.sys.IpAddress;
import dev.conntrace.sys.SocketConstants;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Replays netlink exchanges captured from the real kernel (see {@link GoldenCapture}): whole, with the
 * messages regrouped into datagrams at every boundary (netlink datagrams are atomic, so message
 * boundaries are the meaningful split points of the receive path), and byte by byte: every prefix of
 * every datagram, and of every message's attributes, must decode to a prefix of the whole result and
 * then report TRUNCATED, never CORRUPT.
 */
class GoldenVectorTest {
    static Stream<String> dumps() {
        return Stream.of("sock_diag_tcp_listeners", "ctnetlink_dump_flows", "ctnetlink_dump_empty_inet6");
    }

    static Stream<String> all() {
        return Stream.concat(dumps(), Stream.of("ctnetlink_error_ext_ack"));
    }

    // ------------------------------------------------------------ what the kernel said

    @Test
    void sockDiagDumpHasTheListenersAndTheConnection() throws IOException {
        GoldenVector v = GoldenVector.load("sock_diag_tcp_listeners");
        assertThat(v.datagrams()).hasSizeGreaterThan(2); // multipart across datagrams
        Set<Integer> listening = new TreeSet<>();
        List<Integer> established = new ArrayList<>();
        DumpResult result = replay(v, m -> {
            assertThat(m.type()).isEqualTo(KernelFixtures.SOCK_DIAG_BY_FAMILY);
            assertThat(m.hasFlags(Netlink.NLM_F_MULTI)).isTrue();
            assertThat(m.u8(0)).isEqualTo(SocketConstants.AF_INET);
            int state = m.u8(1);
            int sport = m.be16(4);
            assertThat(IpAddress.ipv4(m.be32(8))).isEqualTo(IpAddress.parse("127.0.0.1"));
            if (state == KernelFixtures.TCP_LISTEN) {
                listening.add(sport);
            } else {
                established.add(sport);
            }
            Walk.attributes(m.attributes(new AttributeCursor(), KernelFixtures.INET_DIAG_MSG_SIZE), new ArrayList<>());
        });
        assertThat(listening).hasSize(50).first().isEqualTo(41000);
        assertThat(listening).last().isEqualTo(41049);
        assertThat(established).isNotEmpty().contains(41000);
        assertThat(result.messages()).isEqualTo(50 + established.size());
        assertThat(result.interrupted()).isFalse();
    }

    @Test
    void ctnetlinkDumpHasTheTcpAndUdpFlowsWithCounters() throws IOException {
        GoldenVector v = GoldenVector.load("ctnetlink_dump_flows");
        List<String> flows = new ArrayList<>();
        AttributeCursor cursor = new AttributeCursor();
        DumpResult result = replay(v, m -> {
            assertThat(m.type()).isEqualTo(KernelFixtures.CT_NEW); // dump entries are IPCTNL_MSG_CT_NEW
            assertThat(Nfgenmsg.family(m)).isEqualTo(SocketConstants.AF_INET);
            assertThat(Nfgenmsg.version(m)).isZero();
            String tuple = null;
            long packets = -1;
            AttributeCursor attrs = m.attributes(cursor, Nfgenmsg.SIZE);
            while (attrs.next()) {
                if (attrs.type() == KernelFixtures.CTA_TUPLE_ORIG) {
                    tuple = tuple(attrs.nested());
                } else if (attrs.type() == 9) { // CTA_COUNTERS_ORIG
                    AttributeCursor counters = attrs.nested();
                    while (counters.next()) {
                        if (counters.type() == 1) { // CTA_COUNTERS_PACKETS
                            packets = counters.be64();
                        }
                    }
                }
            }
            flows.add(tuple + " packets=" + packets);
        });
        assertThat(result.messages()).isEqualTo(6);
        assertThat(flows).contains(
                "17 127.0.0.1 -> 127.0.0.1:42000 packets=1",
                "17 127.0.0.1 -> 127.0.0.1:42004 packets=1");
        assertThat(flows).anyMatch(f -> f.startsWith("6 127.0.0.1 -> 127.0.0.1:41000 packets="));
    }

    private static String tuple(AttributeCursor t) throws DecodeException {
        String src = "?";
        String dst = "?";
        int proto = -1;
        int dport = -1;
        while (t.next()) {
            AttributeCursor inner = t.nested();
            while (inner.next()) {
                if (t.type() == KernelFixtures.CTA_TUPLE_IP) {
                    if (inner.type() == KernelFixtures.CTA_IP_V4_SRC) {
                        src = inner.address().toString();
                    } else if (inner.type() == KernelFixtures.CTA_IP_V4_DST) {
                        dst = inner.address().toString();
                    }
                } else if (t.type() == KernelFixtures.CTA_TUPLE_PROTO) {
                    if (inner.type() == KernelFixtures.CTA_PROTO_NUM) {
                        proto = inner.u8();
                    } else if (inner.type() == KernelFixtures.CTA_PROTO_DST_PORT) {
                        dport = inner.be16();
                    }
                }
            }
        }
        return proto + " " + src + " -> " + dst + ":" + dport;
    }

    @Test
    void errorWithExtendedAckBecomesNetlinkException() throws IOException {
        GoldenVector v = GoldenVector.load("ctnetlink_error_ext_ack");
        try (NetlinkSocket socket = socketReplaying(v, v.datagrams())) {
            MessageBuilder request = KernelFixtures.ctGetWithShortMark(socket.request(0, 0));
            assertThatThrownBy(() -> socket.execute("ctnetlink get", request, null))
                    .isInstanceOfSatisfying(NetlinkException.class, e -> {
                        assertThat(e.errno()).isEqualTo(Errno.ERANGE);
                        assertThat(e.errnoName()).isEqualTo("ERANGE");
                        assertThat(e.extAckMessage()).isEqualTo("Attribute failed policy validation");
                        assertThat(e.extAckOffset()).isEqualTo(20); // the CTA_MARK after nlmsghdr + nfgenmsg
                        assertThat(e.operation()).isEqualTo("ctnetlink get");
                        assertThat(e.sequence()).isEqualTo(FakeKernel.sequence(request.toByteArray()));
                    });
        }
    }

    @Test
    void emptyDumpIsJustDone() throws IOException {
        GoldenVector v = GoldenVector.load("ctnetlink_dump_empty_inet6");
        assertThat(v.datagrams()).hasSize(1);
        MessageCursor cursor = new MessageCursor().reset(MemorySegment.ofArray(v.datagrams().getFirst()), 0, 20);
        assertThat(cursor.next()).isTrue();
        assertThat(cursor.message().type()).isEqualTo(Netlink.NLMSG_DONE);
        assertThat(cursor.message().hasFlags(Netlink.NLM_F_MULTI)).isTrue();
        assertThat(cursor.message().u32(0)).isZero();
        assertThat(cursor.next()).isFalse();
        assertThat(replay(v, m -> fail("no messages expected")).messages()).isZero();
    }

    // ------------------------------------------------------------ every split

    @ParameterizedTest
    @MethodSource("dumps")
    void regroupingMessagesIntoDatagramsAtEveryBoundaryGivesTheSameMessages(String name) throws IOException {
        GoldenVector v = GoldenVector.load(name);
        List<byte[]> messages = splitMessages(v);
        List<String> expected = decode(v, v.datagrams());
        assertThat(expected).isNotEmpty();
        for (int k = 1; k < messages.size(); k++) {
            List<byte[]> two = List.of(concat(messages.subList(0, k)), concat(messages.subList(k, messages.size())));
            assertThat(decode(v, two)).as("split after message %d", k).isEqualTo(expected);
        }
        assertThat(decode(v, messages)).as("one message per datagram").isEqualTo(expected);
        assertThat(decode(v, List.of(concat(messages)))).as("all in one datagram").isEqualTo(expected);
    }

    @ParameterizedTest
    @MethodSource("all")
    void everyPrefixOfEveryDatagramIsTruncatedNeverCorrupt(String name) throws Exception {
        GoldenVector v = GoldenVector.load(name);
        int hl = Walk.headerLength(v);
        for (byte[] datagram : v.datagrams()) {
            List<String> whole = parse(MemorySegment.ofArray(datagram), datagram.length, hl);
            for (int p = 0; p <= datagram.length; p++) {
                MemorySegment prefix = MemorySegment.ofArray(java.util.Arrays.copyOf(datagram, p));
                List<String> got = new ArrayList<>();
                try {
                    got = parse(prefix, p, hl);
                    assertThat(p).as("only the whole datagram parses completely").isIn(wholeMessageEnds(datagram));
                } catch (PartialParse e) {
                    assertThat(e.cause.kind()).as("prefix %d of %d: %s", p, datagram.length, e.cause.getMessage())
                            .isEqualTo(DecodeException.Kind.TRUNCATED);
                    got = e.parsed;
                }
                assertThat(whole.subList(0, got.size())).as("prefix %d", p).isEqualTo(got);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("all")
    void everyPrefixOfEveryMessagesAttributesIsTruncatedNeverCorrupt(String name) throws IOException {
        GoldenVector v = GoldenVector.load(name);
        int hl = Walk.headerLength(v);
        for (byte[] message : splitMessages(v)) {
            MemorySegment m = MemorySegment.ofArray(message);
            int length = ByteBuffer.wrap(message).order(ByteOrder.LITTLE_ENDIAN).getInt(0);
            int type = ByteBuffer.wrap(message).order(ByteOrder.LITTLE_ENDIAN).getShort(4);
            // Data messages: attributes after the family header; NLMSG_ERROR: the extended-ACK
            // attributes after the error code and the capped request header.
            int start = type == Netlink.NLMSG_ERROR ? Netlink.NLMSG_HDRLEN + 4 + Netlink.NLMSG_HDRLEN
                    : Netlink.NLMSG_HDRLEN + hl;
            if (length <= start) {
                continue;
            }
            List<String> whole = Walk.attributes(m, start, length - start);
            for (int p = 0; p <= length - start; p++) {
                List<String> got = new ArrayList<>();
                AttributeCursor cursor = new AttributeCursor().reset(m, start, p);
                try {
                    Walk.attributes(cursor, got);
                } catch (DecodeException e) {
                    assertThat(e.kind()).as("attribute prefix %d: %s", p, e.getMessage()).isEqualTo(DecodeException.Kind.TRUNCATED);
                }
                // A cut attribute is never reported; what was reported matches the whole walk.
                assertThat(whole.subList(0, got.size())).as("attribute prefix %d", p).isEqualTo(got);
            }
        }
    }

    // ------------------------------------------------------------ helpers

    /** Every message's bytes parsed, or the messages before the failure and the failure. */
    private static List<String> parse(MemorySegment segment, int length, int headerLength) throws PartialParse {
        List<String> out = new ArrayList<>();
        MessageCursor cursor = new MessageCursor().reset(segment, 0, length);
        try {
            while (cursor.next()) {
                out.addAll(Walk.message(cursor.message(), headerLength));
            }
        } catch (DecodeException e) {
            throw new PartialParse(out, e);
        }
        return out;
    }

    private static final class PartialParse extends Exception {
        private static final long serialVersionUID = 1L;
        final transient List<String> parsed;
        final DecodeException cause;

        PartialParse(List<String> parsed, DecodeException cause) {
            super(cause);
            this.parsed = parsed;
            this.cause = cause;
        }
    }

    /** Offsets at which a prefix ends exactly after a whole (padded or unpadded) message. */
    private static Set<Integer> wholeMessageEnds(byte[] datagram) {
        Set<Integer> ends = new TreeSet<>(List.of(0));
        ByteBuffer b = ByteBuffer.wrap(datagram).order(ByteOrder.LITTLE_ENDIAN);
        int at = 0;
        while (at + 16 <= datagram.length) {
            int length = b.getInt(at);
            ends.add(at + length);
            at += Netlink.align(length);
            ends.add(Math.min(at, datagram.length));
        }
        return ends;
    }

    private static List<byte[]> splitMessages(GoldenVector v) {
        List<byte[]> out = new ArrayList<>();
        for (byte[] d : v.datagrams()) {
            ByteBuffer b = ByteBuffer.wrap(d).order(ByteOrder.LITTLE_ENDIAN);
            int at = 0;
            while (at < d.length) {
                int next = Math.min(at + Netlink.align(b.getInt(at)), d.length);
                out.add(java.util.Arrays.copyOfRange(d, at, next));
                at = next;
            }
        }
        return out;
    }

    private static byte[] concat(List<byte[]> parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        parts.forEach(out::writeBytes);
        return out.toByteArray();
    }

    /** Decoded text of a dump replayed through a socket over a fake kernel serving {@code datagrams}. */
    private static List<String> decode(GoldenVector v, List<byte[]> datagrams) throws IOException {
        List<String> out = new ArrayList<>();
        int hl = Walk.headerLength(v);
        try (NetlinkSocket socket = socketReplaying(v, datagrams)) {
            DumpResult r = socket.dump("replay", requestOf(socket, v), m -> out.addAll(Walk.message(m, hl)));
            out.add("result " + r.messages() + " " + r.interrupted());
        }
        return out;
    }

    private static DumpResult replay(GoldenVector v, MessageVisitor visitor) throws IOException {
        try (NetlinkSocket socket = socketReplaying(v, v.datagrams())) {
            return socket.dump("replay", requestOf(socket, v), visitor);
        }
    }

    private static MessageBuilder requestOf(NetlinkSocket socket, GoldenVector v) {
        MessageBuilder b = socket.request(FakeKernel.type(v.request()), FakeKernel.flags(v.request()));
        return b.putBytes(java.util.Arrays.copyOfRange(v.request(), Netlink.NLMSG_HDRLEN, v.request().length));
    }

    /** A socket whose fake kernel answers the request with {@code datagrams}, renumbered to the request's sequence. */
    static NetlinkSocket socketReplaying(GoldenVector v, List<byte[]> datagrams) throws NetlinkException {
        FakeKernel kernel = new FakeKernel(v.portId(), request -> {
            int seq = FakeKernel.sequence(request);
            return datagrams.stream().map(d -> Datagram.of(renumber(d, seq))).toList();
        });
        return NetlinkSocket.over(kernel, NetlinkSocket.Options.defaults());
    }

    /** A copy of {@code datagram} with every message's nlmsg_seq set to {@code seq}. */
    static byte[] renumber(byte[] datagram, int seq) {
        byte[] copy = datagram.clone();
        ByteBuffer b = ByteBuffer.wrap(copy).order(ByteOrder.LITTLE_ENDIAN);
        int at = 0;
        while (at + 16 <= copy.length) {
            int length = b.getInt(at);
            b.putInt(at + 8, seq);
            if (length < 16) {
                break;
            }
            at += Netlink.align(length);
        }
        return copy;
    }
}
