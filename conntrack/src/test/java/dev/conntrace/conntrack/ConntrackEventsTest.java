package dev.conntrace.conntrack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conntrace.netlink.Netlink;
import dev.conntrace.netlink.NetlinkSocket;
import dev.conntrace.netlink.fake.FakeKernel;
import dev.conntrace.netlink.fake.FakeKernel.Datagram;
import dev.conntrace.sys.Errno;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Event typing and loss reporting on a fake kernel. */
class ConntrackEventsTest {

    private static byte[] goldenFlowMessage() throws Exception {
        try (InputStream in = ConntrackEventsTest.class.getResourceAsStream("/golden/dump-mixed.txt")) {
            String line = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(l -> l.startsWith("msg ")).findFirst().orElseThrow();
            return HexFormat.of().parseHex(line.substring(4));
        }
    }

    private static byte[] event(byte[] golden, int msgType, int flags) {
        return FakeKernel.message((1 << 8) | msgType, flags, 0, 0, Arrays.copyOfRange(golden, 16, golden.length));
    }

    @Test
    void messageTypeAndFlagsGiveTheEventTypeAndLossIsCountedNotFatal() throws Exception {
        byte[] golden = goldenFlowMessage();
        FakeKernel kernel = new FakeKernel(req -> List.of());
        kernel.inject(
                Datagram.multicast(1, event(golden, 0, Netlink.NLM_F_CREATE | Netlink.NLM_F_EXCL)),
                Datagram.multicast(2, event(golden, 0, 0)),
                Datagram.failure(Errno.ENOBUFS),
                Datagram.multicast(4, event(golden, 2, 0)));
        try (ConntrackEvents events = ConntrackEvents.over(NetlinkSocket.over(kernel, NetlinkSocket.Options.defaults()),
                EnumSet.allOf(EventType.class))) {
            List<FlowEvent> got = new ArrayList<>();
            int[] lossCalls = {0};
            for (int i = 0; i < 4; i++) {
                events.poll(0, got::add, () -> lossCalls[0]++);
            }
            assertThat(got).extracting(FlowEvent::type)
                    .containsExactly(EventType.NEW, EventType.UPDATE, EventType.DESTROY);
            assertThat(events.lost()).isEqualTo(1);
            assertThat(lossCalls[0]).isEqualTo(1);
            assertThat(got.getFirst().flow().original()).isEqualTo(got.getLast().flow().original());
        }
    }
}
