package dev.conntrace.conntrack.text;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conntrace.conntrack.Counters;
import dev.conntrace.conntrack.DccpState;
import dev.conntrace.conntrack.EventType;
import dev.conntrace.conntrack.Flow;
import dev.conntrace.conntrack.L4Protocol;
import dev.conntrace.conntrack.ProtoInfo;
import dev.conntrace.conntrack.SctpState;
import dev.conntrace.conntrack.TcpState;
import dev.conntrace.conntrack.Timestamps;
import dev.conntrace.conntrack.Tuple;
import dev.conntrace.sys.IpAddress;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** The byte formatter must print exactly the lines {@link ConntrackText} prints (which match conntrack-tools). */
class ConntrackLineBufferTest {
    private static final long NOW = 1_700_000_000L;
    private static final int[] PROTOCOLS = {6, 17, 1, 58, 47, 132, 33, 136, 2, 0, 255};
    private static final List<ConntrackText.Options> OPTIONS = List.of(
            ConntrackText.Options.DEFAULT, ConntrackText.Options.EXTENDED, ConntrackText.Options.EXTENDED.withId(true),
            new ConntrackText.Options(true, false, true, null, ZoneId.of("UTC")),
            new ConntrackText.Options(true, true, false, List.of("a", "", "b"), ZoneId.of("UTC")));

    static LongStream seeds() {
        return LongStream.range(0, 400);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void sameLinesAsConntrackText(long seed) {
        Random r = new Random(seed);
        Flow f = flow(r);
        EventType event = r.nextInt(3) == 0 ? EventType.values()[r.nextInt(EventType.values().length)] : null;
        for (ConntrackText.Options o : OPTIONS) {
            StringBuilder expected = new StringBuilder();
            ConntrackText.append(expected, f, event, o, NOW);
            ConntrackLineBuffer lines = new ConntrackLineBuffer(o, 16);
            lines.appendLine(f, event, NOW);
            assertThat(lines.toString()).as("seed %d, %s", seed, o).isEqualTo(expected + "\n");
        }
    }

    @Test
    void linesAccumulateAndAreWrittenOut() throws IOException {
        Random r = new Random(7);
        ConntrackLineBuffer lines = new ConntrackLineBuffer(ConntrackText.Options.EXTENDED, 64);
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            Flow f = flow(r);
            ConntrackText.append(expected, f, null, ConntrackText.Options.EXTENDED, NOW);
            expected.append('\n');
            lines.appendLine(f, null, NOW);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        lines.writeTo(out);
        assertThat(lines.length()).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(expected.toString());
    }

    @Test
    void extremeValues() {
        IpAddress a = IpAddress.ipv4(-1);
        IpAddress b = IpAddress.ipv4(0);
        Flow f = Flow.builder().original(Tuple.udp(a, 65535, b, 0)).reply(Tuple.udp(b, 0, a, 65535))
                .statusBits(-1).timeout(-1).mark(Integer.MIN_VALUE).secmark(-1).use(-1).id(-1).zone(65535)
                .countersOriginal(new Counters(-1, Long.MIN_VALUE)).countersReply(new Counters(Long.MAX_VALUE, 0))
                .timestamps(new Timestamps(0, -1)).helper("h\u00e9lper").securityContext("system_u:object_r").build();
        ConntrackText.Options o = ConntrackText.Options.EXTENDED.withId(true);
        ConntrackLineBuffer lines = new ConntrackLineBuffer(o, 1);
        lines.appendLine(f, EventType.DESTROY, NOW);
        assertThat(lines.toString()).isEqualTo(ConntrackText.formatEvent(EventType.DESTROY, f, o, NOW) + "\n")
                .contains("src=255.255.255.255 dst=0.0.0.0 sport=65535 dport=0", "packets=18446744073709551615",
                        "mark=2147483648 secmark=4294967295 ", "h\u00e9lper");
    }

    private static Flow flow(Random r) {
        boolean v6 = r.nextInt(4) == 0;
        int proto = PROTOCOLS[r.nextInt(PROTOCOLS.length)];
        IpAddress s = address(r, v6);
        IpAddress d = address(r, v6);
        Tuple orig = tuple(r, proto, s, d);
        Tuple reply = tuple(r, proto, d, s);
        Flow.Builder b = Flow.builder();
        if (r.nextInt(20) != 0) {
            b.original(orig);
        }
        if (r.nextInt(10) != 0) {
            b.reply(reply);
        }
        if (r.nextBoolean()) {
            b.statusBits(r.nextInt());
        }
        if (r.nextInt(5) != 0) {
            b.timeout(r.nextInt(4) == 0 ? r.nextInt() : r.nextInt(500_000));
        }
        if (r.nextBoolean()) {
            b.mark(r.nextInt(3) == 0 ? r.nextInt() : 0);
        }
        if (r.nextBoolean()) {
            b.use(r.nextInt(3));
        }
        if (r.nextBoolean()) {
            b.id(r.nextInt());
        }
        if (r.nextInt(5) == 0) {
            b.zone(r.nextInt(65536));
        }
        switch (r.nextInt(5)) {
            case 0 -> b.protoInfo(new ProtoInfo.Tcp(TcpState.of(r.nextInt(12)), 7, 7, 0, 0));
            case 1 -> b.protoInfo(new ProtoInfo.Sctp(SctpState.of(r.nextInt(12)), 1, 2));
            case 2 -> b.protoInfo(new ProtoInfo.Dccp(DccpState.of(r.nextInt(12)), 0, 0));
            default -> { }
        }
        if (r.nextBoolean()) {
            b.countersOriginal(new Counters(counter(r), counter(r))).countersReply(new Counters(counter(r), counter(r)));
        }
        if (r.nextBoolean()) {
            long start = 1_699_000_000_000_000_000L + r.nextLong(1L << 50);
            b.timestamps(new Timestamps(start, r.nextBoolean() ? 0 : start + r.nextLong(1L << 40)));
        }
        if (r.nextInt(8) == 0) {
            b.helper(r.nextBoolean() ? "ftp" : "sip");
        }
        if (r.nextInt(8) == 0) {
            b.securityContext("system_u:object_r:unlabeled_t:s0");
        }
        if (r.nextInt(6) == 0) {
            b.labels(new byte[] {(byte) r.nextInt(), (byte) r.nextInt(), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
        }
        return b.build();
    }

    private static long counter(Random r) {
        return switch (r.nextInt(4)) {
            case 0 -> r.nextLong();
            case 1 -> r.nextInt(10);
            default -> r.nextLong(1L << 40);
        };
    }

    private static IpAddress address(Random r, boolean v6) {
        if (!v6) {
            return IpAddress.ipv4(r.nextInt(3) == 0 ? r.nextInt(256) : r.nextInt());
        }
        return switch (r.nextInt(3)) {
            case 0 -> IpAddress.parse("::1");
            case 1 -> IpAddress.ipv6(0x2001_0db8_0000_0000L, r.nextInt(100));
            default -> IpAddress.ipv6(r.nextLong(), r.nextLong());
        };
    }

    private static Tuple tuple(Random r, int proto, IpAddress s, IpAddress d) {
        L4Protocol p = L4Protocol.of(proto);
        int zone = r.nextInt(6) == 0 ? r.nextInt(65536) : Tuple.NO_ZONE;
        return new Tuple(s, d, p, r.nextInt(65536), r.nextInt(65536), r.nextInt(65536), r.nextInt(256), r.nextInt(256),
                zone);
    }
}
