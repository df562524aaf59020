package dev.conntrace.conntrack.text;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conntrace.conntrack.Counters;
import dev.conntrace.conntrack.EventType;
import dev.conntrace.conntrack.Flow;
import dev.conntrace.conntrack.L4Protocol;
import dev.conntrace.conntrack.ProtoInfo;
import dev.conntrace.conntrack.SctpState;
import dev.conntrace.conntrack.Status;
import dev.conntrace.conntrack.TcpState;
import dev.conntrace.conntrack.Timestamps;
import dev.conntrace.conntrack.Tuple;
import dev.conntrace.sys.IpAddress;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Expected lines are real output of conntrack v1.4.7 for the same entries. */
class ConntrackTextTest {

    private static final IpAddress A = IpAddress.parse("1.1.1.1");
    private static final IpAddress B = IpAddress.parse("2.2.2.2");
    private static final long NOW = 1_700_000_000L;

    private static Flow.Builder base(Tuple orig, Tuple reply, int statusBits) {
        return Flow.builder().original(orig).reply(reply).statusBits(statusBits).mark(0).use(1);
    }

    private static String ext(Flow f) {
        return ConntrackText.format(f, ConntrackText.Options.EXTENDED, NOW);
    }

    @Test
    void tcpAssuredUnreplied() {
        Flow f = base(Tuple.tcp(A, 1, B, 2), Tuple.tcp(B, 2, A, 1), Status.of(Status.Bit.ASSURED, Status.Bit.CONFIRMED).bits())
                .timeout(99).tcpState(TcpState.ESTABLISHED).build();
        assertThat(ext(f)).isEqualTo("ipv4     2 tcp      6 99 ESTABLISHED src=1.1.1.1 dst=2.2.2.2 sport=1 dport=2 "
                + "[UNREPLIED] src=2.2.2.2 dst=1.1.1.1 sport=2 dport=1 [ASSURED] mark=0 use=1");
        assertThat(ConntrackText.format(f, ConntrackText.Options.DEFAULT, NOW)).isEqualTo(
                "tcp      6 99 ESTABLISHED src=1.1.1.1 dst=2.2.2.2 sport=1 dport=2 "
                        + "[UNREPLIED] src=2.2.2.2 dst=1.1.1.1 sport=2 dport=1 [ASSURED] mark=0 use=1");
    }

    @Test
    void udpWithMarkAndZone() {
        Flow f = base(Tuple.udp(A, 5, B, 53), Tuple.udp(B, 53, A, 5), 8).timeout(49).mark(7).zone(3).build();
        assertThat(ext(f)).isEqualTo("ipv4     2 udp      17 49 src=1.1.1.1 dst=2.2.2.2 sport=5 dport=53 [UNREPLIED] "
                + "src=2.2.2.2 dst=1.1.1.1 sport=53 dport=5 mark=7 zone=3 use=1");
    }

    @Test
    void icmpAndIcmpv6AndIpv6Tcp() {
        Flow icmp = base(Tuple.icmp(A, B, 77, 8, 0), Tuple.icmp(B, A, 77, 0, 0), 8).timeout(29).build();
        assertThat(ext(icmp)).isEqualTo("ipv4     2 icmp     1 29 src=1.1.1.1 dst=2.2.2.2 type=8 code=0 id=77 "
                + "[UNREPLIED] src=2.2.2.2 dst=1.1.1.1 type=0 code=0 id=77 mark=0 use=1");
        IpAddress lo6 = IpAddress.parse("::1");
        Flow icmp6 = base(Tuple.icmp(lo6, lo6, 9, 128, 0), Tuple.icmp(lo6, lo6, 9, 129, 0), 8).timeout(29).id(5).build();
        assertThat(ConntrackText.format(icmp6, ConntrackText.Options.EXTENDED.withId(true), NOW)).isEqualTo(
                "ipv6     10 icmpv6   58 29 src=::1 dst=::1 type=128 code=0 id=9 [UNREPLIED] src=::1 dst=::1 "
                        + "type=129 code=0 id=9 mark=0 use=1 id=5");
        IpAddress s6 = IpAddress.parse("2001:db8::1");
        IpAddress d6 = IpAddress.parse("2001:db8::2");
        Flow tcp6 = base(Tuple.tcp(s6, 10, d6, 20), Tuple.tcp(d6, 20, s6, 10), 8).timeout(99)
                .tcpState(TcpState.SYN_SENT).build();
        assertThat(ext(tcp6)).isEqualTo("ipv6     10 tcp      6 99 SYN_SENT src=2001:db8::1 dst=2001:db8::2 sport=10 "
                + "dport=20 [UNREPLIED] src=2001:db8::2 dst=2001:db8::1 sport=20 dport=10 mark=0 use=1");
    }

