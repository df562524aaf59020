package dev.conntrace.conntrack;

import static dev.conntrace.conntrack.wire.Ctnetlink.*;

import dev.conntrace.conntrack.wire.RequestWriter;
import dev.conntrace.netlink.MessageBuilder;
import dev.conntrace.netlink.Netlink;
import dev.conntrace.netlink.fake.FakeKernel;
import dev.conntrace.netlink.fake.FakeKernel.Datagram;
import dev.conntrace.netlink.netfilter.Nfgenmsg;
import dev.conntrace.netlink.netfilter.Nfnetlink;
import dev.conntrace.sys.IpAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.BooleanSupplier;

/** Builds ctnetlink event and dump messages for fake-kernel tests. */
final class EventMessages {
    static final IpAddress A = IpAddress.parse("10.0.0.1");
    static final IpAddress B = IpAddress.parse("10.0.0.2");

    private EventMessages() {}

    /** A UDP flow A:port → B:53 with {@code id} in {@code zone}. */
    static Flow udp(int id, int port, int zone) {
        Tuple t = Tuple.udp(A, port, B, 53);
        Flow.Builder b = Flow.builder().original(t).reply(Tuples.inverse(t)).id(id);
        if (zone != 0) {
            b.zone(zone);
        }
        return b.build();
    }

    static Flow udp(int id) {
        return udp(id, 10_000 + id, 0);
    }

    /** One ctnetlink message for {@code f} (tuples, zone, id). */
    static byte[] message(int msg, int flags, int sequence, int portId, Flow f) {
        MessageBuilder b = MessageBuilder.allocate(4096);
        b.begin(Nfnetlink.type(NFNL_SUBSYS_CTNETLINK, msg), flags).sequence(sequence).portId(portId);
        Nfgenmsg.put(b, f.isIpv6() ? 10 : 2, 0);
        RequestWriter.flow(b, f);
        b.addBe32(CTA_ID, f.id());
        b.finish();
        return b.toByteArray();
    }

    static Datagram event(EventType type, Flow f) {
        return switch (type) {
            case NEW -> Datagram.multicast(1, message(IPCTNL_MSG_CT_NEW, Netlink.NLM_F_CREATE | Netlink.NLM_F_EXCL, 0, 0, f));
            case UPDATE -> Datagram.multicast(2, message(IPCTNL_MSG_CT_NEW, 0, 0, 0, f));
            case DESTROY -> Datagram.multicast(4, message(IPCTNL_MSG_CT_DELETE, 0, 0, 0, f));
        };
    }

    /** The reply to a dump request listing {@code table}, one flow per datagram, then NLMSG_DONE. */
    static List<Datagram> dumpReply(byte[] request, Collection<Flow> table) {
        List<Datagram> out = new ArrayList<>();
        for (Flow f : table) {
            out.add(Datagram.of(message(IPCTNL_MSG_CT_NEW, Netlink.NLM_F_MULTI, FakeKernel.sequence(request),
                    FakeKernel.DEFAULT_PORT_ID, f)));
        }
        out.add(Datagram.of(FakeKernel.done(request, FakeKernel.DEFAULT_PORT_ID)));
        return out;
    }

    /** Waits up to 10 s for {@code condition}; fails naming {@code what}. */
    static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(5);
        }
    }
}
