package dev.conntrace.conntrack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conntrace.netlink.Netlink;
import dev.conntrace.netlink.NetlinkException;
import dev.conntrace.netlink.NetlinkSocket;
import dev.conntrace.netlink.fake.FakeKernel;
import dev.conntrace.netlink.fake.FakeKernel.Datagram;
import dev.conntrace.sys.Errno;
import dev.conntrace.sys.IpAddress;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Dumps through the receive thread: many datagrams (more than the chunks in flight), order kept, a
 * consumer that fails or a kernel error ends the dump on the caller's thread, and the client stays usable.
 */
class DumpPipelineTest {
    private static final int PORT = FakeKernel.DEFAULT_PORT_ID;
    private static final int CT_NEW = 1 << 8; // NFNL_SUBSYS_CTNETLINK << 8 | IPCTNL_MSG_CT_NEW

    /** A ctnetlink flow message payload (nfgenmsg + CTA_TUPLE_ORIG + CTA_ID) for flow {@code i}. */
    private static byte[] flowPayload(int i) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(new byte[] {2, 0, 0, 0}); // AF_INET, NFNETLINK_V0, res_id
        byte[] src = be32(0x0A00_0000 + i);
        byte[] dst = be32(0x0A01_0000);
        byte[] ip = concat(FakeKernel.attribute(1, src), FakeKernel.attribute(2, dst)); // CTA_IP_V4_SRC/DST
        byte[] proto = concat(FakeKernel.attribute(1, new byte[] {17}), // CTA_PROTO_NUM
                FakeKernel.attribute(2, new byte[] {(byte) (i >> 8), (byte) i}), // CTA_PROTO_SRC_PORT
                FakeKernel.attribute(3, new byte[] {0, 53})); // CTA_PROTO_DST_PORT
        byte[] tuple = concat(FakeKernel.attribute(1 | Netlink.NLA_F_NESTED, ip),
                FakeKernel.attribute(2 | Netlink.NLA_F_NESTED, proto));
        b.writeBytes(FakeKernel.attribute(1 | Netlink.NLA_F_NESTED, tuple)); // CTA_TUPLE_ORIG
        b.writeBytes(FakeKernel.attribute(12, be32(i))); // CTA_ID
        return b.toByteArray();
    }

    private static byte[] be32(int v) {
        return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            b.writeBytes(p);
        }
        return b.toByteArray();
    }

    /** {@code flows} flow messages, {@code perDatagram} to a datagram, then NLMSG_DONE. */
    private static List<Datagram> reply(byte[] request, int flows, int perDatagram) {
        List<Datagram> out = new ArrayList<>();
        List<byte[]> batch = new ArrayList<>();
        for (int i = 0; i < flows; i++) {
            batch.add(FakeKernel.message(CT_NEW, Netlink.NLM_F_MULTI, FakeKernel.sequence(request), PORT, flowPayload(i)));
            if (batch.size() == perDatagram) {
                out.add(Datagram.of(batch.toArray(byte[][]::new)));
                batch.clear();
            }
        }
        if (!batch.isEmpty()) {
            out.add(Datagram.of(batch.toArray(byte[][]::new)));
        }
        out.add(Datagram.of(FakeKernel.done(request, PORT)));
        return out;
    }

    private static Conntrack client(FakeKernel kernel) throws Exception {
        return Conntrack.over(NetlinkSocket.over(kernel, NetlinkSocket.Options.defaults())).receiveAhead(true);
    }

    @Test
    void manyChunksArriveWholeAndInOrder() throws Exception {
        int flows = 30_000; // ~100 bytes each: about 3 MB, more than the chunks in flight hold
        FakeKernel kernel = new FakeKernel(req -> reply(req, flows, 97));
        try (Conntrack ct = client(kernel)) {
            AtomicInteger next = new AtomicInteger();
            Thread caller = Thread.currentThread();
            DumpSummary s = ct.dump(f -> {
                assertThat(Thread.currentThread()).isSameAs(caller);
                int i = next.getAndIncrement();
                assertThat(f.id()).isEqualTo(i);
                assertThat(f.original().source()).isEqualTo(IpAddress.ipv4(0x0A00_0000 + i));
                assertThat(f.original().sourcePort()).isEqualTo(i & 0xFFFF);
            });
            assertThat(next.get()).isEqualTo(flows);
            assertThat(s.delivered()).isEqualTo(flows);
            assertThat(s.malformed()).isZero();
        }
    }

    @Test
    void aFailingConsumerStopsTheDumpAndTheClientStaysUsable() throws Exception {
        FakeKernel kernel = new FakeKernel(req -> reply(req, 20_000, 50));
        try (Conntrack ct = client(kernel)) {
            AtomicInteger seen = new AtomicInteger();
            assertThatThrownBy(() -> ct.dump(f -> {
                if (seen.incrementAndGet() == 1234) {
                    throw new IllegalStateException("consumer gave up");
                }
            })).isInstanceOf(IllegalStateException.class).hasMessage("consumer gave up");
            assertThat(seen.get()).isEqualTo(1234);
            List<Flow> again = new ArrayList<>();
            assertThat(ct.dump(again::add).delivered()).isEqualTo(20_000);
            assertThat(again).hasSize(20_000);
            assertThat(again.getLast().id()).isEqualTo(19_999);
        }
    }

    @Test
    void aKernelErrorReachesTheCaller() throws Exception {
        FakeKernel kernel = new FakeKernel(req -> List.of(Datagram.of(FakeKernel.error(req, PORT, Errno.EPERM, null, -1))));
        try (Conntrack ct = client(kernel)) {
            assertThatThrownBy(() -> ct.dump(f -> { }))
                    .isInstanceOfSatisfying(NetlinkException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EPERM));
        }
    }

    @Test
    void anInterruptedCallerGetsAnInterruptedIoException() throws Exception {
        FakeKernel kernel = new FakeKernel(req -> reply(req, 5_000, 10));
        try (Conntrack ct = client(kernel)) {
            AtomicInteger seen = new AtomicInteger();
            assertThatThrownBy(() -> ct.dump(f -> {
                if (seen.incrementAndGet() == 100) {
                    Thread.currentThread().interrupt();
                }
            })).isInstanceOf(java.io.InterruptedIOException.class);
            assertThat(Thread.interrupted()).isTrue(); // the interrupt is kept for the caller
            assertThat(seen.get()).isLessThan(5_000);
            assertThat(ct.dump(f -> { }).delivered()).isEqualTo(5_000);
        }
    }
}