    @Test
    void greKeysAndSctpState() {
        Flow gre = base(Tuple.ports(L4Protocol.GRE, A, 1, B, 2), Tuple.ports(L4Protocol.GRE, B, 2, A, 1), 8)
                .timeout(29).build();
        assertThat(ext(gre)).isEqualTo("ipv4     2 gre      47 29 src=1.1.1.1 dst=2.2.2.2 srckey=0x1 dstkey=0x2 "
                + "[UNREPLIED] src=2.2.2.2 dst=1.1.1.1 srckey=0x2 dstkey=0x1 mark=0 use=1");
        Flow sctp = base(Tuple.ports(L4Protocol.SCTP, A, 1, B, 2), Tuple.ports(L4Protocol.SCTP, B, 2, A, 1), 8)
                .timeout(29).protoInfo(new ProtoInfo.Sctp(SctpState.ESTABLISHED, 5, 6)).build();
        assertThat(ext(sctp)).isEqualTo("ipv4     2 sctp     132 29 ESTABLISHED src=1.1.1.1 dst=2.2.2.2 sport=1 "
                + "dport=2 [UNREPLIED] src=2.2.2.2 dst=1.1.1.1 sport=2 dport=1 mark=0 use=1");
    }

    @Test
    void countersTimestampsAndKtimestamp() {
        IpAddress lo = IpAddress.parse("127.0.0.1");
        long start = 1_763_905_839_123_456_789L; // Mon Nov 23 13:50:39 2025 UTC
        Flow f = base(Tuple.tcp(lo, 45258, lo, 8080), Tuple.tcp(lo, 8080, lo, 45258),
                        Status.of(Status.Bit.SEEN_REPLY, Status.Bit.ASSURED).bits())
                .timeout(119).tcpState(TcpState.TIME_WAIT).countersOriginal(new Counters(5, 368))
                .countersReply(new Counters(3, 164)).timestamps(new Timestamps(start, 0)).id(663101814).build();
        long now = start / 1_000_000_000L + 1;
        assertThat(ConntrackText.format(f, ConntrackText.Options.EXTENDED, now)).isEqualTo(
                "ipv4     2 tcp      6 119 TIME_WAIT src=127.0.0.1 dst=127.0.0.1 sport=45258 dport=8080 packets=5 "
                        + "bytes=368 src=127.0.0.1 dst=127.0.0.1 sport=8080 dport=45258 packets=3 bytes=164 [ASSURED] "
                        + "mark=0 delta-time=1 use=1");
        var opts = new ConntrackText.Options(true, true, true, null, ZoneId.of("UTC"));
        assertThat(ConntrackText.format(f, opts, now)).endsWith(
                "mark=0 delta-time=1 [start=Sun Nov 23 13:50:39 2025] use=1 id=663101814");
        Flow stopped = f.toBuilder().timestamps(new Timestamps(start, start + 7_900_000_000L)).build();
        assertThat(ConntrackText.format(stopped, opts, now + 1000)).contains(
                "delta-time=8 [start=Sun Nov 23 13:50:39 2025] [stop=Sun Nov 23 13:50:47 2025] use=1");
    }

    @Test
    void unsignedMarkAndTupleZones() {
        Flow f = base(Tuple.tcp(A, 1, B, 2).withZone(4), Tuple.tcp(B, 2, A, 1).withZone(5), 8).mark(-1).timeout(98)
                .tcpState(TcpState.TIME_WAIT).build();
        assertThat(ext(f)).isEqualTo("ipv4     2 tcp      6 98 TIME_WAIT src=1.1.1.1 dst=2.2.2.2 sport=1 dport=2 "
                + "zone-orig=4 [UNREPLIED] src=2.2.2.2 dst=1.1.1.1 sport=2 dport=1 zone-reply=5 mark=4294967295 use=1");
    }

