package dev.conntrace.netlink;

import static dev.conntrace.netlink.fake.FakeKernel.DEFAULT_PORT_ID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conntrace.netlink.fake.FakeKernel;
import dev.conntrace.netlink.fake.FakeKernel.Datagram;
import dev.conntrace.netlink.netfilter.Nfgenmsg;
import dev.conntrace.netlink.netfilter.Nfnetlink;
import dev.conntrace.sys.Errno;
import dev.conntrace.sys.SocketConstants;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Everything above the transport, against a fake kernel. */
class FakeSocketTest {
    private static final int CT_NEW = Nfnetlink.type(Nfnetlink.NFNL_SUBSYS_CTNETLINK, Nfnetlink.IPCTNL_MSG_CT_NEW);
    private static final int CT_GET = Nfnetlink.type(Nfnetlink.NFNL_SUBSYS_CTNETLINK, Nfnetlink.IPCTNL_MSG_CT_GET);

    private final List<NetlinkSocket> open = new ArrayList<>();

    private NetlinkSocket socket(FakeKernel kernel) throws NetlinkException {
        NetlinkSocket s = NetlinkSocket.over(kernel, NetlinkSocket.Options.defaults());
        open.add(s);
        return s;
    }

    @org.junit.jupiter.api.AfterEach
    void close() {
        open.forEach(NetlinkSocket::close);
    }

    /** A ctnetlink-like entry: nfgenmsg + CTA_MARK (be32) = {@code mark}. */
    private static byte[] flow(byte[] request, int flags, int mark) {
        byte[] payload = new byte[4 + 8];
        payload[0] = (byte) SocketConstants.AF_INET;
        System.arraycopy(FakeKernel.attribute(8, new byte[] {0, 0, 0, (byte) mark}), 0, payload, 4, 8);
        return FakeKernel.message(CT_NEW, flags, FakeKernel.sequence(request), DEFAULT_PORT_ID, payload);
    }

    private static MessageBuilder dumpRequest(NetlinkSocket socket) {
        return Nfgenmsg.put(socket.request(CT_GET, 0), SocketConstants.AF_INET, 0);
    }

    private static List<Integer> marks(NetlinkSocket socket, MessageBuilder request, DumpResult[] result) throws IOException {
        List<Integer> marks = new ArrayList<>();
        AttributeCursor cursor = new AttributeCursor();
        result[0] = socket.dump("ct dump", request, m -> {
            AttributeCursor a = m.attributes(cursor, Nfgenmsg.SIZE);
            while (a.next()) {
                marks.add(a.be32());
            }
        });
        return marks;
    }

    @Test
    void multipartDumpAcrossDatagramsIsDeliveredInOrder() throws IOException {
        FakeKernel kernel = new FakeKernel(r -> List.of(
                Datagram.of(flow(r, Netlink.NLM_F_MULTI, 1), flow(r, Netlink.NLM_F_MULTI, 2)),
                Datagram.of(flow(r, Netlink.NLM_F_MULTI, 3)),
                Datagram.of(flow(r, Netlink.NLM_F_MULTI, 4), FakeKernel.done(r, DEFAULT_PORT_ID))));
        NetlinkSocket socket = socket(kernel);
        DumpResult[] result = new DumpResult[1];
        assertThat(marks(socket, dumpRequest(socket), result)).containsExactly(1, 2, 3, 4);
        assertThat(result[0]).isEqualTo(new DumpResult(4, 3, false));
        byte[] sent = kernel.requests().getFirst();
        assertThat(FakeKernel.flags(sent)).isEqualTo(Netlink.NLM_F_REQUEST | Netlink.NLM_F_DUMP);
        assertThat(FakeKernel.type(sent)).isEqualTo(CT_GET);
        assertThat(sent).hasSize(20);
        // The next request has the next sequence number.
        marks(socket, dumpRequest(socket), result);
        assertThat(FakeKernel.sequence(kernel.requests().get(1))).isEqualTo(FakeKernel.sequence(sent) + 1);
    }