    @Test
    void offloadWinsOverAssuredAndHwOverBoth() {
        int assured = Status.of(Status.Bit.SEEN_REPLY, Status.Bit.ASSURED).bits();
        Flow.Builder b = base(Tuple.udp(A, 1, B, 2), Tuple.udp(B, 2, A, 1), assured);
        assertThat(ext(b.build())).contains(" [ASSURED] ").doesNotContain("UNREPLIED");
        assertThat(ext(b.statusBits(assured | Status.Bit.OFFLOAD.mask()).build()))
                .contains(" [OFFLOAD] ").doesNotContain("ASSURED");
        assertThat(ext(b.statusBits(assured | Status.Bit.OFFLOAD.mask() | Status.Bit.HW_OFFLOAD.mask()).build()))
                .contains(" [HW_OFFLOAD] ").doesNotContain("[OFFLOAD]");
    }

    @Test
    void absentPartsAreLeftOutAndUnknownsFollowLibnetfilterConntrack() {
        Flow f = Flow.builder().original(Tuple.of(L4Protocol.of(99), A, B)).reply(Tuple.of(L4Protocol.of(99), B, A))
                .build();
        assertThat(ext(f)).isEqualTo("ipv4     2 unknown  99 src=1.1.1.1 dst=2.2.2.2 src=2.2.2.2 dst=1.1.1.1");
        Flow odd = Flow.builder().original(Tuple.tcp(A, 1, B, 2)).reply(Tuple.tcp(B, 2, A, 1))
                .tcpState(TcpState.of(42)).helper("ftp").securityContext("system_u:object_r:x:s0").build();
        assertThat(ext(odd)).isEqualTo("ipv4     2 tcp      6 NONE src=1.1.1.1 dst=2.2.2.2 sport=1 dport=2 "
                + "src=2.2.2.2 dst=1.1.1.1 sport=2 dport=1 secctx=system_u:object_r:x:s0 helper=ftp");
    }

    @Test
    void secmarkGoesBetweenMarkAndSecurityContextAsLibnetfilterConntrackPrintsIt() {
        Flow f = Flow.builder().original(Tuple.tcp(A, 1, B, 2)).reply(Tuple.tcp(B, 2, A, 1)).mark(3).secmark(-2)
                .securityContext("x").use(1).build();
        assertThat(ext(f)).endsWith(" mark=3 secmark=4294967294 secctx=x use=1");
        assertThat(ext(Flow.builder().original(Tuple.tcp(A, 1, B, 2)).mark(0).build())).doesNotContain("secmark");
    }

    @Test
    void labelsByName() {
        byte[] bits = new byte[16];
        bits[0] = 0b101; // bits 0 and 2
        bits[1] = 1; // bit 8, unnamed
        Flow f = Flow.builder().original(Tuple.udp(A, 1, B, 2)).reply(Tuple.udp(B, 2, A, 1)).labels(bits).use(1).build();
        var opts = new ConntrackText.Options(false, false, false, List.of("zero", "one", "two"), ZoneId.of("UTC"));
        assertThat(ConntrackText.format(f, opts, NOW)).endsWith("use=1 labels=zero,two");
        byte[] none = new byte[16];
        none[1] = 1;
        Flow g = f.toBuilder().labels(none).build();
        assertThat(ConntrackText.format(g, opts, NOW)).endsWith("use=1 labels");
    }

    @Test
    void eventTagsArePaddedToNineColumns() {
        Flow f = base(Tuple.udp(A, 1, B, 2), Tuple.udp(B, 2, A, 1), 8).timeout(30).build();
        assertThat(ConntrackText.formatEvent(EventType.NEW, f, ConntrackText.Options.DEFAULT, NOW))
                .startsWith("    [NEW] udp      17 30 ");
        assertThat(ConntrackText.formatEvent(EventType.UPDATE, f, ConntrackText.Options.DEFAULT, NOW))
                .startsWith(" [UPDATE] udp ");
        assertThat(ConntrackText.formatEvent(EventType.DESTROY, f, ConntrackText.Options.DEFAULT, NOW))
                .startsWith("[DESTROY] udp ");
    }
}