    @Test
    void sequenceNumbersStartRandomly() throws IOException {
        List<Integer> first = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            FakeKernel kernel = new FakeKernel(r -> List.of(Datagram.of(FakeKernel.done(r, DEFAULT_PORT_ID))));
            NetlinkSocket socket = socket(kernel);
            socket.dump("d", dumpRequest(socket), m -> { });
            first.add(FakeKernel.sequence(kernel.requests().getFirst()));
        }
        assertThat(first).doesNotHaveDuplicates();
    }

    @Test
    void dumpInterruptedIsSurfaced() throws IOException {
        NetlinkSocket socket = socket(new FakeKernel(r -> List.of(
                Datagram.of(flow(r, Netlink.NLM_F_MULTI, 1), flow(r, Netlink.NLM_F_MULTI | Netlink.NLM_F_DUMP_INTR, 2)),
                Datagram.of(FakeKernel.done(r, DEFAULT_PORT_ID)))));
        DumpResult[] result = new DumpResult[1];
        assertThat(marks(socket, dumpRequest(socket), result)).containsExactly(1, 2);
        assertThat(result[0].interrupted()).isTrue();
    }

    @Test
    void errorWithExtendedAckIsOneNetlinkException() throws IOException {
        NetlinkSocket socket = socket(new FakeKernel(r ->
                List.of(Datagram.of(FakeKernel.error(r, DEFAULT_PORT_ID, Errno.ENOENT, "no such flow", 20)))));
        MessageBuilder request = Nfgenmsg.put(socket.request(CT_GET, 0), SocketConstants.AF_INET, 0).addBe32(8, 1);
        assertThatThrownBy(() -> socket.execute("ct get", request, null))
                .isInstanceOfSatisfying(NetlinkException.class, e -> {
                    assertThat(e).isNotInstanceOf(MessagesLostException.class);
                    assertThat(e.errno()).isEqualTo(Errno.ENOENT);
                    assertThat(e.errnoName()).isEqualTo("ENOENT");
                    assertThat(e.extAckMessage()).isEqualTo("no such flow");
                    assertThat(e.extAckOffset()).isEqualTo(20);
                    assertThat(e.operation()).isEqualTo("ct get");
                    assertThat(e.getMessage()).isEqualTo("ct get: ENOENT (No such file or directory): no such flow"
                            + " [at request byte 20] [seq " + Integer.toUnsignedString(e.sequence()) + "]");
                });
        // An error without extended ACK: empty text, no offset.
        NetlinkSocket plain = socket(new FakeKernel(r ->
                List.of(Datagram.of(FakeKernel.error(r, DEFAULT_PORT_ID, Errno.EPERM, null, -1)))));
        assertThatThrownBy(() -> plain.execute("ct get", Nfgenmsg.put(plain.request(CT_GET, 0), 2, 0), null))
                .isInstanceOfSatisfying(NetlinkException.class, e -> {
                    assertThat(e.errno()).isEqualTo(Errno.EPERM);
                    assertThat(e.extAckMessage()).isEmpty();
                    assertThat(e.extAckOffset()).isEqualTo(NetlinkException.NO_OFFSET);
                });
    }

    @Test
    void uncappedErrorEchoingTheRequestStillYieldsTheExtendedAck() throws IOException {
        Function<byte[], List<Datagram>> kernel = r -> {
            byte[] tlv = FakeKernel.attribute(Netlink.NLMSGERR_ATTR_MSG, "bad\0".getBytes());
            java.nio.ByteBuffer p = java.nio.ByteBuffer.allocate(4 + Netlink.align(r.length) + tlv.length)
                    .order(java.nio.ByteOrder.LITTLE_ENDIAN);
            p.putInt(-Errno.EINVAL).put(r).position(4 + Netlink.align(r.length)).put(tlv);
            return List.of(Datagram.of(FakeKernel.message(Netlink.NLMSG_ERROR, Netlink.NLM_F_ACK_TLVS,
                    FakeKernel.sequence(r), DEFAULT_PORT_ID, p.array())));
        };
        NetlinkSocket socket = socket(new FakeKernel(kernel));
        MessageBuilder request = Nfgenmsg.put(socket.request(CT_GET, 0), 2, 0).addString(1, "xyz");
        assertThatThrownBy(() -> socket.execute("get", request, null))
                .isInstanceOfSatisfying(NetlinkException.class, e -> {
                    assertThat(e.errno()).isEqualTo(Errno.EINVAL);
                    assertThat(e.extAckMessage()).isEqualTo("bad");
                });
    }

    @Test
    void executeDeliversRepliesThenReturnsOnAck() throws IOException {
        FakeKernel kernel = new FakeKernel(r -> List.of(
                Datagram.of(flow(r, 0, 7)),
                Datagram.of(FakeKernel.ack(r, DEFAULT_PORT_ID))));
        NetlinkSocket socket = socket(kernel);
        List<Integer> types = new ArrayList<>();
        socket.execute("ct get", Nfgenmsg.put(socket.request(CT_GET, 0), 2, 0), m -> types.add(m.type()));
        assertThat(types).containsExactly(CT_NEW);
        assertThat(FakeKernel.flags(kernel.requests().getFirst())).isEqualTo(Netlink.NLM_F_REQUEST | Netlink.NLM_F_ACK);
        assertThat(kernel.queued()).isZero();
    }

    @Test
    void queryTakesTheOneAnswerWithoutAwaitingAnAck() throws IOException {
        FakeKernel kernel = new FakeKernel(r -> List.of(Datagram.of(flow(r, 0, 7))));
        NetlinkSocket socket = socket(kernel);
        List<Integer> types = new ArrayList<>();
        assertThat(socket.query("ct get", Nfgenmsg.put(socket.request(CT_GET, 0), 2, 0), Errno.ENOENT,
                m -> types.add(m.type()))).isTrue();
        assertThat(types).containsExactly(CT_NEW);
        assertThat(FakeKernel.flags(kernel.requests().getFirst())).isEqualTo(Netlink.NLM_F_REQUEST);
        assertThat(kernel.queued()).isZero();
    }

    @Test
    void queryReturnsTheExpectedRefusalAndThrowsAnyOther() throws IOException {
        NetlinkSocket miss = socket(new FakeKernel(r ->
                List.of(Datagram.of(FakeKernel.error(r, DEFAULT_PORT_ID, Errno.ENOENT, null, -1)))));
        List<Integer> types = new ArrayList<>();
        assertThat(miss.query("get", Nfgenmsg.put(miss.request(CT_GET, 0), 2, 0), Errno.ENOENT,
                m -> types.add(m.type()))).isFalse();
        assertThat(types).isEmpty();
        NetlinkSocket refused = socket(new FakeKernel(r ->
                List.of(Datagram.of(FakeKernel.error(r, DEFAULT_PORT_ID, Errno.EPERM, "not allowed", -1)))));
        assertThatThrownBy(() -> refused.query("get", Nfgenmsg.put(refused.request(CT_GET, 0), 2, 0), Errno.ENOENT,
                m -> types.add(m.type())))
                .isInstanceOfSatisfying(NetlinkException.class, e -> {
                    assertThat(e.errno()).isEqualTo(Errno.EPERM);
                    assertThat(e.extAckMessage()).isEqualTo("not allowed");
                });
        NetlinkSocket stray = socket(new FakeKernel(r -> List.of(Datagram.of(
                FakeKernel.message(CT_NEW, 0, FakeKernel.sequence(r) + 1, DEFAULT_PORT_ID, new byte[4])))));
        assertThatThrownBy(() -> stray.query("get", Nfgenmsg.put(stray.request(CT_GET, 0), 2, 0), Errno.ENOENT,
                m -> types.add(m.type()))).isInstanceOf(DecodeException.class);
        assertThat(types).isEmpty();
    }

    @Test
    void doneCarryingAnErrorFailsTheDump() {
        assertThatThrownBy(() -> {
            NetlinkSocket socket = socket(new FakeKernel(r -> {
                byte[] done = FakeKernel.message(Netlink.NLMSG_DONE, Netlink.NLM_F_MULTI, FakeKernel.sequence(r),
                        DEFAULT_PORT_ID, new byte[] {(byte) -Errno.EINTR, -1, -1, -1});
                return List.of(Datagram.of(flow(r, Netlink.NLM_F_MULTI, 1), done));
            }));
            socket.dump("d", dumpRequest(socket), m -> { });
        }).isInstanceOfSatisfying(NetlinkException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EINTR));
    }

    @Test
    void doneCarryingAnErrorAndExtendedAckFailsTheDumpWithTheText() {
        assertThatThrownBy(() -> {
            NetlinkSocket socket = socket(new FakeKernel(r -> {
                byte[] tlv = FakeKernel.attribute(Netlink.NLMSGERR_ATTR_MSG, "dump failed\0".getBytes());
                byte[] payload = new byte[4 + tlv.length];
                java.nio.ByteBuffer.wrap(payload).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(-Errno.EMSGSIZE).put(tlv);
                byte[] done = FakeKernel.message(Netlink.NLMSG_DONE, Netlink.NLM_F_MULTI | Netlink.NLM_F_ACK_TLVS,
                        FakeKernel.sequence(r), DEFAULT_PORT_ID, payload);
                return List.of(Datagram.of(done));
            }));
            socket.dump("d", dumpRequest(socket), m -> { });
        }).isInstanceOfSatisfying(NetlinkException.class, e -> {
            assertThat(e.errno()).isEqualTo(Errno.EMSGSIZE);
            assertThat(e.extAckMessage()).isEqualTo("dump failed");
        });
    }

    @Test
    void replyWithWrongSequenceIsRejected() throws IOException {
        NetlinkSocket socket = socket(new FakeKernel(r -> List.of(Datagram.of(
                FakeKernel.message(CT_NEW, Netlink.NLM_F_MULTI, FakeKernel.sequence(r) + 5, DEFAULT_PORT_ID, new byte[4])))));
        assertThatThrownBy(() -> socket.dump("ct dump", dumpRequest(socket), m -> { }))
                .isInstanceOfSatisfying(DecodeException.class, e -> {
                    assertThat(e.kind()).isEqualTo(DecodeException.Kind.CORRUPT);
                    assertThat(e.what()).contains("nlmsg_seq").contains("ct dump");
                });
    }

    @Test
    void replyWithWrongPortIdIsRejected() throws IOException {
        NetlinkSocket socket = socket(new FakeKernel(r -> List.of(Datagram.of(
                FakeKernel.message(CT_NEW, Netlink.NLM_F_MULTI, FakeKernel.sequence(r), DEFAULT_PORT_ID + 1, new byte[4])))));
        assertThatThrownBy(() -> socket.dump("ct dump", dumpRequest(socket), m -> { }))
                .isInstanceOfSatisfying(DecodeException.class, e -> assertThat(e.what()).contains("nlmsg_pid"));
    }

    @Test
    void multicastAndUserSpaceDatagramsAreSkippedWhileWaitingForAReply() throws IOException {
        NetlinkSocket socket = socket(new FakeKernel(r -> List.of(
                Datagram.multicast(1, flow(r, 0, 99)),
                Datagram.of(flow(r, Netlink.NLM_F_MULTI, 98)).from(777),
                Datagram.of(flow(r, Netlink.NLM_F_MULTI, 1), FakeKernel.done(r, DEFAULT_PORT_ID)))));
        DumpResult[] result = new DumpResult[1];
        assertThat(marks(socket, dumpRequest(socket), result)).containsExactly(1);
        assertThat(socket.skippedCount()).isEqualTo(2);
    }

    @Test
    void enobufsIsADistinctExceptionAndTheSocketStaysUsable() throws IOException {
        FakeKernel kernel = new FakeKernel(r -> List.of(
                Datagram.of(flow(r, Netlink.NLM_F_MULTI, 5), FakeKernel.done(r, DEFAULT_PORT_ID))));
        NetlinkSocket socket = socket(kernel);
        kernel.inject(Datagram.multicast(1, flow(new byte[16], 0, 1)), Datagram.failure(Errno.ENOBUFS),
                Datagram.multicast(1, flow(new byte[16], 0, 2)));
        List<Integer> events = new ArrayList<>();
        assertThat(socket.receive(m -> events.add(m.type()), 0)).isEqualTo(1);
        assertThatThrownBy(() -> socket.receive(m -> { }, 0))
                .isInstanceOfSatisfying(MessagesLostException.class, e -> {
                    assertThat(e.errno()).isEqualTo(Errno.ENOBUFS);
                    assertThat(e.errnoName()).isEqualTo("ENOBUFS");
                });
        assertThat(socket.lostCount()).isEqualTo(1);
        assertThat(socket.receive(m -> events.add(m.type()), 0)).isEqualTo(1);
        assertThat(events).containsExactly(CT_NEW, CT_NEW);
        assertThat(socket.receive(m -> { }, 0)).as("nothing queued").isZero();
        DumpResult[] result = new DumpResult[1];
        assertThat(marks(socket, dumpRequest(socket), result)).containsExactly(5);
    }

    @Test
    void eventsFromUserSpaceSendersAreSkipped() throws IOException {
        FakeKernel kernel = new FakeKernel(r -> List.of());
        NetlinkSocket socket = socket(kernel);
        kernel.inject(Datagram.multicast(1, flow(new byte[16], 0, 1)).from(999), Datagram.multicast(1, flow(new byte[16], 0, 2)));
        List<Integer> marks = new ArrayList<>();
        AttributeCursor cursor = new AttributeCursor();
        assertThat(socket.receive(m -> {
            AttributeCursor a = m.attributes(cursor, Nfgenmsg.SIZE);
            while (a.next()) {
                marks.add(a.be32());
            }
        }, 0)).isEqualTo(1);
        assertThat(marks).containsExactly(2);
        assertThat(socket.skippedCount()).isEqualTo(1);
    }

    @Test
    void enobufsDuringADumpIsReportedAsLoss() throws IOException {
        NetlinkSocket socket = socket(new FakeKernel(r -> List.of(
                Datagram.of(flow(r, Netlink.NLM_F_MULTI, 1)), Datagram.failure(Errno.ENOBUFS))));
        assertThatThrownBy(() -> socket.dump("ct dump", dumpRequest(socket), m -> { }))
                .isInstanceOf(MessagesLostException.class);
        assertThat(socket.lostCount()).isEqualTo(1);
    }

    @Test
    void missingReplyTimesOutWithEagain() throws IOException {
        NetlinkSocket socket = socket(new FakeKernel(r -> List.of()));
        assertThatThrownBy(() -> socket.dump("ct dump", dumpRequest(socket), m -> { }))
                .isInstanceOfSatisfying(NetlinkException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EAGAIN));
    }

    @Test
    void datagramLargerThanTheReadBufferIsAnError() throws IOException {
        FakeKernel kernel = new FakeKernel(r -> List.of(Datagram.of(
                FakeKernel.message(CT_NEW, Netlink.NLM_F_MULTI, FakeKernel.sequence(r), DEFAULT_PORT_ID, new byte[5000]))));
        NetlinkSocket socket = NetlinkSocket.over(kernel, NetlinkSocket.Options.defaults().withReadBufferSize(4096));
        open.add(socket);
        assertThatThrownBy(() -> socket.dump("ct dump", dumpRequest(socket), m -> { }))
                .isInstanceOfSatisfying(DecodeException.class, e -> {
                    assertThat(e.kind()).isEqualTo(DecodeException.Kind.TRUNCATED);
                    assertThat(e.what()).contains("5016 bytes").contains("4096-byte read buffer");
                });
    }

    @Test
    void repliesLeftByAnAbandonedDumpAreDiscardedBeforeTheNextRequest() throws IOException {
        int[] calls = {0};
        NetlinkSocket socket = socket(new FakeKernel(r -> {
            int mark = ++calls[0] * 10;
            return List.of(Datagram.of(flow(r, Netlink.NLM_F_MULTI, mark)),
                    Datagram.of(flow(r, Netlink.NLM_F_MULTI, mark + 1), FakeKernel.done(r, DEFAULT_PORT_ID)));
        }));
        assertThatThrownBy(() -> socket.dump("ct dump", dumpRequest(socket), m -> {
            throw new IOException("consumer gave up");
        })).hasMessage("consumer gave up");
        DumpResult[] result = new DumpResult[1];
        assertThat(marks(socket, dumpRequest(socket), result)).containsExactly(20, 21);
    }

    @Test
    void discardingStaleRepliesCountsALossAndGoesOn() throws IOException {
        int[] calls = {0};
        NetlinkSocket socket = socket(new FakeKernel(r -> {
            int mark = ++calls[0] * 10;
            return calls[0] == 1
                    ? List.of(Datagram.of(flow(r, Netlink.NLM_F_MULTI, mark)), Datagram.failure(Errno.ENOBUFS),
                            Datagram.of(FakeKernel.done(r, DEFAULT_PORT_ID)))
                    : List.of(Datagram.of(flow(r, Netlink.NLM_F_MULTI, mark), FakeKernel.done(r, DEFAULT_PORT_ID)));
        }));
        assertThatThrownBy(() -> socket.dump("ct dump", dumpRequest(socket), m -> {
            throw new IOException("consumer gave up");
        })).hasMessage("consumer gave up");
        DumpResult[] result = new DumpResult[1];
        assertThat(marks(socket, dumpRequest(socket), result)).containsExactly(20);
        assertThat(socket.lostCount()).isEqualTo(1);
    }

    @Test
    void socketOptionsAreSetAndForcedBufferFallsBackOnEperm() throws IOException {
        FakeKernel kernel = new FakeKernel(r -> List.of());
        NetlinkSocket socket = NetlinkSocket.over(kernel, NetlinkSocket.Options.defaults()
                .withNoEnobufs(true).withListenAllNsid(true).withSocketReceiveBuffer(1 << 20));
        open.add(socket);
        assertThat(kernel.optionValue(SocketConstants.SOL_NETLINK, SocketConstants.NETLINK_EXT_ACK)).isEqualTo(1);
        assertThat(kernel.optionValue(SocketConstants.SOL_NETLINK, SocketConstants.NETLINK_CAP_ACK)).isEqualTo(1);
        assertThat(kernel.optionValue(SocketConstants.SOL_NETLINK, SocketConstants.NETLINK_GET_STRICT_CHK)).isEqualTo(1);
        assertThat(kernel.optionValue(SocketConstants.SOL_NETLINK, SocketConstants.NETLINK_NO_ENOBUFS)).isEqualTo(1);
        assertThat(kernel.optionValue(SocketConstants.SOL_NETLINK, SocketConstants.NETLINK_LISTEN_ALL_NSID)).isEqualTo(1);
        assertThat(kernel.optionValue(SocketConstants.SOL_SOCKET, SocketConstants.SO_RCVBUFFORCE)).isEqualTo(1 << 20);
        socket.join(Nfnetlink.NFNLGRP_CONNTRACK_NEW);
        assertThat(kernel.optionValue(SocketConstants.SOL_NETLINK, SocketConstants.NETLINK_ADD_MEMBERSHIP)).isEqualTo(1);
        socket.leave(Nfnetlink.NFNLGRP_CONNTRACK_DESTROY);
        assertThat(kernel.optionValue(SocketConstants.SOL_NETLINK, SocketConstants.NETLINK_DROP_MEMBERSHIP)).isEqualTo(3);

        FakeKernel unprivileged = new FakeKernel(r -> List.of())
                .rejectOption(SocketConstants.SOL_SOCKET, SocketConstants.SO_RCVBUFFORCE, Errno.EPERM);
        NetlinkSocket fallback = socket(unprivileged);
        assertThat(fallback.receiveBufferSize(65536)).isEqualTo(131072);
        assertThat(unprivileged.optionValue(SocketConstants.SOL_SOCKET, SocketConstants.SO_RCVBUF)).isEqualTo(65536);

        FakeKernel broken = new FakeKernel(r -> List.of())
                .rejectOption(SocketConstants.SOL_SOCKET, SocketConstants.SO_RCVBUFFORCE, Errno.EINVAL);
        NetlinkSocket failing = socket(broken);
        assertThatThrownBy(() -> failing.receiveBufferSize(65536))
                .isInstanceOfSatisfying(NetlinkException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EINVAL));
    }

    @Test
    void failingConfigurationClosesTheTransport() {
        FakeKernel kernel = new FakeKernel(r -> List.of())
                .rejectOption(SocketConstants.SOL_NETLINK, SocketConstants.NETLINK_EXT_ACK, Errno.ENOPROTOOPT);
        assertThatThrownBy(() -> NetlinkSocket.over(kernel, NetlinkSocket.Options.defaults()))
                .isInstanceOfSatisfying(NetlinkException.class, e -> {
                    assertThat(e.errno()).isEqualTo(Errno.ENOPROTOOPT);
                    assertThat(e.operation()).startsWith("configure netlink socket");
                });
        assertThat(kernel.isClosed()).isTrue();
    }

    @Test
    void closingClosesTheTransportOnce() throws IOException {
        FakeKernel kernel = new FakeKernel(r -> List.of());
        NetlinkSocket socket = NetlinkSocket.over(kernel, NetlinkSocket.Options.defaults());
        socket.close();
        socket.close();
        assertThat(kernel.isClosed()).isTrue();
        assertThatThrownBy(() -> socket.dump("d", MessageBuilder.allocate(64).begin(CT_GET, 0), m -> { }))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void optionsAreValidated() {
        assertThatThrownBy(() -> NetlinkSocket.Options.defaults().withReadBufferSize(100))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NetlinkSocket.Options.defaults().withReplyTimeout(java.time.Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(NetlinkSocket.Options.defaults().readBufferSize()).isEqualTo(1 << 20);
    }

    @Test
    void nfnetlinkTypeComposition() {
        assertThat(CT_GET).isEqualTo(0x101);
        assertThat(Nfnetlink.subsystem(0x201)).isEqualTo(Nfnetlink.NFNL_SUBSYS_CTNETLINK_EXP);
        assertThat(Nfnetlink.message(0x102)).isEqualTo(Nfnetlink.IPCTNL_MSG_CT_DELETE);
        assertThatThrownBy(() -> Nfnetlink.type(256, 0)).isInstanceOf(IllegalArgumentException.class);
        MessageBuilder b = MessageBuilder.allocate(64).begin(CT_GET, 0);
        Nfgenmsg.put(b, SocketConstants.AF_INET6, 0x1234);
        assertThat(java.util.Arrays.copyOfRange(b.toByteArray(), 16, 20)).containsExactly(10, 0, 0x12, 0x34);
    }
}
